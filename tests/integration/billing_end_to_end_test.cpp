// The billing audit end to end: generate -> import -> audit the BILL rules -> score against the
// generator's truth. Every injected billing and account anomaly is found; every other report is
// about a customer the generator made anomalous in another way (a zero bill of a stopped meter).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "audit/audit_run.hpp"
#include "audit/truth_score.hpp"
#include "generator/synthetic_utility.hpp"
#include "ingest/import_folder.hpp"

namespace gridaudit {
namespace {

const std::vector<std::string> billing_rules{"BILL-RECOMPUTE-MISMATCH", "BILL-ENERGY-VS-READS",
                                             "BILL-TARIFF-CATEGORY",    "BILL-PF-STANDARD",
                                             "BILL-UNLISTED-CHARGE",    "BILL-ZERO-WITH-CAPACITY",
                                             "BILL-ACCOUNT-RECONCILE"};

class BillingEndToEndTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (auto ready = prepare(); !ready) setup_error_ = ready.error().message();
    }
    // A failure here fails every test in SetUp (an assertion in SetUpTestSuite would only mark them
    // skipped, which ctest counts as passing).
    void SetUp() override { ASSERT_EQ(setup_error_, "") << "the suite's setup failed"; }
    static Status prepare() {
        root_ = std::filesystem::temp_directory_path() / ("gridaudit-bill-e2e-" + std::to_string(::getpid()));
        std::filesystem::remove_all(root_);
        GeneratorOptions options;
        options.out = root_ / "export";
        options.customers = 2000;
        options.days = 400;
        options.seed = 5;
        GA_TRY(generate_utility(options));
        GA_ASSIGN_OR_RETURN(store_, Store::open((root_ / "store.db").string()));
        GA_ASSIGN_OR_RETURN(const auto report, import_folder(*store_, root_ / "export", ImportFolderOptions{}));
        if (report.problem_count != 0)
            return internal_error("the import has problems: " +
                                  (report.messages.empty() ? "" : report.messages.front()));
        AuditOptions audit;
        audit.only_rules = billing_rules;
        GA_ASSIGN_OR_RETURN(summary_, run_audit(*store_, standard_catalogue(), Policy(), audit));
        GA_ASSIGN_OR_RETURN(truth_, read_truth(root_ / "export" / "truth.csv"));
        return {};
    }
    static void TearDownTestSuite() {
        store_.reset();
        std::filesystem::remove_all(root_);
    }

    static inline std::string setup_error_;
    static inline std::filesystem::path root_;
    static inline std::unique_ptr<Store> store_;
    static inline AuditSummary summary_;
    static inline std::vector<TruthRecord> truth_;
};

TEST_F(BillingEndToEndTest, EveryInjectedBillingAnomalyIsFound) {
    const auto scores = score_against_truth(*store_, standard_catalogue(), summary_.rules_run, summary_.findings, truth_);
    ASSERT_TRUE(scores) << scores.error().message();
    std::set<std::string> scored;
    for (const auto& score : *scores) {
        scored.insert(score.rule_id);
        EXPECT_GT(score.truth_subjects, 0u) << score.rule_id << ": the generator injected nothing to find";
        EXPECT_EQ(score.recall(), 1.0) << score.rule_id << " found " << score.truth_found << " of "
                                       << score.truth_subjects;
    }
    EXPECT_EQ(scored, std::set<std::string>(billing_rules.begin(), billing_rules.end()));
}

TEST_F(BillingEndToEndTest, ReportsBeyondTheRulesOwnAnomaliesAreOtherInjectedAnomalies) {
    const auto scores = score_against_truth(*store_, standard_catalogue(), summary_.rules_run, summary_.findings, truth_);
    ASSERT_TRUE(scores);
    for (const auto& score : *scores) {
        if (score.rule_id == "BILL-ZERO-WITH-CAPACITY") continue;  // checked below
        EXPECT_EQ(score.precision(), 1.0) << score.rule_id << ": " << score.true_positives << " of "
                                          << score.found_subjects << " reports are true";
    }
    // A customer billed zero for months whose meter was injected stopped or reversed is a true
    // problem of another kind; anything else would be a false alarm.
    std::set<std::string> anomalous;  // "customer:ID" and "meter:ID" of every truth row
    for (const auto& record : truth_) {
        anomalous.insert(record.subject_kind + ":" + record.subject_id);
        const auto customer = record.detail.find("customer=");
        if (customer != std::string::npos)
            anomalous.insert("customer:" + record.detail.substr(customer + 9, record.detail.find(' ', customer) -
                                                                                  (customer + 9)));
    }
    std::size_t zero_findings = 0;
    for (const auto& finding : summary_.findings) {
        if (finding.rule_id != "BILL-ZERO-WITH-CAPACITY") continue;
        ++zero_findings;
        EXPECT_TRUE(anomalous.contains("customer:" + finding.subject_id))
            << finding.subject_id << " billed zero without any injected anomaly: " << finding.summary;
    }
    EXPECT_GT(zero_findings, 0u);
}

TEST_F(BillingEndToEndTest, EveryGeneratedBillCanBeRecomputed) {
    // Every finding of BILL-RECOMPUTE-MISMATCH is an injected mismatch (precision above); here the
    // other way round: no bill of the export fails to be priced by the engine.
    for (const auto& finding : summary_.findings)
        if (finding.rule_id == "BILL-RECOMPUTE-MISMATCH") {
            EXPECT_EQ(finding.summary.find("cannot be recomputed"), std::string::npos) << finding.summary;
        }
}

}  // namespace
}  // namespace gridaudit
