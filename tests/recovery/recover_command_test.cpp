// `gridaudit recover`: the command parses its subcommand and arguments and prints the library's output.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/command.hpp"

namespace gridaudit {

CommandRegistration register_recover_command(CLI::App& app);

namespace {

struct CommandOutcome {
    Result<int> result = 0;
    std::string output;
};

CommandOutcome run(std::vector<std::string> arguments) {
    CLI::App app{"test"};
    const CommandRegistration command = register_recover_command(app);
    arguments.insert(arguments.begin(), "gridaudit");
    std::vector<const char*> argv;
    for (const auto& a : arguments) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    ::testing::internal::CaptureStdout();
    CommandOutcome outcome;
    outcome.result = command.action();
    std::fflush(stdout);
    outcome.output = ::testing::internal::GetCapturedStdout();
    return outcome;
}

TEST(RecoverCommandTest, TheftWithDashedOptionsPrintsTheItemisedText) {
    const auto outcome = run({"recover", "theft", "--capacity-kw", "3", "--use", "power", "--price=0.7625"});
    ASSERT_TRUE(outcome.result) << outcome.result.error().message();
    EXPECT_EQ(*outcome.result, 0);
    EXPECT_NE(outcome.output.find("stolen_kwh"), std::string::npos) << outcome.output;
    EXPECT_NE(outcome.output.find("19764.00 CNY"), std::string::npos) << outcome.output;
}

TEST(RecoverCommandTest, JsonFlagPrintsJson) {
    const auto outcome = run({"recover", "metering", "cause=multiplier", "right_ratio=600/5", "billed_ratio=300/5",
                              "recorded_kwh=12000", "price=0.5", "--json"});
    ASSERT_TRUE(outcome.result) << outcome.result.error().message();
    EXPECT_NE(outcome.output.find("\"computation\": \"metering.multiplier\""), std::string::npos) << outcome.output;
    EXPECT_NE(outcome.output.find("\"total\": \"6000.00\""), std::string::npos) << outcome.output;
}

TEST(RecoverCommandTest, PolicyFileChangesTheRates) {
    const auto folder = std::filesystem::temp_directory_path() / ("recover_command_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    const auto file = folder / "gridaudit.toml";
    std::ofstream(file) << "[recovery]\nmeter_interference_other = 8000\n";
    const auto outcome =
        run({"recover", "violation", "type=meter_interference", "customer=other", "--policy", file.string(), "--json"});
    std::filesystem::remove_all(folder);
    ASSERT_TRUE(outcome.result) << outcome.result.error().message();
    EXPECT_NE(outcome.output.find("\"total\": \"8000.00\""), std::string::npos) << outcome.output;
}

TEST(RecoverCommandTest, BadInputIsAUserError) {
    const auto outcome =
        run({"recover", "late-payment", "customer=residential", "amount=-5", "due=2026-03-15", "paid=2026-03-20"});
    ASSERT_FALSE(outcome.result);
    EXPECT_EQ(outcome.result.error().kind(), ErrorClass::user);
    EXPECT_NE(outcome.result.error().message().find("amount must be more than 0"), std::string::npos);
}

TEST(RecoverCommandTest, PolicySubcommandPrintsTheSection) {
    const auto outcome = run({"recover", "policy"});
    ASSERT_TRUE(outcome.result);
    EXPECT_NE(outcome.output.find("[recovery]\ntheft_penalty_multiple = 3"), std::string::npos) << outcome.output;
}

}  // namespace
}  // namespace gridaudit
