// Tests of the [cases] policy section: thresholds by default, area and rule, causes, deadlines,
// and a typo refused with its key.
#include "cases/case_policy.hpp"

#include <gtest/gtest.h>

#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

Result<CasePolicy> policy_of(std::string_view toml) {
    GA_ASSIGN_OR_RETURN(const Policy policy, Policy::parse(toml, "policy.toml"));
    return CasePolicy::from(policy);
}

Finding finding(std::string rule, InspectionArea area, Severity severity, std::optional<Money> money = std::nullopt,
                std::optional<double> kwh = std::nullopt) {
    Finding f;
    f.rule_id = std::move(rule);
    f.area = area;
    f.severity = severity;
    f.money_at_risk = money;
    f.kwh_at_risk = kwh;
    return f;
}

TEST(CasePolicyTest, DefaultsOpenHighAndCriticalFindingsUnderTheirRuleId) {
    const CasePolicy policy = CasePolicy::defaults();
    EXPECT_TRUE(policy.qualifies(finding("LOSS-SUSPECT", InspectionArea::LOSS, Severity::high)));
    EXPECT_TRUE(policy.qualifies(finding("LOSS-SUSPECT", InspectionArea::LOSS, Severity::critical)));
    EXPECT_FALSE(policy.qualifies(finding("LOSS-SUSPECT", InspectionArea::LOSS, Severity::medium)));
    EXPECT_EQ(policy.cause_for("LOSS-SUSPECT"), "LOSS-SUSPECT");
    EXPECT_EQ(policy.deadline_days(CaseState::onsite_check), 10);
    EXPECT_FALSE(policy.deadline_days(CaseState::closed).has_value());
}

TEST(CasePolicyTest, RuleBeatsAreaBeatsSection) {
    ASSERT_OK_AND_ASSIGN(const CasePolicy policy, policy_of(R"toml(
[cases]
min_severity = "medium"
min_money_at_risk = 100.0
[cases.area.BILL]
min_money_at_risk = 1000.0
[cases.area.METER]
open = false
[cases.rule.BILL-UNLISTED-CHARGE]
min_money_at_risk = 10.0
cause = "billing_error"
[cases.rule.LOSS-SUSPECT]
min_kwh_at_risk = 500.0
[cases.deadlines]
onsite_check = 15
)toml"));
    const auto money = [](std::string_view text) { return *Money::parse(text); };
    EXPECT_TRUE(policy.qualifies(finding("LOSS-AREA-HIGH", InspectionArea::LOSS, Severity::medium)));
    EXPECT_FALSE(policy.qualifies(finding("LOSS-AREA-HIGH", InspectionArea::LOSS, Severity::low)));
    EXPECT_FALSE(policy.qualifies(finding("BILL-ENERGY-VS-READS", InspectionArea::BILL, Severity::high, money("999"))));
    EXPECT_TRUE(policy.qualifies(finding("BILL-ENERGY-VS-READS", InspectionArea::BILL, Severity::high, money("1000"))));
    EXPECT_TRUE(policy.qualifies(finding("BILL-UNLISTED-CHARGE", InspectionArea::BILL, Severity::high, money("46"))));
    EXPECT_FALSE(policy.qualifies(finding("METER-REVERSED", InspectionArea::METER, Severity::critical)));
    EXPECT_FALSE(policy.qualifies(finding("LOSS-SUSPECT", InspectionArea::LOSS, Severity::high, std::nullopt, 499.0)));
    EXPECT_TRUE(policy.qualifies(finding("LOSS-SUSPECT", InspectionArea::LOSS, Severity::high, std::nullopt, 500.0)));
    // A finding that does not say what is at risk is judged on its severity.
    EXPECT_TRUE(policy.qualifies(finding("BILL-TARIFF-CATEGORY", InspectionArea::BILL, Severity::medium)));
    EXPECT_EQ(policy.cause_for("BILL-UNLISTED-CHARGE"), "billing_error");
    EXPECT_EQ(policy.deadline_days(CaseState::onsite_check), 15);
    EXPECT_EQ(policy.deadline_days(CaseState::online_check), 5);
}

TEST(CasePolicyTest, TyposAndWrongValuesAreNamed) {
    const auto message = [](std::string_view toml) {
        const auto policy = policy_of(toml);
        EXPECT_FALSE(policy.has_value()) << toml;
        return policy ? std::string() : policy.error().message();
    };
    EXPECT_NE(message("[cases]\nmin_severty = \"high\"\n").find("[cases] min_severty: unknown key"), std::string::npos);
    EXPECT_NE(message("[cases]\nmin_severity = \"urgent\"\n").find("must be info, low, medium, high or critical"),
              std::string::npos);
    EXPECT_NE(message("[cases.rule.NO-SUCH-RULE]\ncause = \"x\"\n").find("names no rule"), std::string::npos);
    EXPECT_NE(message("[cases.area.FOO]\nopen = false\n").find("FOO is not an inspection area"), std::string::npos);
    EXPECT_NE(message("[cases.deadlines]\nclosed = 3\n").find("not a state with a deadline"), std::string::npos);
    EXPECT_NE(message("[cases.deadlines]\nnew = 1.5\n").find("whole number"), std::string::npos);
    EXPECT_NE(message("[cases.rule.LOSS-SUSPECT]\ncause = \"two words\"\n").find("cause: must be"), std::string::npos);
    EXPECT_NE(message("[cases]\nholidays = [\"2026-13-01\"]\n").find("2026-13-01"), std::string::npos);
    EXPECT_NE(message("[cases.other]\nx = 1\n").find("unknown section"), std::string::npos);
}

TEST(CasePolicyTest, WorkingDaysSkipWeekendsHolidaysAndCountMakeUpDays) {
    const CasePolicy policy = CasePolicy::defaults();
    // Friday 2026-09-18 + 2: Saturday the 19th is off, Sunday the 20th a make-up working day.
    EXPECT_EQ(policy.add_working_days(CivilDate::from_ymd(2026, 9, 18), 2), CivilDate::from_ymd(2026, 9, 21));
    // Wednesday 2026-09-30 + 1: the National Day week (Oct 1-7) is off.
    EXPECT_EQ(policy.add_working_days(CivilDate::from_ymd(2026, 9, 30), 1), CivilDate::from_ymd(2026, 10, 8));
    EXPECT_EQ(policy.due_on(CaseState::new_case, *Instant::parse("2026-09-30T17:00:00Z")),
              CivilDate::from_ymd(2026, 10, 9));  // 01:00 on Oct 1 in Beijing: +2 is Fri the 9th
}

}  // namespace
}  // namespace gridaudit
