// Tests of the closed-loop rules (SHARE-*) on cases built in a test store through the workflow,
// loaded as an audit loads them (frame/case_loader.hpp).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "case_test_store.hpp"
#include "cases/case_workflow.hpp"
#include "cases/fee_center_csv.hpp"
#include "frame/case_loader.hpp"
#include "rules/catalogue.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::CaseTestStore;
using testing::test_finding;

class ShareRulesTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto workflow = CaseWorkflow::open(*fixture_.store, CasePolicy::defaults());
        ASSERT_TRUE(workflow.has_value()) << workflow.error().message();
        workflow_.emplace(std::move(*workflow));
    }
    std::vector<Finding> run(std::string_view rule_id, CivilDate as_of, const Policy& policy = Policy()) {
        const Rule* rule = standard_catalogue().find(rule_id);
        EXPECT_NE(rule, nullptr) << rule_id;
        auto columns = load_case_columns(*fixture_.store);
        EXPECT_TRUE(columns.has_value()) << columns.error().message();
        const CollectionColumns collections;
        const UtilityContext context{{}, collections, as_of, std::nullopt, &*columns};
        std::vector<Finding> findings;
        rule->evaluate_utility(context, RuleSettings(rule->info(), policy), findings);
        return findings;
    }

    CaseTestStore fixture_;
    std::optional<CaseWorkflow> workflow_;
    const Actor system_ = Actor::system();
};

TEST_F(ShareRulesTest, CaseOverdueReportsOpenCasesPastTheirStatesDeadline) {
    const auto ids = fixture_.record({test_finding("METER-REVERSED", "meter", "M1", Severity::high),
                                      test_finding("METER-REVERSED", "meter", "M2", Severity::high)},
                                     "2026-09-28T00:00:00Z");
    // Opened Monday 2026-09-28: state new is due on Wednesday 09-30.
    ASSERT_OK_AND_ASSIGN(const auto report,
                         workflow_->open_for_findings(system_, ids, *Instant::parse("2026-09-28T01:00:00Z")));
    ASSERT_EQ(report.case_ids.size(), 2u);
    // The second is assigned on 09-30: due two working days later, after the holiday (10-09).
    ASSERT_OK(workflow_->assign(system_, report.case_ids[1], 1, "li", "", *Instant::parse("2026-09-30T01:00:00Z")));
    EXPECT_TRUE(run("SHARE-CASE-OVERDUE", CivilDate::from_ymd(2026, 9, 30)).empty());
    // October 1-7 are no working days: not late yet during the holiday.
    EXPECT_TRUE(run("SHARE-CASE-OVERDUE", CivilDate::from_ymd(2026, 10, 7)).empty());
    const auto after_holiday = run("SHARE-CASE-OVERDUE", CivilDate::from_ymd(2026, 10, 8));
    ASSERT_EQ(after_holiday.size(), 1u);
    EXPECT_EQ(after_holiday[0].subject_kind, "case");
    EXPECT_EQ(after_holiday[0].subject_id, std::to_string(report.case_ids[0]));
    const auto evidence = nlohmann::json::parse(after_holiday[0].evidence_json);
    EXPECT_EQ(evidence["state"], "new");
    EXPECT_EQ(evidence["due_on"], "2026-09-30");
    EXPECT_EQ(evidence["working_days_late"], 1);
    EXPECT_EQ(after_holiday[0].severity, Severity::medium);
    // 10-20: 10 working days after 09-30 (10-10 is a make-up Saturday); the assigned case, due
    // 10-09, is 8 late.
    const auto later = run("SHARE-CASE-OVERDUE", CivilDate::from_ymd(2026, 10, 20));
    ASSERT_EQ(later.size(), 2u);
    EXPECT_EQ(nlohmann::json::parse(later[0].evidence_json)["working_days_late"], 10);
    EXPECT_EQ(nlohmann::json::parse(later[1].evidence_json)["working_days_late"], 8);
    EXPECT_EQ(later[0].severity, Severity::high);
}

TEST_F(ShareRulesTest, UnhandledReportsFindingsWithoutCaseOrDismissalPastTheirDeadline) {
    const auto ids = fixture_.record({test_finding("METER-REVERSED", "meter", "M1", Severity::high),
                                      test_finding("METER-STOPPED", "meter", "M2", Severity::high),
                                      test_finding("METER-TEST-OVERDUE", "meter", "M2", Severity::medium),
                                      test_finding("METER-PROHIBITED-MODEL", "meter", "M1", Severity::critical)},
                                     "2026-09-28T00:00:00Z");
    ASSERT_OK(workflow_->open_for_findings(system_, std::vector<std::int64_t>{ids[0]},
                                           *Instant::parse("2026-09-28T01:00:00Z")));
    ASSERT_OK(workflow_->dismiss(system_, ids[1], "meter replaced", *Instant::parse("2026-09-28T01:00:00Z")));
    // Five working days after 09-28: 09-29, 09-30, 10-08, 10-09, 10-10 (a make-up Saturday).
    EXPECT_TRUE(run("SHARE-UNHANDLED", CivilDate::from_ymd(2026, 10, 10)).empty());
    const auto late = run("SHARE-UNHANDLED", CivilDate::from_ymd(2026, 10, 12));
    ASSERT_EQ(late.size(), 1u);  // the critical one; medium severities are not listed by default
    EXPECT_EQ(late[0].subject_id, std::to_string(ids[3]));
    const auto evidence = nlohmann::json::parse(late[0].evidence_json);
    EXPECT_EQ(evidence["rule_id"], "METER-PROHIBITED-MODEL");
    EXPECT_EQ(evidence["first_seen"], "2026-09-28");
    EXPECT_EQ(evidence["working_days_waiting"], 6);
    ASSERT_OK_AND_ASSIGN(const Policy medium, Policy::parse("[rules.SHARE-UNHANDLED]\nseverities = [\"medium\"]\n"
                                                            "limit_days = 1\n",
                                                            "policy.toml"));
    const auto mediums = run("SHARE-UNHANDLED", CivilDate::from_ymd(2026, 10, 8), medium);
    ASSERT_EQ(mediums.size(), 1u);
    EXPECT_EQ(mediums[0].subject_id, std::to_string(ids[2]));
}

TEST_F(ShareRulesTest, DuplicateReportsEachSecondCaseAttempted) {
    const std::string csv =
        "subject_kind,subject_id,kind,description,amount,found_on\n"
        "customer,C1,theft,seal broken,100,2026-09-20\n"
        "customer,C1,theft,seal broken again,100,2026-09-21\n"
        "customer,C2,theft,bypass,0,2026-09-21\n";
    ASSERT_OK_AND_ASSIGN(const auto anomalies, parse_fee_center_csv(csv, "fc.csv", CivilDate::from_ymd(2026, 9, 28)));
    ASSERT_OK_AND_ASSIGN(const auto report,
                         workflow_->open_for_anomalies(system_, anomalies, *Instant::parse("2026-09-28T01:00:00Z")));
    EXPECT_EQ(report.opened, 2u);
    EXPECT_EQ(report.duplicates, 1u);
    const auto findings = run("SHARE-DUPLICATE", CivilDate::from_ymd(2026, 9, 28));
    ASSERT_EQ(findings.size(), 1u);
    const auto evidence = nlohmann::json::parse(findings[0].evidence_json);
    EXPECT_EQ(evidence["case_id"], report.case_ids[0]);
    EXPECT_EQ(evidence["reference"], "fc.csv:3");
    EXPECT_EQ(evidence["source"], "fee_center");
}

TEST_F(ShareRulesTest, WithoutLoadedCasesTheRulesFindNothing) {
    const CollectionColumns collections;
    const UtilityContext context{{}, collections, CivilDate::from_ymd(2026, 10, 20), std::nullopt};
    for (const char* id : {"SHARE-CASE-OVERDUE", "SHARE-UNHANDLED", "SHARE-DUPLICATE"}) {
        const Rule* rule = standard_catalogue().find(id);
        ASSERT_NE(rule, nullptr) << id;
        std::vector<Finding> findings;
        rule->evaluate_utility(context, RuleSettings(rule->info(), Policy()), findings);
        EXPECT_TRUE(findings.empty()) << id;
    }
}

}  // namespace
}  // namespace gridaudit
