// A server killed with SIGKILL in the middle of writes loses nothing it acknowledged: the
// `gridaudit serve` binary over a private store copy takes a stream of writes from a client
// thread (logins: each a session, a login attempt and an audit-log entry, committed before the
// answer), is killed while they flow, and a new server on the same store honours every token it
// had answered with.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
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

}  // namespace
}  // namespace gridaudit
