// Tests of the KPIs over a hand-built month of cases: counts, the within-deadline share (a state
// left after its working-day deadline), the confirmed rate and each rule's precision, money and kWh
// assessed and recovered (a payment counted up to what was owed), mean days, overdue cases, the
// roll-up of units and the weighted score, and the [kpis] weights.
#include "cases/kpis.hpp"

#include <gtest/gtest.h>

#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

Case make_case(std::int64_t id, std::string unit, std::string assignee, std::string opened_at, CaseState state,
               std::optional<Conclusion> conclusion) {
    Case c;
    c.case_id = id;
    c.subject_id = "C" + std::to_string(id);
    c.cause = "theft";
    c.unit_id = std::move(unit);
    c.assignee = std::move(assignee);
    c.opened_at = std::move(opened_at);
    c.state = state;
    c.conclusion = conclusion;
    return c;
}

void move(KpiInput& input, std::int64_t id, std::string at, std::string from, std::string to) {
    input.moves.push_back(
        {id, std::move(at), "someone", from == to ? "assignment" : "transition", std::move(from), std::move(to)});
}

// October 2026 (deadlines: new 2, assigned 2, online_check 5, onsite_check 10 working days).
KpiInput october() {
    KpiInput input;
    input.units = {{"U0", ""}, {"U1", "U0"}, {"U2", "U0"}};
    // 1: theft in U1, every state left in time, concluded 10-16, approved 10-19, paid 600 + 600 of 1,000.
    input.cases.push_back(
        make_case(1, "U1", "li", "2026-10-12T01:00:00Z", CaseState::closed, Conclusion::confirmed_theft));
    move(input, 1, "2026-10-12T02:00:00Z", "new", "assigned");
    move(input, 1, "2026-10-13T02:00:00Z", "assigned", "online_check");
    move(input, 1, "2026-10-14T02:00:00Z", "online_check", "onsite_check");
    move(input, 1, "2026-10-16T02:00:00Z", "onsite_check", "concluded");
    move(input, 1, "2026-10-16T03:00:00Z", "concluded", "back_billing");
    move(input, 1, "2026-10-19T02:00:00Z", "back_billing", "recovery");
    move(input, 1, "2026-10-26T02:00:00Z", "recovery", "closed");
    BackBillingRecord billing;
    billing.case_id = 1;
    billing.energy_kwh = 500;
    billing.total = *Money::parse("1000.00");
    billing.approved_at = "2026-10-19T02:00:00Z";
    billing.notice_number = "BB-2026-000001";
    billing.recovered_on = CivilDate::from_ymd(2026, 10, 26);
    input.back_billings.push_back(billing);
    const auto payment = [](std::int64_t id, std::string_view amount, CivilDate paid_on) {
        CasePayment p;
        p.payment_id = id;
        p.case_id = 1;
        p.notice_number = "BB-2026-000001";
        p.amount = *Money::parse(amount);
        p.paid_on = paid_on;
        return p;
    };
    input.payments.push_back(payment(1, "600", CivilDate::from_ymd(2026, 10, 20)));
    input.payments.push_back(payment(2, "600", CivilDate::from_ymd(2026, 10, 26)));
    input.links.push_back({1, 11, "LOSS-SUSPECT", "2026-10-09T00:00:00Z"});
    // 2: U2, left assigned on 10-19 (due 10-14), concluded no_problem 10-20.
    input.cases.push_back(
        make_case(2, "U2", "zhao", "2026-10-12T01:00:00Z", CaseState::closed, Conclusion::no_problem));
    move(input, 2, "2026-10-12T02:00:00Z", "new", "assigned");
    move(input, 2, "2026-10-19T02:00:00Z", "assigned", "online_check");
    move(input, 2, "2026-10-20T02:00:00Z", "online_check", "concluded");
    move(input, 2, "2026-10-20T03:00:00Z", "concluded", "closed");
    input.links.push_back({2, 12, "BILL-ENERGY-VS-READS", "2026-10-12T00:00:00Z"});
    // 3: U1, a fee-center case assigned 10-20 (due 10-22) and still assigned: overdue at the month's end.
    input.cases.push_back(make_case(3, "U1", "li", "2026-10-20T01:00:00Z", CaseState::assigned, std::nullopt));
    move(input, 3, "2026-10-20T02:00:00Z", "new", "assigned");
    // 4: U1, all of it in September.
    input.cases.push_back(
        make_case(4, "U1", "li", "2026-09-10T01:00:00Z", CaseState::closed, Conclusion::master_data_error));
    move(input, 4, "2026-09-10T02:00:00Z", "new", "assigned");
    move(input, 4, "2026-09-11T02:00:00Z", "assigned", "online_check");
    move(input, 4, "2026-09-11T03:00:00Z", "online_check", "concluded");
    move(input, 4, "2026-09-11T04:00:00Z", "concluded", "closed");
    input.links.push_back({4, 14, "LOSS-SUSPECT", "2026-09-09T00:00:00Z"});
    input.findings = {{11, "U1", "2026-10-09T00:00:00Z"},
                      {12, "U2", "2026-10-12T00:00:00Z"},
                      {13, "U2", "2026-10-30T00:00:00Z"},
                      {14, "U1", "2026-09-09T00:00:00Z"}};
    return input;
}

const Instant after_october = *Instant::parse("2026-11-05T01:00:00Z");
const Period period = *Period::parse("2026-10");

TEST(KpisTest, TheWholeUtilitysMonth) {
    const KpiReport report =
        compute_kpis(october(), CasePolicy::defaults(), KpiWeights{}, period, after_october, Actor::system());
    EXPECT_EQ(report.as_of, CivilDate::from_ymd(2026, 10, 31));
    const KpiFigures& t = report.total;
    EXPECT_EQ(t.findings, 3u);
    EXPECT_EQ(t.cases_opened, 3u);
    EXPECT_EQ(t.concluded, 2u);
    EXPECT_EQ(t.within_deadline_share(), 0.5);
    EXPECT_EQ(t.confirmed_rate(), 0.5);
    EXPECT_EQ(t.kwh_assessed, 500);
    EXPECT_EQ(t.money_assessed, *Money::parse("1000.00"));
    EXPECT_EQ(t.money_recovered, *Money::parse("1000.00"));  // 600 + the 400 still owed of the second 600
    EXPECT_EQ(t.kwh_recovered, 500);
    EXPECT_EQ(t.mean_days_to_conclusion(), 7.5);  // 10-09 -> 10-16 and 10-12 -> 10-20
    EXPECT_EQ(t.mean_days_to_recovery(), 17.0);   // 10-09 -> 10-26
    EXPECT_EQ(t.open_at_end, 1u);
    EXPECT_EQ(t.overdue, 1u);
    // 100 x (0.3 x 0.5 + 0.2 x 0.5 + 0.3 x 1 + 0.2 x 0) / 1.0
    ASSERT_TRUE(report.total_score.has_value());
    EXPECT_NEAR(*report.total_score, 55.0, 1e-9);

    ASSERT_EQ(report.units.size(), 3u);
    EXPECT_EQ(report.units[0].unit_id, "U0");
    EXPECT_EQ(report.units[0].figures.cases_opened, 3u);
    EXPECT_NEAR(*report.units[0].score, 55.0, 1e-9);
    EXPECT_EQ(report.units[1].unit_id, "U1");
    EXPECT_EQ(report.units[1].figures.findings, 1u);
    EXPECT_EQ(report.units[1].figures.within_deadline_share(), 1.0);
    EXPECT_NEAR(*report.units[1].score, 80.0, 1e-9);  // (0.3 + 0.2 + 0.3 + 0) / 1.0
    EXPECT_EQ(report.units[2].unit_id, "U2");
    EXPECT_EQ(report.units[2].figures.findings, 2u);
    EXPECT_FALSE(report.units[2].figures.recovery_rate().has_value());
    EXPECT_NEAR(*report.units[2].score, 0.0, 1e-9);  // within deadline and confirmed both 0; nothing else

    ASSERT_EQ(report.people.size(), 2u);
    EXPECT_EQ(report.people[0].username, "li");
    EXPECT_EQ(report.people[0].figures.concluded, 1u);
    EXPECT_EQ(report.people[0].figures.overdue, 1u);
    EXPECT_EQ(report.people[1].username, "zhao");
    EXPECT_EQ(report.people[1].figures.confirmed_rate(), 0.0);

    ASSERT_EQ(report.rules.size(), 2u);
    EXPECT_EQ(report.rules[0].rule_id, "BILL-ENERGY-VS-READS");
    EXPECT_EQ(report.rules[0].precision(), 0.0);
    EXPECT_EQ(report.rules[1].rule_id, "LOSS-SUSPECT");  // September's case is not October's
    EXPECT_EQ(report.rules[1].concluded, 1u);
    EXPECT_EQ(report.rules[1].precision(), 1.0);
}

TEST(KpisTest, AUnitsActorSeesItsUnitOnlyAndOpenCasesAreCountedOnTheMonthsLastDayOrToday) {
    const Actor u2{9, "zhao", Role::supervisor, "U2"};
    const KpiReport report = compute_kpis(october(), CasePolicy::defaults(), KpiWeights{}, period, after_october, u2);
    ASSERT_EQ(report.units.size(), 1u);
    EXPECT_EQ(report.units[0].unit_id, "U2");
    EXPECT_EQ(report.total.cases_opened, 1u);
    EXPECT_EQ(report.total.findings, 2u);

    // On 10-21 case 1 is still in recovery (due 30 working days after 10-19) and case 3 not yet late.
    const KpiReport mid = compute_kpis(october(), CasePolicy::defaults(), KpiWeights{}, period,
                                       *Instant::parse("2026-10-21T01:00:00Z"), Actor::system());
    EXPECT_EQ(mid.as_of, CivilDate::from_ymd(2026, 10, 21));
    EXPECT_EQ(mid.total.open_at_end, 2u);
    EXPECT_EQ(mid.total.overdue, 0u);
}

TEST(KpisTest, TheWeightsComeFromTheKpisSection) {
    ASSERT_OK_AND_ASSIGN(const Policy policy, Policy::parse("[kpis]\nwithin_deadline = 1.0\non_time = 0.0\n", "p"));
    ASSERT_OK_AND_ASSIGN(const KpiWeights weights, KpiWeights::from(policy));
    EXPECT_EQ(weights.within_deadline, 1.0);
    EXPECT_EQ(weights.confirmed_rate, 0.2);
    EXPECT_EQ(weights.on_time, 0.0);
    ASSERT_OK_AND_ASSIGN(const Policy unknown, Policy::parse("[kpis]\nspeed = 1.0\n", "p"));
    const auto refused = KpiWeights::from(unknown);
    ASSERT_FALSE(refused.has_value());
    EXPECT_NE(refused.error().message().find("[kpis] speed: unknown key"), std::string::npos);
    ASSERT_OK_AND_ASSIGN(const Policy negative, Policy::parse("[kpis]\non_time = -1.0\n", "p"));
    EXPECT_FALSE(KpiWeights::from(negative).has_value());
}

TEST(KpisTest, TheJsonNamesEveryFigure) {
    const auto json = kpi_report_json(
        compute_kpis(october(), CasePolicy::defaults(), KpiWeights{}, period, after_october, Actor::system()));
    EXPECT_EQ(json["period"], "2026-10");
    EXPECT_EQ(json["total"]["money_recovered"], "1000.00");
    EXPECT_EQ(json["total"]["mean_days_to_conclusion"], 7.5);
    EXPECT_EQ(json["units"][2]["recovery_rate"], nullptr);
    EXPECT_EQ(json["rules"][1]["rule_id"], "LOSS-SUSPECT");
}

}  // namespace
}  // namespace gridaudit
