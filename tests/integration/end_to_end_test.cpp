// The foundation's path end to end: generate -> import -> audit -> score against truth.csv.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "audit/audit_run.hpp"
#include "audit/truth_score.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"
#include "rules/evidence.hpp"
#include "support/result_assertions.hpp"

namespace gridaudit {
namespace {

class EndToEndTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        root_ = std::filesystem::temp_directory_path() / ("gridaudit-e2e-" + std::to_string(::getpid()));
        std::filesystem::remove_all(root_);
        GeneratorOptions options;
        options.out = root_ / "export";
        options.customers = 1500;
        options.days = 120;
        options.seed = 11;
        if (auto generated = generate_utility(options); !generated) setup_error_ = generated.error().message();
    }
    // A failure here fails every test in SetUp (an assertion in SetUpTestSuite would only mark them
    // skipped, which ctest counts as passing).
    void SetUp() override { ASSERT_EQ(setup_error_, "") << "the suite's setup failed"; }
    static void TearDownTestSuite() { std::filesystem::remove_all(root_); }

    static std::unique_ptr<Store> open_store(const std::string& name) {
        return testing::value_of(Store::open((root_ / name).string()));
    }

    static inline std::string setup_error_;
    static inline std::filesystem::path root_;
};

TEST_F(EndToEndTest, GeneratedExportImportsWithoutAProblem) {
    auto store = open_store("clean.db");
    const auto report = import_folder(*store, root_ / "export", ImportFolderOptions{});
    ASSERT_TRUE(report) << report.error().message();
    EXPECT_EQ(report->problem_count, 0u) << (report->messages.empty() ? "" : report->messages.front());
    EXPECT_EQ(report->rows_rejected(), 0u);
    ASSERT_TRUE(report->outcome);
    EXPECT_FALSE(report->outcome->already_imported);

    const auto again = import_folder(*store, root_ / "export", ImportFolderOptions{});
    ASSERT_TRUE(again && again->outcome);
    EXPECT_TRUE(again->outcome->already_imported) << "importing the same folder twice must change nothing";
}

TEST_F(EndToEndTest, FoundationRulesFindEveryInjectedAnomalyAndNothingElse) {
    auto store = open_store("audit.db");
    ASSERT_TRUE(import_folder(*store, root_ / "export", ImportFolderOptions{}));
    const auto summary = run_audit(*store, standard_catalogue(), Policy(), AuditOptions{});
    ASSERT_TRUE(summary) << summary.error().message();
    EXPECT_EQ(summary->as_of.to_string(), "2026-10-31");
    const auto truth = read_truth(root_ / "export" / "truth.csv");
    ASSERT_TRUE(truth) << truth.error().message();
    const auto scores = score_against_truth(*store, standard_catalogue(), summary->rules_run, summary->findings, *truth);
    ASSERT_TRUE(scores) << scores.error().message();
    // The master-data rules are exact: every injected anomaly, nothing else. (Statistical rules
    // such as LOSS-SUSPECT are scored by their own tests with their own thresholds.)
    const std::set<std::string> exact{"METER-ROTATION-OVERDUE", "METER-MULTIPLIER-MISMATCH", "METER-ACCURACY-CLASS"};
    std::set<std::string> scored;
    for (const auto& score : *scores) {
        if (!exact.contains(score.rule_id)) continue;
        scored.insert(score.rule_id);
        EXPECT_GT(score.truth_subjects, 0u) << score.rule_id << ": the generator injected nothing to find";
        EXPECT_EQ(score.recall(), 1.0) << score.rule_id << " found " << score.truth_found << " of " << score.truth_subjects;
        EXPECT_EQ(score.precision(), 1.0) << score.rule_id << ": " << score.true_positives << " of "
                                          << score.found_subjects << " reports are true";
    }
    EXPECT_EQ(scored, exact);
}

TEST_F(EndToEndTest, EveryFindingOfTheGeneratedUtilityWritesOnlyEvidenceFieldsItsRuleDeclares) {
    auto store = open_store("evidence.db");
    ASSERT_TRUE(import_folder(*store, root_ / "export", ImportFolderOptions{}));
    const auto summary = run_audit(*store, standard_catalogue(), Policy(), AuditOptions{});
    ASSERT_TRUE(summary) << summary.error().message();
    ASSERT_GT(summary->findings.size(), 0u);
    std::set<std::string> rules_with_findings;
    for (const Finding& finding : summary->findings) {
        const Rule* rule = standard_catalogue().find(finding.rule_id);
        ASSERT_NE(rule, nullptr) << finding.rule_id;
        rules_with_findings.insert(finding.rule_id);
        EXPECT_EQ(undeclared_evidence_fields(rule->info(), finding.evidence_json), std::vector<std::string>{})
            << finding.rule_id << " " << finding.subject_id << ": " << finding.evidence_json;
    }
    EXPECT_GT(rules_with_findings.size(), 10u) << "the generated utility should exercise most rules";
}

TEST_F(EndToEndTest, RerunningTheAuditUpdatesFindingsInsteadOfDuplicating) {
    auto store = open_store("rerun.db");
    ASSERT_TRUE(import_folder(*store, root_ / "export", ImportFolderOptions{}));
    const auto first = run_audit(*store, standard_catalogue(), Policy(), AuditOptions{});
    ASSERT_TRUE(first);
    const auto stored_after_first = store->findings(false);
    ASSERT_TRUE(stored_after_first);
    const auto second = run_audit(*store, standard_catalogue(), Policy(), AuditOptions{});
    ASSERT_TRUE(second);
    const auto stored_after_second = store->findings(false);
    ASSERT_TRUE(stored_after_second);
    EXPECT_GT(first->findings.size(), 0u);
    EXPECT_EQ(first->findings.size(), second->findings.size());
    EXPECT_EQ(stored_after_first->size(), stored_after_second->size());
    EXPECT_NE(first->run_id, second->run_id);
    for (const auto& stored : *stored_after_second) {
        EXPECT_TRUE(stored.active);
        EXPECT_EQ(stored.first_run_id, first->run_id);
        EXPECT_EQ(stored.last_run_id, second->run_id);
    }

    // An earlier "today": fewer meters are past rotation; the vanished findings become inactive.
    AuditOptions earlier;
    earlier.as_of = CivilDate::from_ymd(2025, 1, 1);
    earlier.only_rules = {"METER-ROTATION-OVERDUE"};
    const auto third = run_audit(*store, standard_catalogue(), Policy(), earlier);
    ASSERT_TRUE(third);
    const auto rotation_before = second->count_by_rule().at("METER-ROTATION-OVERDUE");
    EXPECT_LT(third->findings.size(), rotation_before);
    const auto active = store->findings(true);
    ASSERT_TRUE(active);
    std::size_t active_rotation = 0;
    for (const auto& stored : *active) active_rotation += stored.finding.rule_id == "METER-ROTATION-OVERDUE";
    EXPECT_EQ(active_rotation, third->findings.size());
}

TEST_F(EndToEndTest, PolicyTyposStopTheAudit) {
    auto store = open_store("policy.db");
    ASSERT_TRUE(import_folder(*store, root_ / "export", ImportFolderOptions{}));
    const auto policy = Policy::parse("[rules.METER-ROTATION-OVERDUE]\nsingle_phase_yrs = 8\n", "p.toml");
    ASSERT_TRUE(policy);
    const auto summary = run_audit(*store, standard_catalogue(), *policy, AuditOptions{});
    ASSERT_FALSE(summary);
    EXPECT_EQ(summary.error().kind(), ErrorClass::user);
}

}  // namespace
}  // namespace gridaudit
