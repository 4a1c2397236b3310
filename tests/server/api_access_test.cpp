// Sessions and scope over real HTTP: login and logout, a bearer token on every route but login
// (401 otherwise, with WWW-Authenticate), the body checks of login (400 naming the field, 415,
// 413), and each user seeing only the findings, customers and meters of their org units (403
// outside them).
#include <gtest/gtest.h>

#include "server/api_routes.hpp"
#include "test_utility.hpp"

namespace gridaudit {
namespace {

using testing::body_json;
using testing::TestServer;

class ApiAccessTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = std::make_unique<TestServer>(
            testing::private_store_copy(::testing::UnitTest::GetInstance()->current_test_suite()->name()));
    }
    static void TearDownTestSuite() { server_.reset(); }

    static httplib::Result login(const std::string& body, const std::string& type = "application/json") {
        auto client = server_->client();
        return client.Post("/api/login", body, type);
    }
    // Every finding `username` sees.
    static std::vector<nlohmann::json> findings_of(const std::string& username) {
        auto client = server_->client_as(username);
        std::vector<nlohmann::json> all;
        for (int page = 1;; ++page) {
            const auto result = client.Get("/api/findings?page_size=500&page=" + std::to_string(page));
            EXPECT_TRUE(result && result->status == 200);
            if (!result || result->status != 200) break;
            const auto items = body_json(result).at("items");
            for (const auto& item : items) all.push_back(item);
            if (items.size() < 500) break;
        }
        return all;
    }

    static inline std::unique_ptr<TestServer> server_;
};

TEST_F(ApiAccessTest, LoginGivesATokenThatSignsTheRequestsIn) {
    const auto result = login(R"({"username": "inspector", "password": "test-password-1"})");
    ASSERT_TRUE(result);
    ASSERT_EQ(result->status, 200) << result->body;
    const auto session = body_json(result);
    EXPECT_EQ(session.at("token").get<std::string>().size(), 43u);
    EXPECT_FALSE(session.at("expires_at").get<std::string>().empty());
    EXPECT_EQ(session.at("user").at("username"), "inspector");
    EXPECT_EQ(session.at("user").at("role"), "inspector");
    EXPECT_EQ(session.at("user").at("unit_id"), "U0101001");

    auto client = server_->client();
    client.set_bearer_token_auth(session.at("token").get<std::string>());
    const auto me = client.Get("/api/me");
    ASSERT_TRUE(me);
    EXPECT_EQ(me->status, 200);
    EXPECT_EQ(body_json(me), session.at("user"));
}

TEST_F(ApiAccessTest, EveryRouteButLoginNeedsAToken) {
    auto client = server_->client();
    for (const ApiRoute& route : api_routes()) {
        if (route.access == RouteAccess::anyone) continue;
        std::string path = route.path;
        if (const auto at = path.find("{id}"); at != std::string::npos) path.replace(at, 4, "1");
        const char* media_type = route.body == RouteBody::csv ? "text/csv" : "application/json";
        const auto result = route.method == HttpMethod::get ? client.Get(path) : client.Post(path, "{}", media_type);
        ASSERT_TRUE(result) << path;
        EXPECT_EQ(result->status, 401) << route.path;
        EXPECT_EQ(result->get_header_value("WWW-Authenticate"), "Bearer") << route.path;
        EXPECT_EQ(body_json(result).at("error").at("code"), "unauthenticated") << route.path;
    }
    for (const char* header : {"Bearer not-a-token", "Basic YWRtaW46eA==", "Bearer ", "bearer"}) {
        const auto result = client.Get("/api/findings", httplib::Headers{{"Authorization", header}});
        ASSERT_TRUE(result);
        EXPECT_EQ(result->status, 401) << header;
    }
}

TEST_F(ApiAccessTest, WrongPasswordsAndUnknownUsersAreTheSame401) {
    const auto wrong = login(R"({"username": "analyst", "password": "not-the-password"})");
    const auto unknown = login(R"({"username": "nobody", "password": "not-the-password"})");
    ASSERT_TRUE(wrong && unknown);
    EXPECT_EQ(wrong->status, 401);
    EXPECT_EQ(unknown->status, 401);
    EXPECT_EQ(body_json(wrong).at("error").at("message"), body_json(unknown).at("error").at("message"));
}

TEST_F(ApiAccessTest, LoginBodiesAreCheckedField_By_Field) {
    for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
             {R"({"username": "analyst"})", "password"},
             {R"({"password": "test-password-1"})", "username"},
             {R"({"username": 7, "password": "test-password-1"})", "username"},
             {R"({"username": "analyst", "password": "test-password-1", "remember": true})", "remember"},
             {R"(["analyst"])", "body"},
             {R"({"username": "analyst", )", "body"}}) {
        const auto result = login(body);
        ASSERT_TRUE(result);
        EXPECT_EQ(result->status, 400) << body;
        EXPECT_EQ(body_json(result).at("error").at("field"), field) << body;
    }
    const auto form = login("username=analyst&password=test-password-1", "application/x-www-form-urlencoded");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->status, 415);
    const auto huge = login(std::string(2 << 20, ' '));
    ASSERT_TRUE(huge);
    EXPECT_EQ(huge->status, 413);
}

TEST_F(ApiAccessTest, LogoutEndsTheSessionAndOnlyIt) {
    const std::string first = server_->token_of("analyst");
    const std::string second = server_->token_of("analyst");
    auto client = server_->client();
    client.set_bearer_token_auth(first);
    const auto out = client.Post("/api/logout");
    ASSERT_TRUE(out);
    EXPECT_EQ(out->status, 200);
    const auto after = client.Get("/api/me");
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 401);
    client.set_bearer_token_auth(second);
    const auto other = client.Get("/api/me");
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 200);
}

TEST_F(ApiAccessTest, EachUserSeesTheFindingsOfTheirUnitsOnly) {
    const auto all = findings_of("admin");
    const auto county = findings_of("supervisor");
    const auto station = findings_of("inspector");
    const auto other_station = findings_of("outsider");
    ASSERT_GT(all.size(), county.size());  // the utility-wide findings (unit "") are the admin's only
    ASSERT_GT(county.size(), station.size());
    ASSERT_GT(station.size(), 0u);
    for (const auto& finding : county) EXPECT_TRUE(finding.at("unit_id").get<std::string>().starts_with("U0101"));
    for (const auto& finding : station) EXPECT_TRUE(finding.at("unit_id").get<std::string>().starts_with("U0101001"));
    for (const auto& finding : other_station)
        EXPECT_TRUE(finding.at("unit_id").get<std::string>().starts_with("U0101002"));
    std::size_t in_station = 0;
    for (const auto& finding : all) in_station += finding.at("unit_id").get<std::string>().starts_with("U0101001");
    EXPECT_EQ(station.size(), in_station);

    // A finding, customer or meter outside the unit is a 403, inside a 200.
    auto inspector = server_->client_as("inspector");
    for (const auto& finding : all) {
        const std::string unit = finding.at("unit_id");
        const int want = unit.starts_with("U0101001") ? 200 : 403;
        const auto one = inspector.Get("/api/findings/" + std::to_string(finding.at("id").get<std::int64_t>()));
        ASSERT_TRUE(one);
        EXPECT_EQ(one->status, want) << finding.dump();
        const std::string kind = finding.at("subject_kind");
        if (kind != "customer" && kind != "meter") continue;
        const auto subject = inspector.Get("/api/" + kind + "s/" + finding.at("subject_id").get<std::string>());
        ASSERT_TRUE(subject);
        EXPECT_EQ(subject->status, want) << finding.dump();
        if (want == 403) {
            EXPECT_EQ(body_json(subject).at("error").at("code"), "forbidden");
        }
    }
    // A unit filter outside one's scope finds nothing; an unknown unit is a 400 naming it.
    const auto elsewhere = inspector.Get("/api/findings?unit=U0101002");
    ASSERT_TRUE(elsewhere);
    EXPECT_EQ(body_json(elsewhere).at("total"), 0);
}

}  // namespace
}  // namespace gridaudit
