// `gridaudit serve` as a user runs it: prints the address it listens on (the port chosen for
// --port 0), answers over HTTP, stops cleanly on SIGTERM and SIGINT; a missing store, a port in use
// and a bad option are refused with exit code 1.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>

#include "support/command_runner.hpp"
#include "test_utility.hpp"

namespace gridaudit {
namespace {

using testing::ServeProcess;

TEST(ServeCommandTest, PrintsItsPortServesAndStopsOnSigtermAndSigint) {
    for (const int signal : {SIGTERM, SIGINT}) {
        ServeProcess serve(testing::private_store_copy("serve"));
        EXPECT_NE(serve.output().find("listening on http://127.0.0.1:"), std::string::npos) << serve.output();
        auto client = serve.client();
        const auto anonymous = client.Get("/api/rules");
        ASSERT_TRUE(anonymous);
        EXPECT_EQ(anonymous->status, 401);
        const auto login =
            client.Post("/api/login", R"({"username": "analyst", "password": "test-password-1"})", "application/json");
        ASSERT_TRUE(login);
        ASSERT_EQ(login->status, 200) << login->body;
        client.set_bearer_token_auth(nlohmann::json::parse(login->body).at("token").get<std::string>());
        const auto rules = client.Get("/api/rules");
        ASSERT_TRUE(rules);
        EXPECT_EQ(rules->status, 200);
        const int status = serve.stop(signal);
        ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal: " << serve.output();
        EXPECT_EQ(WEXITSTATUS(status), 0);
        EXPECT_NE(serve.output().find("stopping"), std::string::npos) << serve.output();
    }
}

TEST(ServeCommandTest, RefusesAMissingStoreAPortInUseAndBadOptions) {
    const CommandOutput missing = run_command(GRIDAUDIT_BINARY, "serve --db /nonexistent/x.db --port 0");
    EXPECT_EQ(missing.exit_code, 1) << missing.out;
    ServeProcess serve(testing::private_store_copy("serve"));
    const CommandOutput in_use = run_command(GRIDAUDIT_BINARY, "serve --db " + testing::test_utility_store().string() +
                                                                   " --port " + std::to_string(serve.port()));
    EXPECT_EQ(in_use.exit_code, 1) << in_use.out;
    EXPECT_NE(in_use.out.find("cannot bind"), std::string::npos) << in_use.out;
    const CommandOutput bad_port =
        run_command(GRIDAUDIT_BINARY, "serve --db " + testing::test_utility_store().string() + " --port 70000");
    EXPECT_EQ(bad_port.exit_code, 1) << bad_port.out;
}

}  // namespace
}  // namespace gridaudit
