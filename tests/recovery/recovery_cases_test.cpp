// Runs every data-driven back-billing and penalty case under tests/cases/recovery/ (format:
// recovery_case_runner.hpp).
#include <fmt/format.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace gridaudit::testing
