// The route table: path matching, and docs/openapi.json describing exactly the routes the server
// registers (paths, methods, query parameters, which need a session).
#include "server/api_routes.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "server/api_router.hpp"

namespace gridaudit {
namespace {

nlohmann::json openapi_document() {
    std::ifstream in(std::string(GRIDAUDIT_SOURCE_DIR) + "/docs/openapi.json");
    std::stringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str(), nullptr, false);
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

TEST(ApiRoutesTest, TemplatesMatchTheirPathsAndNameTheirParameters) {
    const ApiRoute route{
        HttpMethod::get, "/api/customers/{id}/series", RouteAccess::signed_in, RouteBody::none, {}, ""};
    std::vector<std::pair<std::string, std::string>> parameters;
    EXPECT_TRUE(route_matches(route, "/api/customers/C0001/series", parameters));
    ASSERT_EQ(parameters.size(), 1u);
    EXPECT_EQ(parameters[0], (std::pair<std::string, std::string>{"id", "C0001"}));
    parameters.clear();
    EXPECT_FALSE(route_matches(route, "/api/customers/C0001", parameters));
    EXPECT_FALSE(route_matches(route, "/api/customers/C0001/series/x", parameters));
    EXPECT_FALSE(route_matches(route, "/api/meters/C0001/series", parameters));
    EXPECT_TRUE(parameters.empty());
}

TEST(ApiRoutesTest, EveryRouteHasAHandlerAndTheRouterStarts) {
    ApiRouterOptions options;
    options.db = "/nonexistent/never-opened.db";  // the router opens the store per request, not at make
    const auto router = ApiRouter::make(options);
    ASSERT_TRUE(router.has_value()) << router.error().message();
}

TEST(ApiRoutesTest, OpenApiFileDescribesExactlyTheRegisteredRoutes) {
    const nlohmann::json document = openapi_document();
    ASSERT_FALSE(document.is_discarded()) << "docs/openapi.json is not JSON";
    EXPECT_TRUE(document.value("openapi", "").starts_with("3."));
    std::set<std::string> documented, registered;
    for (const auto& [path, item] : document.at("paths").items()) {
        for (const auto& [method, operation] : item.items()) {
            if (method == "parameters") continue;
            documented.insert(method + " " + path);
        }
    }
    for (const ApiRoute& route : api_routes())
        registered.insert(lower(http_method_name(route.method)) + " " + route.path);
    EXPECT_EQ(documented, registered);
}

TEST(ApiRoutesTest, OpenApiFileGivesEachRouteItsQueryParametersAndSecurity) {
    const nlohmann::json document = openapi_document();
    ASSERT_FALSE(document.is_discarded());
    const nlohmann::json& components = document.at("components");
    for (const ApiRoute& route : api_routes()) {
        SCOPED_TRACE(std::string(http_method_name(route.method)) + " " + route.path);
        const nlohmann::json* operation = nullptr;
        const auto path = document.at("paths").find(route.path);
        ASSERT_NE(path, document.at("paths").end());
        const auto found = path->find(lower(http_method_name(route.method)));
        ASSERT_NE(found, path->end());
        operation = &*found;
        std::set<std::string> documented;
        for (const nlohmann::json& parameter : operation->value("parameters", nlohmann::json::array())) {
            nlohmann::json resolved = parameter;
            if (parameter.contains("$ref")) {
                const std::string ref = parameter.at("$ref");  // "#/components/parameters/page"
                resolved = components.at("parameters").at(ref.substr(ref.rfind('/') + 1));
            }
            if (resolved.at("in") == "query") documented.insert(resolved.at("name").get<std::string>());
        }
        EXPECT_EQ(documented, std::set<std::string>(route.query.begin(), route.query.end()));
        // Routes that need a session inherit the document's bearer security; the others say none.
        const bool public_route = operation->contains("security") && operation->at("security").empty();
        EXPECT_EQ(public_route, route.access == RouteAccess::anyone);
        EXPECT_EQ(operation->contains("requestBody"), route.body != RouteBody::none);
        if (route.body != RouteBody::none && operation->contains("requestBody")) {
            // The body's media type is the one the router checks (else 415).
            const std::string media_type = route.body == RouteBody::json ? "application/json" : "text/csv";
            const nlohmann::json& content = operation->at("requestBody").at("content");
            EXPECT_EQ(content.size(), 1u);
            EXPECT_TRUE(content.contains(media_type)) << media_type;
        }
    }
}

}  // namespace
}  // namespace gridaudit
