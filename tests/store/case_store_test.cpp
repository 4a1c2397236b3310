// Tests of the cases tables (migration 8) on both backends (CaseStore): one open case per subject and
// cause (joins, duplicate attempts, the partial unique index itself), optimistic versions, evidence
// that outlives the finding's production, dismissals and how findings are handled.
#include <gtest/gtest.h>

#include "batch_builder.hpp"
#include "store_backends.hpp"
#include "store/case_store.hpp"
#include "store/store.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::BackendName;
using testing::StoreBackends;
using testing::StoreBackendTest;

Finding meter_finding(std::string rule, std::string meter) {
    Finding f;
    f.rule_id = std::move(rule);
    f.area = InspectionArea::METER;
    f.subject_kind = "meter";
    f.subject_id = std::move(meter);
    f.severity = Severity::high;
    f.summary = "Meter reversed";
    f.evidence_json = "{}";
    f.money_at_risk = Money::from_units(1'000'000);
    return f;
}

CaseOpening opening_for(std::string meter, std::string cause, std::vector<std::int64_t> findings = {}) {
    CaseOpening opening;
    opening.subject_kind = SubjectKind::meter;
    opening.subject_id = std::move(meter);
    opening.cause = std::move(cause);
    opening.unit_id = "U1";
    opening.summary = "reversed meter";
    opening.finding_ids = std::move(findings);
    opening.due_on = CivilDate::from_ymd(2026, 10, 9);
    return opening;
}

const CaseWriter writer{0, "system", "2026-09-30T02:00:00Z"};

template <class Backend>
class CaseStoreTest : public StoreBackendTest<Backend> {
protected:
    void SetUp() override {
        StoreBackendTest<Backend>::SetUp();
        if (this->HasFatalFailure()) return;
        store_ = this->open_store();
        ASSERT_NE(store_, nullptr);
    }
    CaseStore& cases() { return store_->cases(); }
    std::vector<std::int64_t> record(const std::vector<Finding>& findings) {
        std::vector<std::string> rules;
        for (const auto& f : findings) rules.push_back(f.rule_id);
        if (rules.empty()) rules.push_back("METER-REVERSED");
        EXPECT_TRUE(store_->record_audit(rules, "", findings, {}).has_value());
        std::vector<std::int64_t> ids;
        const auto all = store_->findings(false).value();
        for (const auto& stored : all)
            for (const auto& f : findings)
                if (stored.finding.rule_id == f.rule_id && stored.finding.subject_id == f.subject_id)
                    ids.push_back(stored.finding_id);
        return ids;
    }

    std::unique_ptr<Store> store_;
};
TYPED_TEST_SUITE(CaseStoreTest, StoreBackends, BackendName);

TYPED_TEST(CaseStoreTest, OpensACaseInStateNewWithItsEvidenceAndEvent) {
    const auto ids = this->record({meter_finding("METER-REVERSED", "M1")});
    ASSERT_EQ(ids.size(), 1u);
    const std::vector<CaseOpening> openings{opening_for("M1", "METER-REVERSED", ids)};
    ASSERT_OK_AND_ASSIGN(const auto opened, this->cases().open_cases(openings, writer));
    ASSERT_EQ(opened.size(), 1u);
    EXPECT_TRUE(opened[0].opened);
    ASSERT_OK_AND_ASSIGN(const auto found, this->cases().find_case(opened[0].case_id));
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->state, CaseState::new_case);
    EXPECT_EQ(found->version, 1);
    EXPECT_EQ(found->unit_id, "U1");
    EXPECT_EQ(found->opened_at, "2026-09-30T02:00:00Z");
    EXPECT_EQ(found->due_on, CivilDate::from_ymd(2026, 10, 9));
    ASSERT_OK_AND_ASSIGN(const auto evidence, this->cases().case_evidence(opened[0].case_id));
    ASSERT_EQ(evidence.size(), 1u);
    EXPECT_EQ(evidence[0].finding.rule_id, "METER-REVERSED");
    ASSERT_OK_AND_ASSIGN(const auto events, this->cases().case_events(opened[0].case_id));
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, "opened");
    EXPECT_EQ(events[0].to_state, "new");
    EXPECT_EQ(events[1].kind, "evidence");
}

TYPED_TEST(CaseStoreTest, ASecondOpeningForTheSameSubjectAndCauseJoinsTheOpenCase) {
    const auto first = this->record({meter_finding("METER-REVERSED", "M1")});
    const std::vector<CaseOpening> one{opening_for("M1", "theft", first)};
    ASSERT_OK_AND_ASSIGN(const auto opened, this->cases().open_cases(one, writer));
    const auto second = this->record({meter_finding("METER-STOPPED", "M1")});
    auto again = opening_for("M1", "theft", second);
    again.duplicate_if_open = true;
    again.reference = "anomalies.csv:2";
    const std::vector<CaseOpening> two{again, opening_for("M1", "other")};
    ASSERT_OK_AND_ASSIGN(const auto joined, this->cases().open_cases(two, writer));
    ASSERT_EQ(joined.size(), 2u);
    EXPECT_FALSE(joined[0].opened);
    EXPECT_TRUE(joined[0].duplicate);
    EXPECT_EQ(joined[0].case_id, opened[0].case_id);
    EXPECT_TRUE(joined[1].opened);  // another cause: its own case
    EXPECT_EQ(this->cases().case_evidence(opened[0].case_id).value().size(), 2u);
    ASSERT_OK_AND_ASSIGN(const auto attempts, this->cases().duplicate_attempts());
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].case_id, opened[0].case_id);
    EXPECT_EQ(attempts[0].reference, "anomalies.csv:2");
    CaseFilter open_only;
    open_only.open_only = true;
    EXPECT_EQ(this->cases().list_cases(open_only).value().size(), 2u);
}

TYPED_TEST(CaseStoreTest, TheSchemaRefusesASecondOpenCaseButNotOneBesideAClosedCase) {
    const std::vector<CaseOpening> one{opening_for("M1", "theft")};
    ASSERT_OK_AND_ASSIGN(const auto opened, this->cases().open_cases(one, writer));
    const std::string second =
        "INSERT INTO cases (subject_kind, subject_id, cause, unit_id, state, assignee, source, opened_at, "
        "state_entered_at, version, summary) VALUES ('meter', 'M1', 'theft', '', 'assigned', '', 'manual', 'x', 'x', "
        "1, '')";
    EXPECT_FALSE(this->backend_.execute(second).has_value());
    CaseUpdate close{opened[0].case_id, 1,  CaseState::closed, Conclusion::no_problem, "",
                     writer.at,         {}, "transition",      "nothing found"};
    ASSERT_OK(this->cases().update_case(close, writer));
    EXPECT_TRUE(this->backend_.execute(second).has_value());
}

TYPED_TEST(CaseStoreTest, AStaleVersionIsAConflictNamingTheCurrentVersion) {
    const std::vector<CaseOpening> one{opening_for("M1", "theft")};
    ASSERT_OK_AND_ASSIGN(const auto opened, this->cases().open_cases(one, writer));
    CaseUpdate assign{opened[0].case_id, 1, CaseState::assigned, std::nullopt, "li", writer.at, {}, "assignment", ""};
    ASSERT_OK_AND_ASSIGN(const Case after, this->cases().update_case(assign, writer));
    EXPECT_EQ(after.version, 2);
    EXPECT_EQ(after.assignee, "li");
    const auto stale = this->cases().update_case(assign, writer);
    ASSERT_FALSE(stale.has_value());
    EXPECT_EQ(stale.error().refusal(), Refusal::conflict);
    EXPECT_NE(stale.error().message().find("at version 2, not 1"), std::string::npos) << stale.error().message();
    assign.case_id = 99;
    EXPECT_EQ(this->cases().update_case(assign, writer).error().refusal(), Refusal::not_found);
    // The opening and the assignment are in the audit log, the refused writes are not.
    AuditLogFilter filter;
    filter.object_kind = "case";
    ASSERT_OK_AND_ASSIGN(const auto log, this->store_->access().audit_log(filter));
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].action, "case.open");
    EXPECT_EQ(log[1].action, "case.assignment");
    EXPECT_NE(log[1].before_json.find("\"version\":1"), std::string::npos) << log[1].before_json;
    EXPECT_NE(log[1].after_json.find("\"assignee\":\"li\""), std::string::npos) << log[1].after_json;
}

TYPED_TEST(CaseStoreTest, AFindingNoLongerProducedStaysOnItsCaseWithItsHistory) {
    const auto ids = this->record({meter_finding("METER-REVERSED", "M1")});
    const std::vector<CaseOpening> one{opening_for("M1", "theft", ids)};
    ASSERT_OK_AND_ASSIGN(const auto opened, this->cases().open_cases(one, writer));
    ASSERT_TRUE(this->store_->record_audit({"METER-REVERSED"}, "", {}, {}).has_value());  // not produced again
    ASSERT_OK_AND_ASSIGN(const auto evidence, this->cases().case_evidence(opened[0].case_id));
    ASSERT_EQ(evidence.size(), 1u);
    EXPECT_FALSE(evidence[0].active);
    EXPECT_EQ(evidence[0].first_run_id, 1);
    EXPECT_EQ(evidence[0].last_run_id, 1);
}

TYPED_TEST(CaseStoreTest, DismissalsAreRefusedForLinkedOrDismissedFindingsAndShowInHandling) {
    const auto ids = this->record({meter_finding("METER-REVERSED", "M1"), meter_finding("METER-STOPPED", "M2"),
                             meter_finding("METER-TEST-OVERDUE", "M3")});
    ASSERT_EQ(ids.size(), 3u);
    const std::vector<CaseOpening> one{opening_for("M1", "theft", {ids[0]})};
    ASSERT_OK(this->cases().open_cases(one, writer));
    ASSERT_OK(this->cases().dismiss_finding(ids[1], "meter replaced last week", writer));
    EXPECT_EQ(this->cases().dismiss_finding(ids[1], "again", writer).error().refusal(), Refusal::conflict);
    EXPECT_EQ(this->cases().dismiss_finding(ids[0], "linked", writer).error().refusal(), Refusal::conflict);
    EXPECT_EQ(this->cases().dismiss_finding(999, "none", writer).error().refusal(), Refusal::not_found);
    ASSERT_OK_AND_ASSIGN(const auto handling, this->cases().finding_handling());
    ASSERT_EQ(handling.size(), 3u);
    EXPECT_TRUE(handling[0].case_id.has_value());
    EXPECT_TRUE(handling[1].dismissed);
    EXPECT_FALSE(handling[2].case_id.has_value());
    EXPECT_FALSE(handling[2].dismissed);
    EXPECT_FALSE(handling[2].first_seen_at.empty());
    ASSERT_OK_AND_ASSIGN(const auto dismissed, this->cases().dismissals());
    ASSERT_EQ(dismissed.size(), 1u);
    EXPECT_EQ(dismissed[0].reason, "meter replaced last week");
}

TYPED_TEST(CaseStoreTest, AnUnknownFindingWritesNothing) {
    const std::vector<CaseOpening> openings{opening_for("M1", "theft"), opening_for("M2", "theft", {42})};
    const auto opened = this->cases().open_cases(openings, writer);
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error().refusal(), Refusal::not_found);
    EXPECT_TRUE(this->cases().list_cases({}).value().empty());
}

TYPED_TEST(CaseStoreTest, ListsFilterByStateUnitAndPage) {
    std::vector<CaseOpening> openings;
    for (int i = 0; i < 5; ++i) {
        auto opening = opening_for("M" + std::to_string(i), "theft");
        opening.unit_id = i % 2 == 0 ? "U1" : "U2";
        openings.push_back(opening);
    }
    ASSERT_OK(this->cases().open_cases(openings, writer));
    CaseFilter filter;
    filter.unit_ids = std::vector<std::string>{"U2"};
    EXPECT_EQ(this->cases().list_cases(filter).value().size(), 2u);
    filter.unit_ids.reset();
    filter.offset = 1;
    filter.limit = 2;
    const auto page = this->cases().list_cases(filter).value();
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].case_id, 2);
    filter = {};
    filter.state = CaseState::assigned;
    EXPECT_TRUE(this->cases().list_cases(filter).value().empty());
}

TYPED_TEST(CaseStoreTest, AnUnknownSubjectHasNoUnit) {
    ASSERT_OK_AND_ASSIGN(const auto unit, this->cases().subject_unit(SubjectKind::customer, "C404"));
    EXPECT_FALSE(unit.has_value());
}

}  // namespace
}  // namespace gridaudit
