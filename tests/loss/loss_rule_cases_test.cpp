// Runs the LOSS rule cases under tests/cases/loss/ (see tests/support/rule_case_runner.hpp).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "rules/catalogue.hpp"
#include "rules/loss/loss_rules.hpp"
#include "support/rule_case_runner.hpp"

namespace gridaudit::testing {
namespace {

TEST(LossRuleCasesTest, EveryCaseProducesExactlyTheExpectedFindings) {
    Catalogue catalogue;
    add_loss_rules(catalogue);
    ASSERT_EQ(catalogue.rules().size(), 6u);
    const auto outcomes = run_rule_cases(GRIDAUDIT_CASES_DIR "/loss", catalogue);
    ASSERT_GE(outcomes.size(), 24u) << "the case files were not found or hold too few cases";
    for (const auto& outcome : outcomes) {
        SCOPED_TRACE(fmt::format("{}:{}: {}", outcome.file, outcome.line, outcome.name));
        EXPECT_EQ(outcome.error, "");
        EXPECT_EQ(outcome.actual, outcome.expected);
    }
}

TEST(LossRuleCasesTest, EveryRuleDeclaresParametersAndEvidence) {
    Catalogue catalogue;
    add_loss_rules(catalogue);
    for (const auto& rule : catalogue.rules()) {
        EXPECT_TRUE(rule->info().id.starts_with("LOSS-")) << rule->info().id;
        EXPECT_EQ(rule->info().area, InspectionArea::LOSS);
        EXPECT_FALSE(rule->info().parameters.empty()) << rule->info().id;
        EXPECT_FALSE(rule->info().evidence_fields.empty()) << rule->info().id;
        EXPECT_GT(rule->info().description.size(), 100u) << rule->info().id;
    }
    EXPECT_TRUE(catalogue.check_policy(Policy()));
}

}  // namespace
}  // namespace gridaudit::testing
