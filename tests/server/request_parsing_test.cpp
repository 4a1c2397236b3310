// Reading requests strictly: query parameters, paging, sorting and JSON bodies, every refusal a 400
// naming the parameter or field.
#include "server/request_parsing.hpp"

#include <gtest/gtest.h>

#include "server/api_errors.hpp"

namespace gridaudit {
namespace {

const ApiRoute route{HttpMethod::get,
                     "/api/x",
                     RouteAccess::signed_in,
                     RouteBody::none,
                     {"page", "page_size", "sort", "period", "active", "from"},
                     ""};

ApiRequest request_with(std::initializer_list<std::pair<std::string, std::string>> query) {
    ApiRequest request;
    request.method = "GET";
    request.path = "/api/x";
    for (const auto& [name, value] : query) request.query.emplace(name, value);
    return request;
}

// The field a failed result names, with its status.
template <class T>
std::string refused_field(const Result<T>& result) {
    if (result) return "(accepted)";
    EXPECT_EQ(http_status(result.error()), 400) << result.error().message();
    return error_field(result.error());
}

TEST(RequestParsingTest, UnknownAndRepeatedQueryParametersAreRefusedByName) {
    EXPECT_EQ(refused_field(QueryParameters::of(request_with({{"pag", "2"}}), route)), "pag");
    EXPECT_EQ(refused_field(QueryParameters::of(request_with({{"page", "2"}, {"page", "3"}}), route)), "page");
    EXPECT_TRUE(QueryParameters::of(request_with({{"page", "2"}}), route).has_value());
}

TEST(RequestParsingTest, PagingDefaultsAndBounds) {
    const auto none = QueryParameters::of(request_with({}), route);
    ASSERT_TRUE(none);
    const auto page = page_request(*none);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->page, 1);
    EXPECT_EQ(page->page_size, 50);
    for (const auto& [name, value] : {std::pair<std::string, std::string>{"page", "0"},
                                      {"page", "x"},
                                      {"page", "1.5"},
                                      {"page_size", "501"},
                                      {"page_size", "0"},
                                      {"page_size", "-3"}}) {
        const auto query = QueryParameters::of(request_with({{name, value}}), route);
        ASSERT_TRUE(query);
        EXPECT_EQ(refused_field(page_request(*query)), name) << value;
    }
    const auto query = QueryParameters::of(request_with({{"page", "3"}, {"page_size", "20"}}), route);
    ASSERT_TRUE(query);
    EXPECT_EQ(page_request(*query)->offset(), 40u);
}

TEST(RequestParsingTest, SortKeysAmongTheAllowedFields) {
    constexpr std::string_view allowed[] = {"id", "severity"};
    const auto query = QueryParameters::of(request_with({{"sort", "-severity,id"}}), route);
    ASSERT_TRUE(query);
    const auto keys = sort_request(*query, allowed, "id");
    ASSERT_TRUE(keys);
    ASSERT_EQ(keys->size(), 2u);
    EXPECT_EQ((*keys)[0].field, "severity");
    EXPECT_TRUE((*keys)[0].descending);
    EXPECT_FALSE((*keys)[1].descending);
    for (const char* bad : {"name", "id,id", ",", "-"}) {
        const auto q = QueryParameters::of(request_with({{"sort", bad}}), route);
        ASSERT_TRUE(q);
        EXPECT_EQ(refused_field(sort_request(*q, allowed, "id")), "sort") << bad;
    }
}

TEST(RequestParsingTest, TypedQueryValues) {
    const auto query =
        QueryParameters::of(request_with({{"period", "2026-13"}, {"active", "yes"}, {"from", "2026-02-30"}}), route);
    ASSERT_TRUE(query);
    EXPECT_EQ(refused_field(query->period("period")), "period");
    EXPECT_EQ(refused_field(query->boolean("active")), "active");
    EXPECT_EQ(refused_field(query->date("from")), "from");
    const auto good = QueryParameters::of(request_with({{"period", "2026-10"}, {"active", "false"}}), route);
    ASSERT_TRUE(good);
    EXPECT_EQ(good->period("period").value()->to_string(), "2026-10");
    EXPECT_EQ(good->boolean("active").value(), false);
    EXPECT_FALSE(good->date("from").value().has_value());
}

TEST(RequestParsingTest, JsonBodiesAreObjectsOfKnownFieldsOfTheRightType) {
    constexpr std::string_view fields[] = {"to", "version", "findings", "note"};
    EXPECT_EQ(refused_field(JsonBody::parse("{", fields)), "body");
    EXPECT_EQ(refused_field(JsonBody::parse("[1]", fields)), "body");
    EXPECT_EQ(refused_field(JsonBody::parse("\"x\"", fields)), "body");
    EXPECT_EQ(refused_field(JsonBody::parse("{\"tо\": 1}", fields)), "tо");  // a Cyrillic o
    // An empty field name is named as "" (found by fuzz_api_bodies: a 400 without a field).
    EXPECT_EQ(refused_field(JsonBody::parse(R"({"": "51616, d", "version": null})", fields)), "\"\"");
    EXPECT_EQ(refused_field(JsonBody::parse(std::string(100, '[') + std::string(100, ']'), fields)), "body");
    EXPECT_EQ(refused_field(JsonBody::parse("{\"to\": \"\xff\"}", fields)), "body");

    const auto body = JsonBody::parse(R"({"to": 3, "version": 1.5, "findings": [1, "2"], "note": null})", fields);
    ASSERT_TRUE(body) << body.error().message();
    EXPECT_EQ(refused_field(body->text("to", 100)), "to");
    EXPECT_EQ(refused_field(body->integer("version", 1, 100)), "version");
    EXPECT_EQ(refused_field(body->integer_list("findings", 10, 1, 100)), "findings[1]");
    EXPECT_EQ(body->optional_text("note", 100).value(), std::nullopt);
    EXPECT_EQ(refused_field(body->text("note", 100)), "note");  // required: null is absent

    const auto big = JsonBody::parse(R"({"version": 18446744073709551615, "findings": []})", fields);
    ASSERT_TRUE(big);
    EXPECT_EQ(refused_field(big->integer("version", 1, 100)), "version");
    EXPECT_EQ(refused_field(big->integer_list("findings", 10, 1, 100)), "findings");
}

TEST(RequestParsingTest, JsonContentTypes) {
    EXPECT_TRUE(is_json_content_type("application/json"));
    EXPECT_TRUE(is_json_content_type("Application/JSON; charset=utf-8"));
    EXPECT_FALSE(is_json_content_type("text/plain"));
    EXPECT_FALSE(is_json_content_type("application/jsonx"));
    EXPECT_FALSE(is_json_content_type(""));
}

TEST(RequestParsingTest, StatusesOfEachRefusalAndFailure) {
    EXPECT_EQ(http_status(Error(Refusal::invalid_input, "x")), 400);
    EXPECT_EQ(http_status(Error(Refusal::unauthenticated, "x")), 401);
    EXPECT_EQ(http_status(Error(Refusal::forbidden, "x")), 403);
    EXPECT_EQ(http_status(Error(Refusal::not_found, "x")), 404);
    EXPECT_EQ(http_status(Error(Refusal::conflict, "x")), 409);
    EXPECT_EQ(http_status(Error(ErrorClass::user, "x")), 400);
    EXPECT_EQ(http_status(Error(ErrorClass::internal, "x")), 500);
    EXPECT_EQ(http_status(Error(ErrorClass::external, "x")), 503);
    // An internal failure's message stays in the server's log.
    EXPECT_EQ(error_response(Error(ErrorClass::internal, "secret detail")).body.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace gridaudit
