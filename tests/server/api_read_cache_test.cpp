// The server's caches under writes: the same read repeated after a write, through the API or
// through another connection to the store (as another process writes), answers what the write
// made, never the answer kept from before it: cases opened, assigned, transitioned, commented and
// given evidence, a new audit run, a logout; and a kept answer is never another caller's.
#include <gtest/gtest.h>

#include <set>

#include "access/authentication.hpp"
#include "cases/case_policy.hpp"
#include "cases/case_workflow.hpp"
#include "rules/policy.hpp"
#include "store/store.hpp"
#include "support/result_assertions.hpp"
#include "test_utility.hpp"

namespace gridaudit {
namespace {

using testing::body_json;
using testing::TestServer;

class ApiReadCacheTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = testing::private_store_copy(std::string("read-cache-") +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
        server_ = std::make_unique<TestServer>(db_, now_);
    }

    static httplib::Result post(httplib::Client& client, const std::string& path, const nlohmann::json& body) {
        return client.Post(path, body.dump(), "application/json");
    }
    static nlohmann::json read(httplib::Client& client, const std::string& path) {
        const auto result = client.Get(path);
        EXPECT_TRUE(result && result->status == 200) << path << ": " << (result ? result->body : "no answer");
        return body_json(result);
    }
    // Active findings of distinct customers of station U0101001, by id.
    std::vector<std::int64_t> station_findings(std::size_t count) {
        auto admin = server_->client_as("admin");
        const auto page =
            read(admin, "/api/findings?subject_kind=customer&unit=U0101001&active=true&sort=id&page_size=500");
        std::vector<std::int64_t> ids;
        std::set<std::string> subjects;
        for (const auto& f : page.at("items")) {
            if (!subjects.insert(f.at("subject_id").get<std::string>()).second) continue;
            ids.push_back(f.at("id").get<std::int64_t>());
            if (ids.size() == count) break;
        }
        return ids;
    }
    std::int64_t open_case(std::int64_t finding) {
        auto admin = server_->client_as("admin");
        const auto opened = post(admin, "/api/cases", {{"findings", {finding}}});
        EXPECT_TRUE(opened && opened->status == 201) << (opened ? opened->body : "no answer");
        return body_json(opened).at("case_ids")[0].get<std::int64_t>();
    }

    const Instant now_ = Instant::from_unix_seconds(1'793'491'200);
    std::filesystem::path db_;
    std::unique_ptr<TestServer> server_;
};

TEST_F(ApiReadCacheTest, EveryCaseWriteThroughTheApiIsInTheNextRead) {
    const auto findings = station_findings(3);
    ASSERT_EQ(findings.size(), 3u);
    auto admin = server_->client_as("admin");
    const std::string list = "/api/cases?page_size=100";
    EXPECT_EQ(read(admin, list).at("total"), 0);
    EXPECT_EQ(read(admin, list).at("total"), 0);  // now kept

    const std::int64_t id = open_case(findings[0]);
    EXPECT_EQ(read(admin, list).at("total"), 1);
    const std::string path = "/api/cases/" + std::to_string(id);
    EXPECT_EQ(read(admin, path).at("state"), "new");
    EXPECT_EQ(read(admin, path).at("version"), 1);

    ASSERT_EQ(post(admin, path + "/assign", {{"assignee", "inspector"}, {"version", 1}})->status, 200);
    auto shown = read(admin, path);
    EXPECT_EQ(shown.at("state"), "assigned");
    EXPECT_EQ(shown.at("assignee"), "inspector");
    EXPECT_EQ(shown.at("version"), 2);
    EXPECT_EQ(read(admin, "/api/cases?state=assigned").at("total"), 1);

    ASSERT_EQ(post(admin, path + "/transitions", {{"to", "online_check"}, {"version", 2}})->status, 200);
    EXPECT_EQ(read(admin, path).at("state"), "online_check");
    EXPECT_EQ(read(admin, "/api/cases?state=assigned").at("total"), 0);
    EXPECT_EQ(read(admin, list).at("items")[0].at("state"), "online_check");

    const std::size_t events = read(admin, path).at("events").size();
    ASSERT_EQ(post(admin, path + "/comments", {{"note", "called the customer"}})->status, 201);
    shown = read(admin, path);
    ASSERT_EQ(shown.at("events").size(), events + 1);
    EXPECT_EQ(shown.at("events").back().at("note"), "called the customer");

    const std::size_t evidence = shown.at("evidence").size();
    ASSERT_EQ(post(admin, path + "/evidence", {{"findings", {findings[1]}}})->status, 200);
    EXPECT_EQ(read(admin, path).at("evidence").size(), evidence + 1);
}

TEST_F(ApiReadCacheTest, AWriteFromAnotherConnectionIsInTheNextRead) {
    const auto findings = station_findings(1);
    ASSERT_EQ(findings.size(), 1u);
    const std::int64_t id = open_case(findings[0]);
    auto admin = server_->client_as("admin");
    const std::string path = "/api/cases/" + std::to_string(id);
    EXPECT_EQ(read(admin, path).at("state"), "new");
    EXPECT_EQ(read(admin, path).at("state"), "new");

    // As `gridaudit cases assign` in another process would.
    ASSERT_OK_AND_ASSIGN(auto store, Store::open(db_.string(), StoreOpening::existing_only));
    ASSERT_OK_AND_ASSIGN(CasePolicy policy, CasePolicy::from(Policy()));
    ASSERT_OK_AND_ASSIGN(CaseWorkflow workflow, CaseWorkflow::open(*store, std::move(policy)));
    ASSERT_OK(workflow.assign(Actor::system(), id, 1, "inspector", "from the command line", now_));
    EXPECT_EQ(read(admin, path).at("state"), "assigned");
    EXPECT_EQ(read(admin, "/api/cases?state=assigned").at("total"), 1);
}

TEST_F(ApiReadCacheTest, ANewAuditRunIsInTheNextFindingsAndCaseRead) {
    const auto findings = station_findings(1);
    ASSERT_EQ(findings.size(), 1u);
    const std::int64_t id = open_case(findings[0]);
    auto admin = server_->client_as("admin");
    const auto finding = read(admin, "/api/findings/" + std::to_string(findings[0]));
    const std::string rule = finding.at("rule_id");
    const std::string active_of_rule = "/api/findings?active=true&rule=" + rule;
    const auto before = read(admin, active_of_rule).at("total").get<std::int64_t>();
    ASSERT_GT(before, 0);
    EXPECT_EQ(read(admin, active_of_rule).at("total"), before);
    const auto evidence = read(admin, "/api/cases/" + std::to_string(id)).at("evidence");
    ASSERT_EQ(evidence.size(), 1u);
    EXPECT_EQ(evidence[0].at("active"), true);

    // A run of the rule that finds nothing: every finding of it becomes inactive.
    ASSERT_OK_AND_ASSIGN(auto store, Store::open(db_.string(), StoreOpening::existing_only));
    ASSERT_OK(store->record_audit({rule}, "", {}, {}));
    EXPECT_EQ(read(admin, active_of_rule).at("total"), 0);
    EXPECT_EQ(read(admin, "/api/cases/" + std::to_string(id)).at("evidence")[0].at("active"), false);
}

TEST_F(ApiReadCacheTest, ALogoutFromAnotherConnectionEndsTheSessionAtTheNextRequest) {
    const std::string token = server_->token_of("analyst");
    auto client = server_->client();
    client.set_bearer_token_auth(token);
    ASSERT_EQ(client.Get("/api/cases")->status, 200);
    ASSERT_EQ(client.Get("/api/cases")->status, 200);
    ASSERT_OK_AND_ASSIGN(auto store, Store::open(db_.string(), StoreOpening::existing_only));
    ASSERT_OK(logout(store->access(), token, now_));
    const auto after = client.Get("/api/cases");
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 401);
    EXPECT_NE(after->body.find("ended"), std::string::npos) << after->body;
}

TEST_F(ApiReadCacheTest, AKeptAnswerIsNeverAnotherCallersOne) {
    auto admin = server_->client_as("admin");
    auto outsider = server_->client_as("outsider");  // an analyst of station U0101002
    const std::string path = "/api/findings?page_size=500&sort=id";
    const auto everything = read(admin, path);
    const auto theirs = read(outsider, path);
    EXPECT_LT(theirs.at("total").get<std::int64_t>(), everything.at("total").get<std::int64_t>());
    for (const auto& f : theirs.at("items")) EXPECT_EQ(f.at("unit_id"), "U0101002");
    EXPECT_EQ(read(admin, path), everything);

    // A case of station U0101001 is not the outsider's, kept or not.
    const auto findings = station_findings(1);
    ASSERT_EQ(findings.size(), 1u);
    const std::string case_path = "/api/cases/" + std::to_string(open_case(findings[0]));
    EXPECT_EQ(read(admin, case_path).at("state"), "new");
    const auto refused = outsider.Get(case_path);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403);
    EXPECT_EQ(read(outsider, "/api/cases").at("total"), 0);
}

}  // namespace
}  // namespace gridaudit
