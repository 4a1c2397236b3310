// Tests of the case workflow: every legal transition of the state machine, refusals that name the
// allowed next states, stale versions, roles and org-unit scope, one open case per subject and
// cause, dismissals, and deadlines in working days over the National Day holiday.
#include "cases/case_workflow.hpp"

#include <gtest/gtest.h>

#include "case_test_store.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::CaseTestStore;
using testing::test_finding;

// Thursday 2026-09-24, 09:00 in Beijing.
const Instant opening_day = *Instant::parse("2026-09-24T01:00:00Z");

Instant at(std::string_view text) {
    return *Instant::parse(text);
}

class CaseWorkflowTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto workflow = CaseWorkflow::open(*fixture_.store, CasePolicy::defaults());
        ASSERT_TRUE(workflow.has_value()) << workflow.error().message();
        workflow_.emplace(std::move(*workflow));
    }
    CaseWorkflow& workflow() { return *workflow_; }
    // Opens a case for meter M1 through a chosen finding; returns it.
    Case open_case(std::string rule = "METER-REVERSED", std::string subject = "M1") {
        const auto ids =
            fixture_.record({test_finding(rule, "meter", subject, Severity::high)}, "2026-09-24T00:00:00Z");
        const auto report = workflow().open_for_findings(system_, ids, opening_day);
        EXPECT_TRUE(report.has_value()) << report.error().message();
        return fixture_.store->cases().find_case(report->case_ids.at(0)).value().value();
    }
    Result<Case> assign(const Case& c, Instant when = opening_day) {
        return workflow().assign(system_, c.case_id, c.version, "li", "", when);
    }
    Result<Case> go(const Case& c, CaseState to, std::optional<Conclusion> conclusion = std::nullopt,
                    const Actor* actor = nullptr, Instant when = opening_day) {
        TransitionRequest request{c.case_id, c.version, to, "note", conclusion};
        return workflow().transition(actor ? *actor : system_, request, when);
    }

    CaseTestStore fixture_;
    std::optional<CaseWorkflow> workflow_;
    const Actor system_ = Actor::system();
    const Actor supervisor_{7, "wang", Role::supervisor, "U0"};
    const Actor inspector_{8, "li", Role::inspector, "U1"};
    const Actor inspector_u2_{9, "zhao", Role::inspector, "U2"};
    const Actor clerk_{10, "chen", Role::clerk, "U0"};
    const Actor analyst_{11, "sun", Role::analyst, "U1"};
};

TEST_F(CaseWorkflowTest, TheTheftPathGoesThroughEveryStateToBackBilling) {
    Case c = open_case();
    EXPECT_EQ(c.state, CaseState::new_case);
    ASSERT_OK_AND_ASSIGN(c, workflow().assign(supervisor_, c.case_id, c.version, "li", "", opening_day));
    EXPECT_EQ(c.state, CaseState::assigned);
    EXPECT_EQ(c.assignee, "li");
    ASSERT_OK_AND_ASSIGN(c, go(c, CaseState::online_check, std::nullopt, &inspector_));
    ASSERT_OK_AND_ASSIGN(c, go(c, CaseState::onsite_check, std::nullopt, &inspector_));
    ASSERT_OK_AND_ASSIGN(c, go(c, CaseState::concluded, Conclusion::confirmed_theft, &inspector_));
    EXPECT_EQ(c.conclusion, Conclusion::confirmed_theft);
    ASSERT_OK_AND_ASSIGN(c, go(c, CaseState::back_billing, std::nullopt, &supervisor_));
    // Recovery follows the back-billing's approval (cases/back_billing.hpp, tests/cases/back_billing_test.cpp
    // walks on to closed); a bare transition there is refused.
    const auto unapproved = go(c, CaseState::recovery, std::nullopt, &supervisor_);
    ASSERT_FALSE(unapproved.has_value());
    EXPECT_EQ(unapproved.error().refusal(), Refusal::conflict);
    EXPECT_NE(unapproved.error().message().find("cases approve"), std::string::npos) << unapproved.error().message();
    EXPECT_EQ(c.version, 6);
    ASSERT_OK_AND_ASSIGN(const auto detail, workflow().show(system_, c.case_id));
    std::vector<std::string> path;
    for (const auto& e : detail.events)
        if (e.kind == "transition" || e.kind == "assignment") path.push_back(e.from_state + ">" + e.to_state);
    EXPECT_EQ(path, (std::vector<std::string>{"new>assigned", "assigned>online_check", "online_check>onsite_check",
                                              "onsite_check>concluded", "concluded>back_billing"}));
    EXPECT_EQ(detail.next_states, std::vector<CaseState>{CaseState::recovery});
}

TEST_F(CaseWorkflowTest, AnOnlineCheckConcludesBillingAndMasterDataErrorsAndNoProblemWithoutASiteVisit) {
    Case c = open_case();
    ASSERT_OK_AND_ASSIGN(c, assign(c));
    ASSERT_OK_AND_ASSIGN(c, go(c, CaseState::online_check));
    const auto theft = go(c, CaseState::concluded, Conclusion::confirmed_theft);
    ASSERT_FALSE(theft.has_value());
    EXPECT_EQ(theft.error().refusal(), Refusal::conflict);
    EXPECT_NE(theft.error().message().find("billing_error, master_data_error, no_problem"), std::string::npos)
        << theft.error().message();
    ASSERT_OK_AND_ASSIGN(c, go(c, CaseState::concluded, Conclusion::no_problem));
    const auto billing = go(c, CaseState::back_billing);
    ASSERT_FALSE(billing.has_value());
    EXPECT_EQ(billing.error().refusal(), Refusal::conflict);
    ASSERT_OK_AND_ASSIGN(c, go(c, CaseState::closed));
    EXPECT_EQ(c.conclusion, Conclusion::no_problem);

    Case bill = open_case("BILL-ENERGY-VS-READS");
    ASSERT_OK_AND_ASSIGN(bill, assign(bill));
    ASSERT_OK_AND_ASSIGN(bill, go(bill, CaseState::online_check));
    ASSERT_OK_AND_ASSIGN(bill, go(bill, CaseState::concluded, Conclusion::billing_error));
    EXPECT_FALSE(go(bill, CaseState::closed).has_value());  // a billing error is recovered first
    ASSERT_OK_AND_ASSIGN(bill, go(bill, CaseState::back_billing));
    EXPECT_EQ(bill.state, CaseState::back_billing);
}

TEST_F(CaseWorkflowTest, ASupervisorReturnsAConclusionForAnotherSiteCheck) {
    Case c = open_case();
    c = assign(c).value();
    for (const CaseState s : {CaseState::online_check, CaseState::onsite_check}) c = go(c, s).value();
    ASSERT_OK_AND_ASSIGN(c, go(c, CaseState::concluded, Conclusion::metering_fault));
    const Actor other_inspector{8, "li", Role::inspector, "U1"};
    const auto refused = go(c, CaseState::onsite_check, std::nullopt, &other_inspector);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().refusal(), Refusal::forbidden);
    ASSERT_OK_AND_ASSIGN(c, go(c, CaseState::onsite_check, std::nullopt, &supervisor_));
    EXPECT_EQ(c.state, CaseState::onsite_check);
    EXPECT_FALSE(c.conclusion.has_value());
}

TEST_F(CaseWorkflowTest, AnIllegalTransitionNamesTheAllowedNextStates) {
    const Case c = open_case();
    const auto refused = go(c, CaseState::concluded, Conclusion::no_problem);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().refusal(), Refusal::conflict);
    EXPECT_NE(refused.error().message().find("cannot go from new to concluded; allowed next states: assigned"),
              std::string::npos)
        << refused.error().message();
    const auto unnamed = go(c, CaseState::assigned);
    ASSERT_FALSE(unnamed.has_value());
    EXPECT_NE(unnamed.error().message().find("assign"), std::string::npos);
    Case assigned = assign(c).value();
    const auto back = go(assigned, CaseState::new_case);
    ASSERT_FALSE(back.has_value());
    EXPECT_NE(back.error().message().find("allowed next states: online_check"), std::string::npos);
    assigned = go(assigned, CaseState::online_check).value();
    const auto skip = go(assigned, CaseState::recovery);
    ASSERT_FALSE(skip.has_value());
    EXPECT_NE(skip.error().message().find("allowed next states: onsite_check, concluded"), std::string::npos)
        << skip.error().message();
}

TEST_F(CaseWorkflowTest, AStaleVersionIsRefusedNamingTheCurrentOne) {
    const Case c = open_case();
    ASSERT_OK(workflow().assign(supervisor_, c.case_id, c.version, "li", "", opening_day));
    const auto stale = go(c, CaseState::online_check);  // still holds version 1
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().refusal(), Refusal::conflict);
    EXPECT_NE(stale.error().message().find("version 2"), std::string::npos) << stale.error().message();
    const auto reassign = workflow().assign(supervisor_, c.case_id, 1, "zhao", "", opening_day);
    EXPECT_EQ(reassign.error().refusal(), Refusal::conflict);
}

TEST_F(CaseWorkflowTest, AChangeDatedBeforeTheCurrentStateWasEnteredIsRefused) {
    const Case c = open_case();
    ASSERT_OK_AND_ASSIGN(const Case assigned,
                         workflow().assign(supervisor_, c.case_id, c.version, "li", "", at("2026-09-25T01:00:00Z")));
    const auto backwards = go(assigned, CaseState::online_check, std::nullopt, nullptr, at("2026-09-24T23:00:00Z"));
    ASSERT_FALSE(backwards.has_value());
    EXPECT_EQ(backwards.error().refusal(), Refusal::invalid_input);
    EXPECT_NE(backwards.error().message().find("entered assigned at 2026-09-25T01:00:00Z"), std::string::npos)
        << backwards.error().message();
    const auto reassign_backwards =
        workflow().assign(supervisor_, c.case_id, assigned.version, "zhao", "", at("2026-09-24T02:00:00Z"));
    EXPECT_FALSE(reassign_backwards.has_value());
    // The same moment or later is fine.
    EXPECT_TRUE(go(assigned, CaseState::online_check, std::nullopt, nullptr, at("2026-09-25T01:00:00Z")).has_value());
}

TEST_F(CaseWorkflowTest, RolesAndUnitsAreChecked) {
    const Case c = open_case();  // meter M1, unit U1
    EXPECT_EQ(workflow().assign(inspector_, c.case_id, c.version, "li", "", opening_day).error().refusal(),
              Refusal::forbidden);
    EXPECT_EQ(workflow().show(inspector_u2_, c.case_id).error().refusal(), Refusal::forbidden);
    EXPECT_TRUE(workflow().show(inspector_, c.case_id).has_value());
    const Case assigned = workflow().assign(supervisor_, c.case_id, c.version, "li", "", opening_day).value();
    // An inspector works only the cases assigned to them.
    const Actor other{12, "zhou", Role::inspector, "U1"};
    EXPECT_EQ(go(assigned, CaseState::online_check, std::nullopt, &other).error().refusal(), Refusal::forbidden);
    EXPECT_EQ(workflow().dismiss(clerk_, 1, "not ours", opening_day).error().refusal(), Refusal::forbidden);
    ASSERT_OK_AND_ASSIGN(const auto seen_by_u2, workflow().list(inspector_u2_, CaseFilter{}));
    EXPECT_TRUE(seen_by_u2.empty());
    ASSERT_OK_AND_ASSIGN(const auto seen_by_county, workflow().list(supervisor_, CaseFilter{}));
    EXPECT_EQ(seen_by_county.size(), 1u);
}

TEST_F(CaseWorkflowTest, ReassignmentKeepsTheStateAndClosedCasesAreNotAssigned) {
    Case c = open_case();
    c = workflow().assign(supervisor_, c.case_id, c.version, "li", "", opening_day).value();
    c = go(c, CaseState::online_check).value();
    ASSERT_OK_AND_ASSIGN(c,
                         workflow().assign(supervisor_, c.case_id, c.version, "zhou", "li is on leave", opening_day));
    EXPECT_EQ(c.state, CaseState::online_check);
    EXPECT_EQ(c.assignee, "zhou");
    c = go(c, CaseState::concluded, Conclusion::no_problem).value();
    c = go(c, CaseState::closed).value();
    EXPECT_EQ(workflow().assign(supervisor_, c.case_id, c.version, "li", "", opening_day).error().refusal(),
              Refusal::conflict);
}

TEST_F(CaseWorkflowTest, OneOpenCasePerSubjectAndCause) {
    const auto ids = fixture_.record({test_finding("METER-REVERSED", "meter", "M1", Severity::high),
                                      test_finding("METER-REVERSED", "meter", "M1", Severity::high)},
                                     "2026-09-24T00:00:00Z");
    ASSERT_OK_AND_ASSIGN(const auto first, workflow().open_by_policy(system_, opening_day));
    EXPECT_EQ(first.opened, 1u);
    // A new finding of the same cause for M1 (another period) joins the open case.
    auto later = test_finding("METER-REVERSED", "meter", "M1", Severity::high);
    later.period = "2026-09";
    fixture_.record({test_finding("METER-REVERSED", "meter", "M1", Severity::high), later}, "2026-09-25T00:00:00Z");
    ASSERT_OK_AND_ASSIGN(const auto second, workflow().open_by_policy(system_, opening_day));
    EXPECT_EQ(second.opened, 0u);
    EXPECT_EQ(second.attached, 1u);
    EXPECT_EQ(second.case_ids, first.case_ids);
    EXPECT_EQ(fixture_.store->cases().case_evidence(first.case_ids[0]).value().size(), 2u);
    // An analyst asking for a second case of the same finding's cause: joined, and a duplicate attempt.
    ASSERT_OK_AND_ASSIGN(const auto chosen, workflow().open_for_findings(system_, ids, opening_day));
    EXPECT_EQ(chosen.opened, 0u);
    EXPECT_EQ(chosen.duplicates, 2u);
    EXPECT_EQ(fixture_.store->cases().duplicate_attempts().value().size(), 2u);
    EXPECT_EQ(fixture_.store->cases().list_cases(CaseFilter{}).value().size(), 1u);
}

TEST_F(CaseWorkflowTest, PolicyThresholdsAndCausesDecideWhatOpens) {
    fixture_.record({test_finding("METER-REVERSED", "meter", "M1", Severity::high),
                     test_finding("METER-STOPPED", "meter", "M1", Severity::high),
                     test_finding("METER-TEST-OVERDUE", "meter", "M2", Severity::medium),
                     test_finding("BILL-ACCOUNT-RECONCILE", "collection", "2026-09-01", Severity::high)},
                    "2026-09-24T00:00:00Z");
    ASSERT_OK_AND_ASSIGN(const Policy file, Policy::parse(R"toml(
[cases.rule.METER-REVERSED]
cause = "theft"
[cases.rule.METER-STOPPED]
cause = "theft"
[cases.rule.METER-TEST-OVERDUE]
min_severity = "medium"
)toml",
                                                          "policy.toml"));
    ASSERT_OK_AND_ASSIGN(CasePolicy policy, CasePolicy::from(file));
    ASSERT_OK_AND_ASSIGN(CaseWorkflow workflow, CaseWorkflow::open(*fixture_.store, std::move(policy)));
    ASSERT_OK_AND_ASSIGN(const auto report, workflow.open_by_policy(system_, opening_day));
    EXPECT_EQ(report.opened, 2u);   // theft on M1 (two findings), the test overdue on M2
    EXPECT_EQ(report.skipped, 1u);  // a collection is no case subject
    const auto cases = fixture_.store->cases().list_cases(CaseFilter{}).value();
    ASSERT_EQ(cases.size(), 2u);
    EXPECT_EQ(cases[0].cause, "theft");
    EXPECT_EQ(cases[0].unit_id, "U1");
    EXPECT_EQ(fixture_.store->cases().case_evidence(cases[0].case_id).value().size(), 2u);
    EXPECT_EQ(cases[1].cause, "METER-TEST-OVERDUE");
    EXPECT_EQ(cases[1].unit_id, "U2");
}

TEST_F(CaseWorkflowTest, ALimitOpensTheMostAtRiskFirst) {
    fixture_.record({test_finding("BILL-ENERGY-VS-READS", "customer", "C1", Severity::high, Money::from_units(10)),
                     test_finding("BILL-ENERGY-VS-READS", "customer", "C2", Severity::high, Money::from_units(900))},
                    "2026-09-24T00:00:00Z");
    OpenOptions options;
    options.limit = 1;
    ASSERT_OK_AND_ASSIGN(const auto report, workflow().open_by_policy(system_, opening_day, options));
    EXPECT_EQ(report.opened, 1u);
    const auto cases = fixture_.store->cases().list_cases(CaseFilter{}).value();
    ASSERT_EQ(cases.size(), 1u);
    EXPECT_EQ(cases[0].subject_id, "C2");
}

TEST_F(CaseWorkflowTest, DismissedFindingsOpenNoCase) {
    const auto ids =
        fixture_.record({test_finding("METER-REVERSED", "meter", "M1", Severity::high)}, "2026-09-24T00:00:00Z");
    EXPECT_EQ(workflow().dismiss(system_, ids[0], "  ", opening_day).error().refusal(), Refusal::invalid_input);
    ASSERT_OK(workflow().dismiss(analyst_, ids[0], "meter replaced on 2026-09-20", opening_day));
    ASSERT_OK_AND_ASSIGN(const auto report, workflow().open_by_policy(system_, opening_day));
    EXPECT_EQ(report.opened, 0u);
    EXPECT_EQ(fixture_.store->cases().dismissals().value().at(0).actor, "sun");
}

TEST_F(CaseWorkflowTest, DeadlinesCountWorkingDaysOverTheNationalDayHoliday) {
    // Opened Monday 2026-09-28 (Beijing): new has 2 working days; 09-29 and 09-30 are working days,
    // so due 09-30. Entering online_check (5 days) on 09-30: October 1-7 is the National Day
    // holiday and Saturday 2026-10-10 a make-up working day, so 10-08, 10-09, 10-10, 10-12, 10-13.
    const auto ids =
        fixture_.record({test_finding("METER-REVERSED", "meter", "M1", Severity::high)}, "2026-09-28T00:00:00Z");
    ASSERT_OK_AND_ASSIGN(const auto report, workflow().open_for_findings(system_, ids, at("2026-09-28T01:00:00Z")));
    Case c = fixture_.store->cases().find_case(report.case_ids[0]).value().value();
    EXPECT_EQ(c.due_on, CivilDate::from_ymd(2026, 9, 30));
    c = assign(c, at("2026-09-30T01:00:00Z")).value();
    c = go(c, CaseState::online_check, std::nullopt, nullptr, at("2026-09-30T02:00:00Z")).value();
    const CasePolicy& policy = workflow().policy();
    EXPECT_EQ(policy.working_days_between(CivilDate::from_ymd(2026, 9, 30), *c.due_on), 5);
    // Five working days after 09-30 skip the whole National Day week: none of Oct 1-8 is one.
    for (int day = 1; day <= 7; ++day)
        EXPECT_EQ(policy.working_days_between(CivilDate::from_ymd(2026, 9, 30), CivilDate::from_ymd(2026, 10, day)), 0)
            << "2026-10-0" << day;
    EXPECT_EQ(c.due_on, CivilDate::from_ymd(2026, 10, 13));
    // Local date: 2026-09-30T20:00Z is already October 1st in Beijing.
    EXPECT_EQ(policy.local_date(at("2026-09-30T20:00:00Z")), CivilDate::from_ymd(2026, 10, 1));
}

}  // namespace
}  // namespace gridaudit
