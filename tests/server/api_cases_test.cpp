// The cases over real HTTP: opening from findings, listing, showing, assigning, the state machine's
// transitions with their refusals (400 naming the field, 403 for a role or a unit, 404, 409 for an
// illegal or stale transition), comments, evidence and dismissals; and two clients transitioning
// one case at once, 1,000 times in a row: exactly one wins each time, the other gets a 409.
#include <gtest/gtest.h>

#include <barrier>
#include <set>
#include <thread>

#include "test_utility.hpp"

namespace gridaudit {
namespace {

using testing::body_json;
using testing::TestServer;

class ApiCasesTest : public ::testing::Test {
protected:
    void SetUp() override {
        server_ = std::make_unique<TestServer>(testing::private_store_copy(
            std::string("cases-") + ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    }

    static httplib::Result post(httplib::Client& client, const std::string& path, const nlohmann::json& body) {
        return client.Post(path, body.dump(), "application/json");
    }
    // Active findings of customers in station U0101001 (the inspector's), by id.
    std::vector<std::int64_t> station_findings(std::size_t count) {
        auto admin = server_->client_as("admin");
        const auto result =
            admin.Get("/api/findings?subject_kind=customer&unit=U0101001&active=true&sort=id&page_size=500");
        EXPECT_TRUE(result && result->status == 200) << (result ? result->body : "no answer");
        std::vector<std::int64_t> ids;
        std::set<std::string> subjects;
        const nlohmann::json page = body_json(result);
        for (const auto& f : page.at("items")) {
            if (!subjects.insert(f.at("subject_id").get<std::string>() + f.at("rule_id").get<std::string>()).second)
                continue;
            ids.push_back(f.at("id").get<std::int64_t>());
            if (ids.size() == count) break;
        }
        return ids;
    }
    // Opens a case for one finding and walks it to `state` (assigned, online_check, onsite_check).
    nlohmann::json case_in(const std::string& state, std::int64_t finding) {
        auto admin = server_->client_as("admin");
        const auto opened = post(admin, "/api/cases", {{"findings", {finding}}});
        EXPECT_TRUE(opened && opened->status == 201) << (opened ? opened->body : "");
        const std::int64_t id = body_json(opened).at("case_ids")[0];
        const std::string path = "/api/cases/" + std::to_string(id);
        auto changed = body_json(post(admin, path + "/assign", {{"assignee", "inspector"}, {"version", 1}}));
        for (const char* next : {"online_check", "onsite_check"}) {
            if (changed.at("state") == state) break;
            changed = body_json(post(admin, path + "/transitions", {{"to", next}, {"version", changed.at("version")}}));
        }
        EXPECT_EQ(changed.at("state"), state);
        return changed;
    }

    std::unique_ptr<TestServer> server_;
};

TEST_F(ApiCasesTest, OpenListShowAssignAndWorkACase) {
    const auto findings = station_findings(3);
    ASSERT_EQ(findings.size(), 3u);
    auto analyst = server_->client_as("analyst");
    const auto opened = post(analyst, "/api/cases", {{"findings", findings}});
    ASSERT_TRUE(opened);
    ASSERT_EQ(opened->status, 201) << opened->body;
    const auto case_ids = body_json(opened).at("case_ids");
    ASSERT_EQ(case_ids.size(), 3u);
    // Opening the same findings again opens nothing new.
    const auto again = post(analyst, "/api/cases", {{"findings", findings}});
    ASSERT_TRUE(again);
    EXPECT_EQ(body_json(again).at("opened"), 0);

    const auto listed = body_json(analyst.Get("/api/cases?state=new&page_size=2&sort=-id"));
    EXPECT_EQ(listed.at("total"), 3);
    ASSERT_EQ(listed.at("items").size(), 2u);
    EXPECT_GT(listed.at("items")[0].at("case_id"), listed.at("items")[1].at("case_id"));

    const std::string path = "/api/cases/" + std::to_string(case_ids[0].get<std::int64_t>());
    auto supervisor = server_->client_as("supervisor");
    const auto assigned = post(supervisor, path + "/assign", {{"assignee", "inspector"}, {"version", 1}});
    ASSERT_TRUE(assigned);
    ASSERT_EQ(assigned->status, 200) << assigned->body;
    EXPECT_EQ(body_json(assigned).at("state"), "assigned");
    EXPECT_EQ(body_json(assigned).at("version"), 2);

    auto inspector = server_->client_as("inspector");
    const auto online =
        post(inspector, path + "/transitions", {{"to", "online_check"}, {"version", 2}, {"note", "reads checked"}});
    ASSERT_TRUE(online);
    ASSERT_EQ(online->status, 200) << online->body;
    const auto commented = post(inspector, path + "/comments", {{"note", "called the customer"}});
    ASSERT_TRUE(commented);
    EXPECT_EQ(commented->status, 201);
    const auto shown = body_json(inspector.Get(path));
    EXPECT_EQ(shown.at("state"), "online_check");
    bool has_comment = false;
    for (const auto& event : shown.at("events")) has_comment |= event.at("note") == "called the customer";
    EXPECT_TRUE(has_comment);
    EXPECT_FALSE(shown.at("evidence").empty());
    EXPECT_FALSE(shown.at("next_states").empty());
}

TEST_F(ApiCasesTest, RefusalsOfTheStateMachineRolesAndScope) {
    const auto findings = station_findings(2);
    ASSERT_EQ(findings.size(), 2u);
    const auto current = case_in("assigned", findings[0]);
    const std::string path = "/api/cases/" + std::to_string(current.at("case_id").get<std::int64_t>());
    const std::int64_t version = current.at("version");
    auto admin = server_->client_as("admin");
    const auto status_of = [&](httplib::Client& client, const std::string& route, const nlohmann::json& body) {
        const auto result = post(client, route, body);
        return result ? std::make_pair(result->status, body_json(result)) : std::make_pair(0, nlohmann::json());
    };
    // Illegal: the allowed next states are named.
    const auto [illegal, illegal_body] =
        status_of(admin, path + "/transitions", {{"to", "closed"}, {"version", version}});
    EXPECT_EQ(illegal, 409);
    EXPECT_NE(illegal_body.at("error").at("message").get<std::string>().find("online_check"), std::string::npos);
    // Stale.
    EXPECT_EQ(status_of(admin, path + "/transitions", {{"to", "online_check"}, {"version", version - 1}}).first, 409);
    // Bad fields.
    EXPECT_EQ(status_of(admin, path + "/transitions", {{"to", "finished"}, {"version", version}})
                  .second.at("error")
                  .at("field"),
              "to");
    EXPECT_EQ(status_of(admin, path + "/transitions", {{"to", "online_check"}}).second.at("error").at("field"),
              "version");
    EXPECT_EQ(
        status_of(admin, path + "/transitions", {{"to", "concluded"}, {"version", version}, {"conclusion", "guilty"}})
            .second.at("error")
            .at("field"),
        "conclusion");
    EXPECT_EQ(
        status_of(admin, path + "/assign", {{"assignee", ""}, {"version", version}}).second.at("error").at("field"),
        "assignee");
    EXPECT_EQ(status_of(admin, "/api/cases", {{"findings", nlohmann::json::array()}}).second.at("error").at("field"),
              "findings");
    // A role without the permission, a user outside the unit, no such case.
    auto clerk = server_->client_as("clerk");
    EXPECT_EQ(status_of(clerk, path + "/transitions", {{"to", "online_check"}, {"version", version}}).first, 403);
    auto outsider = server_->client_as("outsider");
    const auto hidden = outsider.Get(path);
    ASSERT_TRUE(hidden);
    EXPECT_EQ(hidden->status, 403);
    EXPECT_EQ(body_json(outsider.Get("/api/cases")).at("total"), 0);
    EXPECT_EQ(admin.Get("/api/cases/999999")->status, 404);
    EXPECT_EQ(status_of(admin, "/api/cases/999999/comments", {{"note", "x"}}).first, 404);
    // Wrong content type; a dismissal, then the same finding cannot open a case by policy.
    EXPECT_EQ(admin.Post(path + "/comments", "note=x", "text/plain")->status, 415);
    auto analyst = server_->client_as("analyst");
    const std::string dismissal = "/api/findings/" + std::to_string(findings[1]) + "/dismissal";
    EXPECT_EQ(status_of(analyst, dismissal, {{"reason", "known outage"}}).first, 201);
    EXPECT_EQ(status_of(analyst, dismissal, {{"reason", ""}}).second.at("error").at("field"), "reason");
}

TEST_F(ApiCasesTest, TwoClientsTransitioningOneCaseAtOnceExactlyOneWinsAThousandTimes) {
    const auto findings = station_findings(1);
    ASSERT_EQ(findings.size(), 1u);
    const auto start = case_in("onsite_check", findings[0]);
    const std::string path = "/api/cases/" + std::to_string(start.at("case_id").get<std::int64_t>()) + "/transitions";
    std::int64_t version = start.at("version");
    std::string state = "onsite_check";
    const std::string token = server_->token_of("admin");
    std::array<httplib::Client, 2> clients{server_->client(), server_->client()};
    for (auto& client : clients) client.set_bearer_token_auth(token);

    constexpr int rounds = 1000;
    std::array<int, 2> status{};
    nlohmann::json body;
    std::barrier sync(3);
    std::array<std::thread, 2> racers;
    for (int r = 0; r < 2; ++r) {
        racers[r] = std::thread([&, r] {
            for (int round = 0; round < rounds; ++round) {
                sync.arrive_and_wait();  // the round's body is ready
                const auto result = clients[r].Post(path, body.dump(), "application/json");
                status[r] = result ? result->status : 0;
                sync.arrive_and_wait();  // both answered
            }
        });
    }
    int single_winners = 0;
    for (int round = 0; round < rounds; ++round) {
        // onsite_check -> concluded and back (a supervisor's return), the version given by both.
        const bool conclude = state == "onsite_check";
        body = conclude ? nlohmann::json{{"to", "concluded"}, {"version", version}, {"conclusion", "no_problem"}}
                        : nlohmann::json{{"to", "onsite_check"}, {"version", version}, {"note", "returned"}};
        sync.arrive_and_wait();
        sync.arrive_and_wait();
        const int wins = (status[0] == 200) + (status[1] == 200);
        const int conflicts = (status[0] == 409) + (status[1] == 409);
        single_winners += wins == 1 && conflicts == 1;
        if (wins != 1 || conflicts != 1)
            ADD_FAILURE() << "round " << round << ": " << status[0] << " and " << status[1];
        version += 1;
        state = conclude ? "concluded" : "onsite_check";
    }
    for (auto& racer : racers) racer.join();
    EXPECT_EQ(single_winners, rounds);
    auto admin = server_->client_as("admin");
    const auto final_case =
        body_json(admin.Get("/api/cases/" + std::to_string(start.at("case_id").get<std::int64_t>())));
    EXPECT_EQ(final_case.at("version"), version);
    EXPECT_EQ(final_case.at("state"), state);
}

}  // namespace
}  // namespace gridaudit
