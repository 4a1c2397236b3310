// Runs every data-driven back-billing and penalty case under tests/cases/recovery/ (format:
// recovery_case_runner.hpp).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "recovery/recovery_case_runner.hpp"

namespace gridaudit::testing {
namespace {

TEST(RecoveryCasesTest, EveryCaseMeetsItsExpectations) {
    const auto outcomes = run_recovery_cases(std::filesystem::path(GRIDAUDIT_CASES_DIR) / "recovery");
    ASSERT_GE(outcomes.size(), 30u) << "the case files were not found or hold too few cases";
    for (const auto& outcome : outcomes) {
        SCOPED_TRACE(fmt::format("{}:{}: {}", outcome.file, outcome.line, outcome.name));
        EXPECT_GT(outcome.checks, 0) << "a case without expectations";
        for (const auto& failure : outcome.failures) ADD_FAILURE() << failure;
    }
}

// The runner itself: wrong expectations, unknown directives and cases without checks are reported.
TEST(RecoveryCasesTest, RunnerReportsWrongExpectations) {
    const auto folder = std::filesystem::temp_directory_path() / ("recovery_runner_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    std::ofstream(folder / "wrong.test") << "case wrong numbers\n"
                                            "run theft capacity_kw=3 price=0.7625\n"
                                            "expect energy 6481\n"
                                            "expect amount penalty 14823.01\n"
                                            "expect step days 181\n"
                                            "expect error anything\n"
                                            "case an unknown directive\n"
                                            "frobnicate\n";
    const auto outcomes = run_recovery_cases(folder);
    std::filesystem::remove_all(folder);
    ASSERT_EQ(outcomes.size(), 2u);
    EXPECT_EQ(outcomes[0].checks, 4);
    ASSERT_EQ(outcomes[0].failures.size(), 4u);
    EXPECT_NE(outcomes[0].failures[0].find("energy: got 6480, expected 6481"), std::string::npos);
    EXPECT_NE(outcomes[0].failures[3].find("the run succeeded"), std::string::npos);
    ASSERT_EQ(outcomes[1].failures.size(), 1u);
    EXPECT_NE(outcomes[1].failures[0].find("unknown directive"), std::string::npos);
}

}  // namespace
}  // namespace gridaudit::testing
