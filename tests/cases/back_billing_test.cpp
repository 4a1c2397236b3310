// Tests of back-billing from a case: the amount equals the calculator's (and `gridaudit recover
// theft`'s) for the same inputs, evidence feeds the arguments, approval needs a supervisor and
// assigns the notice number, payments partial, full and over the total close the case.
#include "cases/back_billing.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "case_test_store.hpp"
#include "support/command_runner.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::CaseTestStore;
using testing::test_finding;

// Thursday 2026-09-24, 09:00 in Beijing.
const Instant opening_day = *Instant::parse("2026-09-24T01:00:00Z");
const Instant paying_day = *Instant::parse("2026-10-20T01:00:00Z");

Money cny(std::string_view text) {
    return *Money::parse(text);
}

class BackBillingTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto workflow = CaseWorkflow::open(*fixture_.store, CasePolicy::defaults());
        ASSERT_TRUE(workflow.has_value()) << workflow.error().message();
        workflow_.emplace(std::move(*workflow));
        recovery_.emplace(*fixture_.store, *workflow_, RecoveryPolicy{});
    }

    // A case about customer C1 from one finding with `evidence`, walked to concluded `conclusion`.
    Case concluded_case(std::string rule, std::string evidence, Conclusion conclusion) {
        Finding finding = test_finding(std::move(rule), "customer", "C1", Severity::high);
        finding.evidence_json = std::move(evidence);
        const auto ids = fixture_.record({finding}, "2026-09-24T00:00:00Z");
        const auto report = workflow_->open_for_findings(system_, ids, opening_day);
        EXPECT_TRUE(report.has_value()) << report.error().message();
        Case c = fixture_.store->cases().find_case(report->case_ids.at(0)).value().value();
        c = workflow_->assign(supervisor_, c.case_id, c.version, "li", "", opening_day).value();
        for (const CaseState s : {CaseState::online_check, CaseState::onsite_check})
            c = workflow_->transition(inspector_, {c.case_id, c.version, s, "", std::nullopt}, opening_day).value();
        auto done = workflow_->transition(inspector_, {c.case_id, c.version, CaseState::concluded, "", conclusion},
                                          opening_day);
        EXPECT_TRUE(done.has_value()) << done.error().message();
        return *done;
    }

    BackBillingFacts facts(std::string_view json) { return parse_back_billing_facts(json).value(); }

    CaseTestStore fixture_;
    std::optional<CaseWorkflow> workflow_;
    std::optional<CaseRecovery> recovery_;
    const Actor system_ = Actor::system();
    const Actor supervisor_{7, "wang", Role::supervisor, "U0"};
    const Actor inspector_{8, "li", Role::inspector, "U1"};
    const Actor clerk_{10, "chen", Role::clerk, "U1"};
};

const std::string loss_suspect_evidence =
    R"({"node":"N1","rank":1,"signal":"step","from":"2026-03-01","to":"2026-08-28","coefficient":0.98,)"
    R"("t":9.1,"drop":0.6,"estimated_kwh":2950.5,"area_excess_kwh":3100.2,"base_rate":0.031,"residual_sigma":0.01})";

TEST_F(BackBillingTest, ATheftCaseIsBilledWhatTheCalculatorAndGridauditRecoverTheftGive) {
    const Case c = concluded_case("LOSS-SUSPECT", loss_suspect_evidence, Conclusion::confirmed_theft);
    ASSERT_OK_AND_ASSIGN(const auto view,
                         recovery_->calculate(inspector_, c.case_id, c.version,
                                              facts(R"({"capacity_kw": "2.5", "price": 0.5653})"), opening_day));
    EXPECT_EQ(view.case_summary.state, CaseState::back_billing);
    // The dates came from LOSS-SUSPECT's from and to: 180 days x 12 h x 2.5 kW = 5,400 kWh.
    const RecoveryArguments same{
        {"start", "2026-03-01"}, {"end", "2026-08-28"}, {"capacity_kw", "2.5"}, {"price", "0.5653"}};
    ASSERT_OK_AND_ASSIGN(const Recovery direct, compute_recovery("theft", same, RecoveryPolicy{}));
    EXPECT_EQ(view.record.total, direct.total);
    EXPECT_EQ(view.record.computation, "theft");
    EXPECT_EQ(view.record.article, direct.article);
    ASSERT_EQ(view.record.items.size(), direct.amounts.size());
    for (std::size_t i = 0; i < direct.amounts.size(); ++i) {
        EXPECT_EQ(view.record.items[i].name, direct.amounts[i].name);
        EXPECT_EQ(view.record.items[i].amount, direct.amounts[i].rounded);
        EXPECT_EQ(view.record.items[i].article, "Supply Business Rules 1996 art. 102-103");
    }
    EXPECT_EQ(view.record.energy_kwh, 5400.0);
    EXPECT_EQ(view.record.total, cny("12210.48"));  // 5,400 x 0.5653 = 3,052.62, x 4 with the 3x penalty
    const auto sources = nlohmann::json::parse(view.record.sources_json);
    EXPECT_EQ(sources["start"], fmt::format("finding 1 (LOSS-SUSPECT from)"));
    EXPECT_EQ(sources["price"], "on site");

    const auto command = run_command(
        GRIDAUDIT_BINARY, "recover theft --start 2026-03-01 --end 2026-08-28 --capacity-kw 2.5 --price 0.5653 --json");
    ASSERT_EQ(command.exit_code, 0) << command.out;
    const auto printed = nlohmann::json::parse(command.out);
    EXPECT_EQ(printed["total"], view.record.total.to_string(2));
    EXPECT_EQ(nlohmann::json::parse(view.record.recovery_json)["amounts"], printed["amounts"]);
}

TEST_F(BackBillingTest, ThePublishedExampleThreeKilowattsDurationUnknown) {
    // docs/recovery.md: 3 kW private tap, duration unknown, power customer, 0.7625 CNY/kWh -> 6,480 kWh,
    // back-billed 4,941.00, penalty 14,823.00, total 19,764.00. The inspector strikes out the evidence's dates.
    const Case c = concluded_case("LOSS-SUSPECT", loss_suspect_evidence, Conclusion::confirmed_theft);
    ASSERT_OK_AND_ASSIGN(const auto view,
                         recovery_->calculate(inspector_, c.case_id, c.version,
                                              facts(R"({"capacity_kw": 3, "price": "0.7625", "start": null,
                                                        "end": null})"),
                                              opening_day));
    EXPECT_EQ(view.record.energy_kwh, 6480.0);
    ASSERT_EQ(view.record.items.size(), 2u);
    EXPECT_EQ(view.record.items[0].name, "back_billed_charge");
    EXPECT_EQ(view.record.items[0].amount, cny("4941.00"));
    EXPECT_EQ(view.record.items[1].name, "penalty");
    EXPECT_EQ(view.record.items[1].amount, cny("14823.00"));
    EXPECT_EQ(view.record.total, cny("19764.00"));
}

TEST_F(BackBillingTest, ACalculatorRefusalWritesNothing) {
    const Case c = concluded_case("LOSS-SUSPECT", loss_suspect_evidence, Conclusion::confirmed_theft);
    const auto refused =
        recovery_->calculate(inspector_, c.case_id, c.version, facts(R"({"capacity_kw": 3})"), opening_day);
    ASSERT_FALSE(refused.has_value());
    EXPECT_NE(refused.error().message().find("price"), std::string::npos) << refused.error().message();
    EXPECT_EQ(fixture_.store->cases().find_case(c.case_id).value()->state, CaseState::concluded);
    EXPECT_FALSE(fixture_.store->casework().back_billing(c.case_id).value().has_value());
}

TEST_F(BackBillingTest, AMultiplierErrorIsBilledFromTheFindingsMultipliersAndRegisterAdvance) {
    const Case c = concluded_case("METER-MULTIPLIER-MISMATCH",
                                  R"({"ct_ratio":"600/5","pt_ratio":"1","expected_multiplier":120,)"
                                  R"("recorded_multiplier":60,"correction_factor":1,"gateway":false,)"
                                  R"("register_advance":200,"window_days":365})",
                                  Conclusion::metering_fault);
    ASSERT_OK_AND_ASSIGN(const auto view, recovery_->calculate(inspector_, c.case_id, c.version,
                                                               facts(R"({"price": "0.5"})"), opening_day));
    EXPECT_EQ(view.record.computation, "metering.multiplier");
    // billed 200 x 60 = 12,000 kWh; x (120/60 - 1) = 12,000 kWh more at 0.5.
    EXPECT_EQ(view.record.energy_kwh, 12000.0);
    EXPECT_EQ(view.record.total, cny("6000.00"));
    EXPECT_EQ(view.record.items.at(0).article, "Supply Business Rules 1996 art. 81");
}

TEST_F(BackBillingTest, ABillingErrorIsTheRecomputedMinusTheBilledTotal) {
    const Case c = concluded_case("BILL-RECOMPUTE-MISMATCH",
                                  R"({"bill_id":"B1","tariff_id":"T1","components":[],"billed_total":"100.00",)"
                                  R"("recomputed_total":"130.58","problem":null,"bills":1})",
                                  Conclusion::metering_fault);
    const auto wrong = recovery_->calculate(inspector_, c.case_id, c.version, facts("{}"), opening_day);
    ASSERT_FALSE(wrong.has_value());  // a metering fault computes "metering", which needs its cause
    ASSERT_OK_AND_ASSIGN(const auto view, recovery_->calculate(inspector_, c.case_id, c.version,
                                                               facts(R"({"computation": "billing"})"), opening_day));
    EXPECT_EQ(view.record.total, cny("30.58"));
    EXPECT_EQ(view.record.items.at(0).name, "difference_charge");
}

TEST_F(BackBillingTest, OnlyASupervisorApprovesAndTheApprovalAssignsTheNoticeNumber) {
    Case c = concluded_case("LOSS-SUSPECT", loss_suspect_evidence, Conclusion::confirmed_theft);
    ASSERT_OK_AND_ASSIGN(auto view, recovery_->calculate(inspector_, c.case_id, c.version,
                                                         facts(R"({"capacity_kw": 3, "price": "0.7625", "start": null,
                                                                   "end": null})"),
                                                         opening_day));
    c = view.case_summary;
    for (const Actor* refused : {&inspector_, &clerk_}) {
        const auto approval = recovery_->approve(*refused, c.case_id, c.version, opening_day);
        ASSERT_FALSE(approval.has_value());
        EXPECT_EQ(approval.error().refusal(), Refusal::forbidden) << approval.error().message();
    }
    const auto early = recovery_->pay(clerk_, c.case_id, cny("10"), CivilDate::from_ymd(2026, 9, 24), "", opening_day);
    ASSERT_FALSE(early.has_value());
    EXPECT_EQ(early.error().refusal(), Refusal::conflict);
    const auto stale = recovery_->approve(supervisor_, c.case_id, c.version - 1, opening_day);
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().refusal(), Refusal::conflict);

    ASSERT_OK_AND_ASSIGN(view, recovery_->approve(supervisor_, c.case_id, c.version, opening_day));
    EXPECT_EQ(view.record.notice_number, "BB-2026-000001");
    EXPECT_EQ(view.record.approved_by, "wang");
    EXPECT_EQ(view.case_summary.state, CaseState::recovery);
    EXPECT_EQ(view.case_summary.due_on, CasePolicy::defaults().due_on(CaseState::recovery, opening_day));
    const auto again = recovery_->approve(supervisor_, c.case_id, view.case_summary.version, opening_day);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().refusal(), Refusal::conflict);
    const auto recompute = recovery_->calculate(inspector_, c.case_id, view.case_summary.version,
                                                facts(R"({"capacity_kw": 1, "price": "0.7625"})"), opening_day);
    ASSERT_FALSE(recompute.has_value());
    EXPECT_EQ(recompute.error().refusal(), Refusal::conflict);
}

TEST_F(BackBillingTest, ABackBillingOrApprovalDatedBeforeTheCasesLastEventIsRefused) {
    const Instant day_before = *Instant::parse("2026-09-23T01:00:00Z");
    Case c = concluded_case("LOSS-SUSPECT", loss_suspect_evidence, Conclusion::confirmed_theft);
    const std::string theft = R"({"capacity_kw": 3, "price": "0.7625", "start": null, "end": null})";
    const auto early = recovery_->calculate(inspector_, c.case_id, c.version, facts(theft), day_before);
    ASSERT_FALSE(early.has_value());
    EXPECT_EQ(early.error().refusal(), Refusal::invalid_input);
    EXPECT_NE(early.error().message().find("2026-09-24T01:00:00Z"), std::string::npos) << early.error().message();
    EXPECT_NE(early.error().message().find("2026-09-23T01:00:00Z"), std::string::npos) << early.error().message();
    EXPECT_EQ(fixture_.store->cases().find_case(c.case_id).value()->state, CaseState::concluded);
    EXPECT_FALSE(fixture_.store->casework().back_billing(c.case_id).value().has_value());

    // Computed the next day; a recomputation (no transition) dated back to the opening day is refused too.
    const Instant next_day = *Instant::parse("2026-09-25T01:00:00Z");
    ASSERT_OK_AND_ASSIGN(const auto view,
                         recovery_->calculate(inspector_, c.case_id, c.version, facts(theft), next_day));
    c = view.case_summary;
    const auto recompute = recovery_->calculate(inspector_, c.case_id, c.version, facts(theft), opening_day);
    ASSERT_FALSE(recompute.has_value());
    EXPECT_EQ(recompute.error().refusal(), Refusal::invalid_input) << recompute.error().message();

    const auto approval = recovery_->approve(supervisor_, c.case_id, c.version, opening_day);
    ASSERT_FALSE(approval.has_value());
    EXPECT_EQ(approval.error().refusal(), Refusal::invalid_input);
    EXPECT_NE(approval.error().message().find("2026-09-25T01:00:00Z"), std::string::npos)
        << approval.error().message();
    const auto record = fixture_.store->casework().back_billing(c.case_id).value();
    ASSERT_TRUE(record.has_value());
    EXPECT_TRUE(record->notice_number.empty());
    EXPECT_EQ(fixture_.store->cases().find_case(c.case_id).value()->state, CaseState::back_billing);
    ASSERT_OK_AND_ASSIGN(const auto approved, recovery_->approve(supervisor_, c.case_id, c.version, next_day));
    EXPECT_EQ(approved.case_summary.state, CaseState::recovery);
}

class PaymentTest : public BackBillingTest {
protected:
    void SetUp() override {
        BackBillingTest::SetUp();
        Case c = concluded_case("LOSS-SUSPECT", loss_suspect_evidence, Conclusion::confirmed_theft);
        c = recovery_
                ->calculate(inspector_, c.case_id, c.version,
                            facts(R"({"capacity_kw": 3, "price": "0.7625", "start": null, "end": null})"), opening_day)
                ->case_summary;
        case_id_ = recovery_->approve(supervisor_, c.case_id, c.version, opening_day)->case_summary.case_id;
    }
    Result<PaymentOutcome> pay(std::string_view amount) {
        return recovery_->pay(clerk_, case_id_, cny(amount), CivilDate::from_ymd(2026, 10, 19), "", paying_day);
    }
    std::int64_t case_id_ = 0;
};

TEST_F(PaymentTest, APartialPaymentLeavesTheCaseInRecoveryAndTheRestCloses) {
    ASSERT_OK_AND_ASSIGN(const auto first, pay("5000.00"));
    EXPECT_EQ(first.paid, cny("5000.00"));
    EXPECT_EQ(first.outstanding, cny("14764.00"));
    EXPECT_FALSE(first.recovered);
    EXPECT_EQ(fixture_.store->cases().find_case(case_id_).value()->state, CaseState::recovery);
    ASSERT_OK_AND_ASSIGN(const auto second, pay("14764.00"));
    EXPECT_TRUE(second.recovered);
    EXPECT_EQ(second.outstanding, cny("0"));
    EXPECT_EQ(second.overpaid, cny("0"));
    ASSERT_TRUE(second.closed_case.has_value());
    EXPECT_EQ(second.closed_case->state, CaseState::closed);
    ASSERT_OK_AND_ASSIGN(const auto view, recovery_->show(system_, case_id_));
    EXPECT_EQ(view.payments.size(), 2u);
    EXPECT_EQ(view.record.recovered_on, CivilDate::from_ymd(2026, 10, 19));
}

TEST_F(PaymentTest, AnOverpaymentClosesTheCaseAndIsShownAsOverpaid) {
    ASSERT_OK_AND_ASSIGN(const auto outcome, pay("20000.00"));
    EXPECT_TRUE(outcome.recovered);
    EXPECT_EQ(outcome.overpaid, cny("236.00"));
    EXPECT_EQ(outcome.outstanding, cny("0"));
    ASSERT_OK_AND_ASSIGN(const auto view, recovery_->show(system_, case_id_));
    EXPECT_EQ(view.overpaid, cny("236.00"));
    EXPECT_EQ(view.case_summary.state, CaseState::closed);
    // A closed case still takes a payment against its notice (a late transfer), never reopening it.
    ASSERT_OK_AND_ASSIGN(const auto late, pay("1.00"));
    EXPECT_FALSE(late.recovered);
    EXPECT_FALSE(late.closed_case.has_value());
}

TEST_F(PaymentTest, PaymentsNeedTheRightRoleAPositiveAmountAndAPastDay) {
    const auto inspector =
        recovery_->pay(inspector_, case_id_, cny("1"), CivilDate::from_ymd(2026, 10, 19), "", paying_day);
    ASSERT_FALSE(inspector.has_value());
    EXPECT_EQ(inspector.error().refusal(), Refusal::forbidden);
    EXPECT_FALSE(pay("0").has_value());
    const auto future = recovery_->pay(clerk_, case_id_, cny("1"), CivilDate::from_ymd(2026, 10, 21), "", paying_day);
    ASSERT_FALSE(future.has_value());
    EXPECT_EQ(future.error().refusal(), Refusal::invalid_input);
    const Actor clerk_u2{12, "zhou", Role::clerk, "U2"};
    const auto outside =
        recovery_->pay(clerk_u2, case_id_, cny("1"), CivilDate::from_ymd(2026, 10, 19), "", paying_day);
    ASSERT_FALSE(outside.has_value());
    EXPECT_EQ(outside.error().refusal(), Refusal::forbidden);
}

TEST_F(PaymentTest, APaymentEnteredBeforeTheCasesLastEventIsRefused) {
    // The notice was approved on 2026-09-24 at 09:00 local; a payment entered with a clock an hour earlier.
    const Instant hour_before = *Instant::parse("2026-09-24T00:00:00Z");
    const auto early = recovery_->pay(clerk_, case_id_, cny("100"), CivilDate::from_ymd(2026, 9, 24), "", hour_before);
    ASSERT_FALSE(early.has_value());
    EXPECT_EQ(early.error().refusal(), Refusal::invalid_input);
    EXPECT_NE(early.error().message().find("2026-09-24T00:00:00Z"), std::string::npos) << early.error().message();
    ASSERT_OK_AND_ASSIGN(const auto view, recovery_->show(system_, case_id_));
    EXPECT_TRUE(view.payments.empty());
    ASSERT_OK(recovery_->pay(clerk_, case_id_, cny("100"), CivilDate::from_ymd(2026, 9, 24), "", opening_day));
}

TEST(BackBillingFactsTest, FactsAreOneObjectOfStringsNumbersArraysAndNulls) {
    ASSERT_OK_AND_ASSIGN(const auto facts, parse_back_billing_facts(
                                               R"({"computation":"violation","type":"category","load":["kw=5","kw=3"],
                                                   "days":30,"start":null})"));
    EXPECT_EQ(facts.computation, "violation");
    EXPECT_EQ(facts.arguments,
              (RecoveryArguments{{"days", "30"}, {"load", "kw=5"}, {"load", "kw=3"}, {"type", "category"}}));
    EXPECT_EQ(facts.removed, std::vector<std::string>{"start"});
    EXPECT_FALSE(parse_back_billing_facts("[1]").has_value());
    EXPECT_FALSE(parse_back_billing_facts(R"({"price": {"a": 1}})").has_value());
}

}  // namespace
}  // namespace gridaudit
