// The capacity-violation penalty of LOSS-DEMAND-ABOVE-CONTRACT's findings (audit/capacity_penalty.hpp),
// by the recovery calculator: a two-part customer pays the basic charge of the added capacity over
// the months times the policy's multiple, another customer a fixed amount per kW; the penalty is
// the finding's money at risk; other rules' findings are untouched; inputs the calculator refuses
// leave a penalty_error instead.
#include "audit/capacity_penalty.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rules/catalogue.hpp"
#include "rules/evidence.hpp"

namespace gridaudit {
namespace {

const RuleInfo& demand_rule() {
    return standard_catalogue().find("LOSS-DEMAND-ABOVE-CONTRACT")->info();
}

Finding finding_with(bool two_part, double added_kw, std::int64_t months) {
    Finding finding;
    finding.rule_id = demand_rule().id;
    Evidence evidence(demand_rule());
    evidence.number("added_kw", added_kw).integer("months_above", months).flag("two_part", two_part);
    if (two_part)
        evidence.text("basic_price", "30");
    else
        evidence.null("basic_price");
    finding.evidence_json = evidence.dump();
    return finding;
}

TEST(CapacityPenaltyTest, TwoPartPaysThreeTimesTheBasicChargeOfTheAddedCapacity) {
    std::vector<Finding> findings{finding_with(true, 105, 3)};
    attach_capacity_penalties(findings, demand_rule(), RecoveryPolicy{});
    const auto evidence = nlohmann::json::parse(findings[0].evidence_json);
    EXPECT_EQ(evidence["basic_charge"], "9450.00");  // 105 kW x 30 x 3 months
    EXPECT_EQ(evidence["penalty"], "28350.00");      // x 3 (policy default)
    EXPECT_EQ(evidence["added_kw"], 105.0);          // the rule's fields kept
    EXPECT_TRUE(evidence.contains("penalty_article"));
    ASSERT_TRUE(findings[0].money_at_risk.has_value());
    EXPECT_EQ(findings[0].money_at_risk->to_string(2), "28350.00");
}

TEST(CapacityPenaltyTest, AnotherCustomerPaysPerKilowattAndOtherFindingsAreLeftAlone) {
    Finding other;
    other.rule_id = "LOSS-AREA-HIGH";
    other.evidence_json = R"({"x":1})";
    std::vector<Finding> findings{finding_with(false, 12.5, 4), other};
    attach_capacity_penalties(findings, demand_rule(), RecoveryPolicy{});
    const auto evidence = nlohmann::json::parse(findings[0].evidence_json);
    EXPECT_EQ(evidence["penalty"], "625.00");  // 50 per kW (policy default) x 12.5 kW
    EXPECT_FALSE(evidence.contains("basic_charge"));
    EXPECT_EQ(findings[1].evidence_json, R"({"x":1})");
    EXPECT_FALSE(findings[1].money_at_risk.has_value());
}

TEST(CapacityPenaltyTest, InputsTheCalculatorRefusesLeaveAnError) {
    std::vector<Finding> findings{finding_with(true, 0, 3)};
    attach_capacity_penalties(findings, demand_rule(), RecoveryPolicy{});
    const auto evidence = nlohmann::json::parse(findings[0].evidence_json);
    EXPECT_TRUE(evidence.contains("penalty_error"));
    EXPECT_FALSE(evidence.contains("penalty"));
    EXPECT_FALSE(findings[0].money_at_risk.has_value());
}

}  // namespace
}  // namespace gridaudit
