// Runs every data-driven rule case under tests/cases/ (see rule_case_runner.hpp for the format).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/rule_case_runner.hpp"

namespace gridaudit::testing {
namespace {

// Every case of `folder` (under tests/cases/) against the standard catalogue: exactly the
// expected findings, and at least `minimum` cases (so a moved folder cannot pass silently).
void expect_every_case_holds(const std::string& folder, std::size_t minimum) {
    const auto outcomes = run_rule_cases(std::string(GRIDAUDIT_CASES_DIR) + "/" + folder, standard_catalogue());
    ASSERT_GE(outcomes.size(), minimum) << "the case files were not found or hold too few cases";
    for (const auto& outcome : outcomes) {
        SCOPED_TRACE(fmt::format("{}:{}: {}", outcome.file, outcome.line, outcome.name));
        EXPECT_EQ(outcome.error, "");
        EXPECT_EQ(outcome.actual, outcome.expected);
    }
}

TEST(RuleCasesTest, EveryCaseProducesExactlyTheExpectedFindings) {
    expect_every_case_holds("meter", 10);
}

TEST(RuleCasesTest, EveryBillingCaseProducesExactlyTheExpectedFindings) {
    expect_every_case_holds("billing", 20);
}

TEST(RuleCasesTest, EveryProcessCaseProducesExactlyTheExpectedFindings) {
    expect_every_case_holds("process", 10);
}

TEST(RuleCasesTest, EveryMasterDataCaseProducesExactlyTheExpectedFindings) {
    expect_every_case_holds("master", 2);
}

}  // namespace
}  // namespace gridaudit::testing
