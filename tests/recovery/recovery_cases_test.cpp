// Runs every data-driven back-billing and penalty case under tests/cases/recovery/, each case its own
// test (format: recovery_case_runner.hpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "recovery/recovery_case_runner.hpp"
#include "support/case_test.hpp"

namespace gridaudit::testing {
namespace {

const std::filesystem::path recovery_cases = std::filesystem::path(GRIDAUDIT_CASES_DIR) / "recovery";

class RecoveryCaseTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(RecoveryCaseTest, MeetsItsExpectations) {
    report_case_failures(GetParam(), run_recovery_case(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Recovery, RecoveryCaseTest, ::testing::ValuesIn(cases_in(recovery_cases, recovery_block)),
                         CaseTestName());

TEST(RecoveryCaseFolderTest, EveryCaseIsRead) {
    expect_every_case_read(recovery_cases, recovery_block);
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
    std::ofstream(folder / "unclosed.test") << "case a policy without end\n"
                                               "policy\n"
                                               "[recovery]\n";
    const auto read = read_case_folder(folder, recovery_block);
    std::filesystem::remove_all(folder);
    ASSERT_EQ(read.cases.size(), 3u);
    EXPECT_EQ(read.headers, 3u);
    ASSERT_EQ(read.problems.size(), 1u);
    EXPECT_EQ(read.problems[0], "unclosed.test:2: `policy` block without `end`");
    const auto wrong = run_recovery_case(read.cases[1]);
    ASSERT_EQ(wrong.size(), 4u);
    EXPECT_EQ(wrong[0].line, 3);
    EXPECT_NE(wrong[0].message.find("energy: got 6480, expected 6481"), std::string::npos);
    EXPECT_EQ(wrong[3].line, 6);
    EXPECT_NE(wrong[3].message.find("the run succeeded"), std::string::npos);
    const auto unknown = run_recovery_case(read.cases[2]);
    ASSERT_EQ(unknown.size(), 2u);
    EXPECT_EQ(unknown[0].line, 8);
    EXPECT_NE(unknown[0].message.find("unknown directive"), std::string::npos);
    EXPECT_EQ(unknown[1].message, "a case without expectations");
}

}  // namespace
}  // namespace gridaudit::testing
