// Runs the LOSS rule cases under tests/cases/loss/, each case its own test (format:
// tests/support/rule_case_runner.hpp).
#include <gtest/gtest.h>

#include "rules/catalogue.hpp"
#include "rules/loss/loss_rules.hpp"
#include "support/case_test.hpp"
#include "support/rule_case_runner.hpp"

namespace gridaudit::testing {
namespace {

const std::filesystem::path loss_cases = std::filesystem::path(GRIDAUDIT_CASES_DIR) / "loss";

class LossRuleCaseTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(LossRuleCaseTest, ProducesExactlyTheExpectedFindings) {
    static const Catalogue catalogue = [] {
        Catalogue loss;
        add_loss_rules(loss);
        return loss;
    }();
    ASSERT_EQ(catalogue.rules().size(), 9u);
    report_case_failures(GetParam(), run_rule_case(GetParam(), catalogue));
}

INSTANTIATE_TEST_SUITE_P(Loss, LossRuleCaseTest, ::testing::ValuesIn(cases_in(loss_cases, no_block)), CaseTestName());

TEST(LossRuleCaseFolderTest, EveryCaseIsRead) {
    expect_every_case_read(loss_cases, no_block);
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
