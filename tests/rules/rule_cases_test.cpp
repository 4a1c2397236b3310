// Runs every data-driven rule case under tests/cases/ (see rule_case_runner.hpp for the format).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/rule_case_runner.hpp"

namespace gridaudit::testing {
namespace {

// Case folders of the rules registered in the standard catalogue.
TEST(RuleCasesTest, EveryCaseProducesExactlyTheExpectedFindings) {
    const auto outcomes = run_rule_cases(GRIDAUDIT_CASES_DIR "/meter", standard_catalogue());
    ASSERT_GE(outcomes.size(), 10u) << "the case files were not found or hold too few cases";
    for (const auto& outcome : outcomes) {
        SCOPED_TRACE(fmt::format("{}:{}: {}", outcome.file, outcome.line, outcome.name));
        EXPECT_EQ(outcome.error, "");
        EXPECT_EQ(outcome.actual, outcome.expected);
    }
}

TEST(RuleCasesTest, EveryBillingCaseProducesExactlyTheExpectedFindings) {
    const auto outcomes = run_rule_cases(GRIDAUDIT_CASES_DIR "/billing", standard_catalogue());
    ASSERT_GE(outcomes.size(), 20u) << "the case files were not found or hold too few cases";
    for (const auto& outcome : outcomes) {
        SCOPED_TRACE(fmt::format("{}:{}: {}", outcome.file, outcome.line, outcome.name));
        EXPECT_EQ(outcome.error, "");
        EXPECT_EQ(outcome.actual, outcome.expected);
    }
}

TEST(RuleCasesTest, EveryProcessCaseProducesExactlyTheExpectedFindings) {
    const auto outcomes = run_rule_cases(GRIDAUDIT_CASES_DIR "/process", standard_catalogue());
    ASSERT_GE(outcomes.size(), 10u) << "the case files were not found or hold too few cases";
    for (const auto& outcome : outcomes) {
        SCOPED_TRACE(fmt::format("{}:{}: {}", outcome.file, outcome.line, outcome.name));
        EXPECT_EQ(outcome.error, "");
        EXPECT_EQ(outcome.actual, outcome.expected);
    }
}

}  // namespace
}  // namespace gridaudit::testing
