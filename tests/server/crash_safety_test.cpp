// A server killed with SIGKILL in the middle of writes loses nothing it acknowledged: the
// `gridaudit serve` binary over a private store copy takes a stream of writes from a client
// thread (logins: each a session, a login attempt and an audit-log entry; comments on a case: each
// an event and an audit-log entry; committed before the answer), is killed while they flow, and a
// new server on the same store has every one it had answered.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <set>
#include <thread>

#include "test_utility.hpp"

namespace gridaudit {
namespace {

using testing::body_json;
using testing::ServeProcess;

TEST(CrashSafetyTest, EverySessionAcknowledgedBeforeAKillSurvivesIt) {
    const auto db = testing::private_store_copy("crash-sessions");
    std::vector<std::string> acknowledged;
    std::atomic<int> answered{0};
    {
        ServeProcess serve(db);
        std::thread writer([&] {
            auto client = serve.client();
            client.set_read_timeout(5);
            const std::string body = nlohmann::json{{"username", "clerk"}, {"password", testing::test_password}}.dump();
            for (int i = 0; i < 100'000; ++i) {
                const auto result = client.Post("/api/login", body, "application/json");
                if (!result) break;  // the server is gone
                if (result->status != 200) continue;
                acknowledged.push_back(body_json(result).at("token").get<std::string>());
                answered.store(static_cast<int>(acknowledged.size()));
            }
        });
        while (answered.load() < 10) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const int status = serve.stop(SIGKILL);  // mid-stream: the writer is still sending
        writer.join();
        ASSERT_TRUE(WIFSIGNALED(status));
        EXPECT_EQ(WTERMSIG(status), SIGKILL);
    }
    ASSERT_GE(acknowledged.size(), 10u);
    ServeProcess again(db);
    auto client = again.client();
    for (const std::string& token : acknowledged) {
        const auto me = client.Get("/api/me", httplib::Headers{{"Authorization", "Bearer " + token}});
        ASSERT_TRUE(me);
        EXPECT_EQ(me->status, 200) << "a session acknowledged before the kill is gone";
    }
}

TEST(CrashSafetyTest, EveryCaseCommentAcknowledgedBeforeAKillSurvivesIt) {
    const auto db = testing::private_store_copy("crash-comments");
    const auto token_of = [](httplib::Client& client) {
        const auto login = client.Post(
            "/api/login", nlohmann::json{{"username", "admin"}, {"password", testing::test_password}}.dump(),
            "application/json");
        return login && login->status == 200 ? body_json(login).at("token").get<std::string>() : std::string();
    };
    std::vector<std::string> acknowledged;
    std::int64_t case_id = 0;
    {
        ServeProcess serve(db);
        auto client = serve.client();
        const std::string token = token_of(client);
        client.set_bearer_token_auth(token);
        const auto findings = client.Get("/api/findings?subject_kind=customer&active=true&page_size=1");
        ASSERT_TRUE(findings && findings->status == 200);
        const auto finding = body_json(findings).at("items")[0].at("id").get<std::int64_t>();
        const auto opened =
            client.Post("/api/cases", nlohmann::json{{"findings", {finding}}}.dump(), "application/json");
        ASSERT_TRUE(opened && opened->status == 201) << (opened ? opened->body : "");
        case_id = body_json(opened).at("case_ids")[0];
        std::atomic<int> answered{0};
        std::thread writer([&] {
            auto stream = serve.client();
            stream.set_bearer_token_auth(token);
            for (int i = 0; i < 100'000; ++i) {
                const std::string note = "comment " + std::to_string(i);
                const auto result = stream.Post("/api/cases/" + std::to_string(case_id) + "/comments",
                                                nlohmann::json{{"note", note}}.dump(), "application/json");
                if (!result) break;
                if (result->status != 201) continue;
                acknowledged.push_back(note);
                answered.store(static_cast<int>(acknowledged.size()));
            }
        });
        while (answered.load() < 30) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const int status = serve.stop(SIGKILL);
        writer.join();
        ASSERT_TRUE(WIFSIGNALED(status));
    }
    ServeProcess again(db);
    auto client = again.client();
    client.set_bearer_token_auth(token_of(client));
    const auto shown = client.Get("/api/cases/" + std::to_string(case_id));
    ASSERT_TRUE(shown && shown->status == 200);
    std::set<std::string> stored;
    const nlohmann::json detail = body_json(shown);
    for (const auto& event : detail.at("events")) stored.insert(event.at("note").get<std::string>());
    for (const std::string& note : acknowledged) EXPECT_TRUE(stored.contains(note)) << note << " is gone";
}

}  // namespace
}  // namespace gridaudit
