// Tests of recording audit runs: findings are updated rather than duplicated, vanished ones
// are deactivated, and other rules' findings are left alone; the store's change counters move
// with each import batch, audit run and audit log entry.
#include "store/finding_table.hpp"

#include <gtest/gtest.h>


#include "store/change_counters.hpp"

#include "batch_builder.hpp"
#include "store_backends.hpp"
#include "store/sqlite_store.hpp"
#include "store/store.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

using testing::BackendName;
using testing::StoreBackends;
using testing::StoreBackendTest;

Finding finding(std::string rule, std::string subject, std::string period, Severity severity = Severity::medium) {
    Finding f;
    f.rule_id = std::move(rule);
    f.area = InspectionArea::METER;
    f.subject_kind = "meter";
    f.subject_id = std::move(subject);
    f.period = std::move(period);
    f.severity = severity;
    f.summary = "Rotation overdue";
    f.evidence_json = R"({"installed_on": "2010-01-01"})";
    return f;
}

template <class Backend>
class FindingTableTest : public StoreBackendTest<Backend> {
protected:
    void SetUp() override {
        StoreBackendTest<Backend>::SetUp();
        if (this->HasFatalFailure()) return;
        store_ = this->open_store();
        ASSERT_NE(store_, nullptr);
    }
    std::int64_t record(const std::vector<std::string>& rules, std::string_view period,
                        const std::vector<Finding>& findings) {
        auto run = store_->record_audit(rules, period, findings, {});
        EXPECT_TRUE(run.has_value()) << run.error().message();
        return run.value_or(-1);
    }
    const StoredFinding* find(const std::vector<StoredFinding>& stored, std::string_view rule, std::string_view subject,
                              std::string_view period) {
        for (const auto& s : stored)
            if (s.finding.rule_id == rule && s.finding.subject_id == subject && s.finding.period == period) return &s;
        return nullptr;
    }

    std::unique_ptr<Store> store_;
};
TYPED_TEST_SUITE(FindingTableTest, StoreBackends, BackendName);

TYPED_TEST(FindingTableTest, FindingsReadBackWithEveryField) {
    Finding f = finding("BILL-RECOMPUTE", "B1", "2026-10", Severity::high);
    f.area = InspectionArea::BILL;
    f.subject_kind = "bill";
    f.kwh_at_risk = 123.5;
    f.money_at_risk = *Money::parse("61.7500");
    const auto run = this->record({"BILL-RECOMPUTE"}, "2026-10", {f});
    const auto stored = this->store_->findings(false).value();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].finding.rule_id, "BILL-RECOMPUTE");
    EXPECT_EQ(stored[0].finding.area, InspectionArea::BILL);
    EXPECT_EQ(stored[0].finding.subject_kind, "bill");
    EXPECT_EQ(stored[0].finding.subject_id, "B1");
    EXPECT_EQ(stored[0].finding.period, "2026-10");
    EXPECT_EQ(stored[0].finding.severity, Severity::high);
    EXPECT_EQ(stored[0].finding.summary, f.summary);
    EXPECT_EQ(stored[0].finding.evidence_json, f.evidence_json);
    EXPECT_EQ(stored[0].finding.kwh_at_risk, 123.5);
    EXPECT_EQ(stored[0].finding.money_at_risk, *Money::parse("61.75"));
    EXPECT_EQ(stored[0].first_run_id, run);
    EXPECT_EQ(stored[0].last_run_id, run);
    EXPECT_TRUE(stored[0].active);
}

TYPED_TEST(FindingTableTest, ARerunUpdatesInsteadOfDuplicatingAndDeactivatesVanishedOnes) {
    const std::vector<std::string> rules{"METER-ROTATION-OVERDUE"};
    const auto first = this->record(rules, "", {finding(rules[0], "M1", ""), finding(rules[0], "M2", "")});
    const auto second = this->record(rules, "", {finding(rules[0], "M1", "", Severity::high), finding(rules[0], "M3", "")});
    ASSERT_NE(first, second);

    const auto all = this->store_->findings(false).value();
    ASSERT_EQ(all.size(), 3u);
    const auto* m1 = this->find(all, rules[0], "M1", "");
    ASSERT_NE(m1, nullptr);
    EXPECT_EQ(m1->first_run_id, first);
    EXPECT_EQ(m1->last_run_id, second);
    EXPECT_EQ(m1->finding.severity, Severity::high);
    EXPECT_TRUE(m1->active);
    const auto* m2 = this->find(all, rules[0], "M2", "");
    ASSERT_NE(m2, nullptr);
    EXPECT_FALSE(m2->active);
    EXPECT_EQ(m2->last_run_id, first);
    EXPECT_TRUE(this->find(all, rules[0], "M3", "")->active);

    const auto active = this->store_->findings(true).value();
    EXPECT_EQ(active.size(), 2u);
    for (const auto& s : active) EXPECT_TRUE(s.active);
}

TYPED_TEST(FindingTableTest, AFindingSeenAgainIsReactivated) {
    const std::vector<std::string> rules{"METER-ROTATION-OVERDUE"};
    this->record(rules, "", {finding(rules[0], "M1", "")});
    this->record(rules, "", {});
    EXPECT_TRUE(this->store_->findings(true).value().empty());
    const auto third = this->record(rules, "", {finding(rules[0], "M1", "")});
    const auto active = this->store_->findings(true).value();
    ASSERT_EQ(active.size(), 1u);
    EXPECT_EQ(active[0].last_run_id, third);
    EXPECT_EQ(this->store_->findings(false).value().size(), 1u);
}

TYPED_TEST(FindingTableTest, ARunOfOnePeriodLeavesOtherPeriodsAndOtherRulesAlone) {
    this->record({"LOSS-AREA-HIGH", "BILL-RECOMPUTE"}, "",
           {finding("LOSS-AREA-HIGH", "A1", "2026-09"), finding("LOSS-AREA-HIGH", "A1", "2026-10"),
            finding("LOSS-AREA-HIGH", "A2", ""), finding("BILL-RECOMPUTE", "B1", "2026-10")});
    this->record({"LOSS-AREA-HIGH"}, "2026-10", {});
    const auto all = this->store_->findings(false).value();
    EXPECT_TRUE(this->find(all, "LOSS-AREA-HIGH", "A1", "2026-09")->active);   // other period
    EXPECT_FALSE(this->find(all, "LOSS-AREA-HIGH", "A1", "2026-10")->active);  // this period, vanished
    EXPECT_FALSE(this->find(all, "LOSS-AREA-HIGH", "A2", "")->active);         // timeless, re-evaluated
    EXPECT_TRUE(this->find(all, "BILL-RECOMPUTE", "B1", "2026-10")->active);   // another rule
}

TYPED_TEST(FindingTableTest, AFindingOfARuleOutsideTheRunIsRefused) {
    auto run = this->store_->record_audit({"METER-ROTATION-OVERDUE"}, "", {finding("BILL-RECOMPUTE", "B1", "")}, {});
    ASSERT_FALSE(run.has_value());
    EXPECT_EQ(run.error().kind(), ErrorClass::internal);
    EXPECT_TRUE(this->store_->findings(false).value().empty());
}

TYPED_TEST(FindingTableTest, TheChangeCountersMoveWithEachBatchRunAndLoggedWrite) {
    auto* counting = dynamic_cast<ChangeCounting*>(this->store_.get());
    ASSERT_NE(counting, nullptr);
    ASSERT_OK_AND_ASSIGN(const ChangeCounters empty, counting->change_counters());
    EXPECT_EQ(empty.batches, 0);
    EXPECT_EQ(empty.last_batch_id, 0);
    EXPECT_EQ(empty.audit_runs, 0);
    EXPECT_EQ(empty.last_run_id, 0);
    EXPECT_EQ(empty.audit_log_head, 0);

    using testing::missing;
    using testing::text;
    testing::BatchBuilder builder("hash-org");
    builder.row("org_units", {text("U01"), missing(), text("Company"), text("company")});
    ASSERT_OK(this->store_->apply_batch(builder.batch(), {}));
    const std::int64_t run = this->record({"METER-ROTATION-OVERDUE"}, "", {finding("METER-ROTATION-OVERDUE", "M1", "")});
    ASSERT_OK_AND_ASSIGN(const ChangeCounters counted, counting->change_counters());
    EXPECT_EQ(counted.batches, 1);
    EXPECT_EQ(counted.last_batch_id, this->store_->batches().value().back().batch_id);
    EXPECT_EQ(counted.audit_runs, 1);
    EXPECT_EQ(counted.last_run_id, run);
    EXPECT_EQ(counted.audit_log_head, 0);

    UserRecord user;
    user.username = "li.na";
    user.role = "inspector";
    user.password_hash = "$argon2id$v=19$m=8,t=1,p=1$placeholder";
    ASSERT_OK(this->store_->access().add_user(user, AuditStamp{}));
    ASSERT_OK_AND_ASSIGN(const ChangeCounters logged, counting->change_counters());
    EXPECT_EQ(logged.audit_log_head, this->store_->access().audit_log({}).value().back().entry_id);
    EXPECT_GT(logged.audit_log_head, 0);
    EXPECT_EQ(logged.audit_runs, 1);
}

// SQLite records a run's findings with their regions (region_audit_recording.hpp).
class RegionAuditRecordingTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = SqliteStore::open(directory_.file("store.db"));
        ASSERT_TRUE(opened.has_value()) << opened.error().message();
        store_ = std::move(*opened);
    }
    static const StoredFinding* find(const std::vector<StoredFinding>& stored, std::string_view rule,
                                     std::string_view subject, std::string_view period) {
        for (const auto& s : stored)
            if (s.finding.rule_id == rule && s.finding.subject_id == subject && s.finding.period == period) return &s;
        return nullptr;
    }
    testing::TemporaryDirectory directory_;
    std::unique_ptr<SqliteStore> store_;
};

TEST_F(RegionAuditRecordingTest, ARunOfSomeRegionsReplacesTheirFindingsOnly) {
    const std::vector<std::string> rules = {"METER-ROTATION-OVERDUE"};
    const auto rule = rules.front();
    const auto record_regions = [&](const std::vector<Finding>& findings, const std::vector<std::string>& regions,
                                    const std::optional<std::vector<std::string>>& scope) {
        auto run = store_->record_region_audit(rules, "", findings, regions, scope, {});
        EXPECT_TRUE(run.has_value()) << run.error().message();
        return run.value_or(-1);
    };
    // A whole run: M1 and M2 in region S1, M3 in S2, and a finding of the whole utility.
    Finding utility = finding(rule, "U", "");
    utility.subject_kind = "policy";
    record_regions({finding(rule, "M1", ""), finding(rule, "M2", ""), finding(rule, "M3", ""), utility},
                   {"S1", "S1", "S2", ""}, std::nullopt);
    // S2 alone, where M3 is no longer found but M4 is: M3 inactive, S1's and the utility's kept.
    const std::int64_t s2_run = record_regions({finding(rule, "M4", "")}, {"S2"}, std::vector<std::string>{"S2"});
    auto stored = store_->findings(false).value();
    ASSERT_EQ(stored.size(), 5u);
    EXPECT_TRUE(find(stored, rule, "M1", "")->active);
    EXPECT_TRUE(find(stored, rule, "M2", "")->active);
    EXPECT_FALSE(find(stored, rule, "M3", "")->active);
    EXPECT_TRUE(find(stored, rule, "M4", "")->active);
    EXPECT_EQ(find(stored, rule, "M4", "")->last_run_id, s2_run);
    EXPECT_TRUE(find(stored, rule, "U", "")->active);
    // S1, where only M2 is found now: M1 inactive; S2's M4 untouched though this run did not see it.
    record_regions({finding(rule, "M2", "")}, {"S1"}, std::vector<std::string>{"S1"});
    stored = store_->findings(false).value();
    EXPECT_FALSE(find(stored, rule, "M1", "")->active);
    EXPECT_TRUE(find(stored, rule, "M2", "")->active);
    EXPECT_TRUE(find(stored, rule, "M4", "")->active);
    EXPECT_TRUE(find(stored, rule, "U", "")->active);
    // An empty scope (a shard without regions) changes nothing but records the run.
    record_regions({}, {}, std::vector<std::string>{});
    EXPECT_EQ(store_->findings(true).value().size(), 3u);
    EXPECT_EQ(store_->audit_runs().value().size(), 4u);
    // A whole run deactivates whatever it did not see, in every region and the utility's.
    record_regions({finding(rule, "M2", "")}, {"S1"}, std::nullopt);
    stored = store_->findings(true).value();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored.front().finding.subject_id, "M2");
}

TEST_F(RegionAuditRecordingTest, RegionsOfAnotherNumberThanTheFindingsAreAnInternalError) {
    const auto run = store_->record_region_audit({"METER-ROTATION-OVERDUE"}, "",
                                                 {finding("METER-ROTATION-OVERDUE", "M1", "")}, {}, std::nullopt, {});
    ASSERT_FALSE(run.has_value());
    EXPECT_EQ(run.error().kind(), ErrorClass::internal);
    EXPECT_TRUE(store_->audit_runs().value().empty());
}

}  // namespace
}  // namespace gridaudit
