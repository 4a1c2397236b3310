// Tests of the case documents and the fee center's feedback CSV: on a theft case worked through
// the loop (a customer named, a LOSS-SUSPECT finding and a fee-center anomaly described in hostile HTML, the
// published 3 kW example billed, approved and partly paid), each of the four documents holds the
// case's items, amounts and the regulation articles the calculator cites, every text escaped;
// the feedback CSV read back through text/'s CsvReader gives the same rows.
#include "cases/case_documents.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "case_test_store.hpp"
#include "support/result_assertions.hpp"
#include "text/csv_reader.hpp"

namespace gridaudit {
namespace {

using testing::CaseTestStore;
using testing::test_finding;

const Instant opening_day = *Instant::parse("2026-09-24T01:00:00Z");  // Thursday, 09:00 in Beijing
const Instant paying_day = *Instant::parse("2026-10-20T01:00:00Z");

const std::string hostile_summary = R"(bypass <script>alert("x")</script> & "Li" <b>Co</b>)";
const std::string hostile_description = R"(seal <img src=x onerror=alert(1)> broken, "tapped" & gone)";

class CaseDocumentsTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto workflow = CaseWorkflow::open(*fixture_.store, CasePolicy::defaults());
        ASSERT_TRUE(workflow.has_value()) << workflow.error().message();
        workflow_.emplace(std::move(*workflow));
        recovery_.emplace(*fixture_.store, *workflow_, RecoveryPolicy{});
        documents_.emplace(*fixture_.store, *workflow_, *recovery_, DocumentSettings{});
        // The customer's name as an export could carry it (text without control characters).
        auto connection = SqliteConnection::open(fixture_.path());
        ASSERT_TRUE(connection.has_value());
        ASSERT_TRUE(connection
                        ->execute("UPDATE customers SET name = 'Li <&> \"Co\" <script>x</script>' WHERE customer_id "
                                  "= 'C1'")
                        .has_value());

        Finding finding = test_finding("LOSS-SUSPECT", "customer", "C1", Severity::high, Money::parse("1520.50"));
        finding.summary = hostile_summary;
        const auto ids = fixture_.record({finding}, "2026-09-24T00:00:00Z");
        ASSERT_OK_AND_ASSIGN(const auto opened, workflow_->open_for_findings(system_, ids, opening_day));
        case_id_ = opened.case_ids.at(0);
        FeeCenterAnomaly anomaly;
        anomaly.subject_kind = SubjectKind::customer;
        anomaly.subject_id = "C1";
        anomaly.kind = "LOSS-SUSPECT";
        anomaly.description = hostile_description;
        anomaly.amount = *Money::parse("812.40");
        anomaly.found_on = CivilDate::from_ymd(2026, 9, 20);
        anomaly.source = "fee.csv:2";
        const std::vector<FeeCenterAnomaly> anomalies{anomaly};
        ASSERT_OK_AND_ASSIGN(const auto joined, workflow_->open_for_anomalies(system_, anomalies, opening_day));
        ASSERT_EQ(joined.case_ids.at(0), case_id_);
    }

    // Walks the case to concluded theft, bills the published 3 kW example (19,764.00), approves it and
    // records a payment of 5,000.00.
    void bill_approve_and_pay() {
        Case c = fixture_.store->cases().find_case(case_id_).value().value();
        c = workflow_->assign(supervisor_, c.case_id, c.version, "li", "", opening_day).value();
        for (const CaseState s : {CaseState::online_check, CaseState::onsite_check})
            c = workflow_->transition(inspector_, {c.case_id, c.version, s, "", std::nullopt}, opening_day).value();
        c = workflow_
                ->transition(inspector_, {c.case_id, c.version, CaseState::concluded, "", Conclusion::confirmed_theft},
                             opening_day)
                .value();
        const auto facts =
            parse_back_billing_facts(R"({"capacity_kw": 3, "price": "0.7625", "start": null, "end": null})").value();
        ASSERT_OK_AND_ASSIGN(const auto billed,
                             recovery_->calculate(inspector_, c.case_id, c.version, facts, opening_day));
        ASSERT_OK(recovery_->approve(supervisor_, c.case_id, billed.case_summary.version, opening_day));
        ASSERT_OK(recovery_->pay(clerk_, c.case_id, *Money::parse("5000.00"), CivilDate::from_ymd(2026, 10, 19),
                                 "receipt <42>", paying_day));
    }

    std::string document(CaseDocumentKind kind) {
        auto html = documents_->document(system_, case_id_, kind, paying_day);
        EXPECT_TRUE(html.has_value()) << html.error().message();
        return html.value_or("");
    }

    static void expect_escaped(const std::string& html) {
        EXPECT_NE(html.find("Name (户名)</th><td>Li &lt;&amp;&gt; &quot;Co&quot; &lt;script&gt;x&lt;/script&gt;"),
                  std::string::npos);
        EXPECT_EQ(html.find("<script>x"), std::string::npos);
        EXPECT_EQ(html.find("<script>"), std::string::npos);
        EXPECT_EQ(html.find("<img"), std::string::npos);
        EXPECT_EQ(html.find("<b>Co"), std::string::npos);
        EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Li&quot; &lt;b&gt;Co"),
                  std::string::npos);
        EXPECT_NE(html.find("seal &lt;img src=x onerror=alert(1)&gt; broken, &quot;tapped&quot; &amp; gone"),
                  std::string::npos);
    }

    static void expect_items(const std::string& html) {
        for (const char* text : {"back_billed_charge", "penalty", "4,941.00 CNY", "14,823.00 CNY", "19,764.00 CNY",
                                 "Supply Business Rules 1996 art. 102-103", "BB-2026-000001"})
            EXPECT_NE(html.find(text), std::string::npos) << text;
    }

    CaseTestStore fixture_;
    std::optional<CaseWorkflow> workflow_;
    std::optional<CaseRecovery> recovery_;
    std::optional<CaseDocuments> documents_;
    std::int64_t case_id_ = 0;
    const Actor system_ = Actor::system();
    const Actor supervisor_{7, "wang", Role::supervisor, "U0"};
    const Actor inspector_{8, "li", Role::inspector, "U1"};
    const Actor clerk_{10, "chen", Role::clerk, "U1"};
};

TEST_F(CaseDocumentsTest, TheInspectionNoticeNamesTheEvidenceItsAmountsAndTheRectificationDeadline) {
    const std::string html = document(CaseDocumentKind::notice);
    EXPECT_NE(html.find("Inspection notice (稽查通知单)"), std::string::npos);
    EXPECT_NE(html.find("customer C1"), std::string::npos);
    EXPECT_NE(html.find("LOSS-SUSPECT"), std::string::npos);
    EXPECT_NE(html.find("1,520.50 CNY"), std::string::npos);  // the finding's money at risk
    EXPECT_NE(html.find("812.40 CNY"), std::string::npos);    // the fee center's amount
    // Issued 2026-10-20 (a Tuesday): 10 working days later.
    const CivilDate deadline = CasePolicy::defaults().add_working_days(CivilDate::from_ymd(2026, 10, 20), 10);
    EXPECT_NE(html.find("Rectification deadline (整改期限)</th><td>" + deadline.to_string()), std::string::npos);
    expect_escaped(html);
}

TEST_F(CaseDocumentsTest, EachDocumentHoldsTheItemsAmountsAndArticlesOfTheBackBilling) {
    bill_approve_and_pay();
    const std::string notice = document(CaseDocumentKind::notice);
    expect_escaped(notice);
    EXPECT_NE(notice.find("812.40 CNY"), std::string::npos);

    const std::string onsite = document(CaseDocumentKind::onsite);
    expect_escaped(onsite);
    EXPECT_NE(onsite.find("On-site inspection record (现场稽查记录)"), std::string::npos);
    EXPECT_NE(onsite.find("Supply Business Rules 1996 art. 102-103"), std::string::npos);
    EXPECT_NE(onsite.find("<td>capacity_kw</td><td>3</td><td>on site</td>"), std::string::npos) << onsite;
    EXPECT_NE(onsite.find("<td>price</td><td>0.7625</td><td>on site</td>"), std::string::npos);
    EXPECT_NE(onsite.find("1,520.50 CNY"), std::string::npos);
    EXPECT_NE(onsite.find("onsite_check -&gt; concluded"), std::string::npos);  // the history, escaped

    const std::string billing = document(CaseDocumentKind::back_billing);
    EXPECT_NE(billing.find("Back-billing notice (追补电费通知单)"), std::string::npos);
    EXPECT_NE(billing.find("Name (户名)</th><td>Li &lt;&amp;&gt; &quot;Co&quot; &lt;script&gt;x&lt;/script&gt;"),
              std::string::npos);
    EXPECT_EQ(billing.find("<script>"), std::string::npos);
    expect_items(billing);
    EXPECT_EQ(billing.find("DRAFT"), std::string::npos);
    EXPECT_NE(billing.find("6480.0000 kWh"), std::string::npos);
    EXPECT_NE(billing.find("5,000.00 CNY"), std::string::npos);
    EXPECT_NE(billing.find("Outstanding (未缴)</th><td>14,764.00 CNY"), std::string::npos);
    EXPECT_EQ(billing.find("receipt <42>"), std::string::npos);

    const std::string feedback = document(CaseDocumentKind::feedback);
    EXPECT_NE(feedback.find("Inspection result feedback (稽查结果反馈单)"), std::string::npos);
    expect_items(feedback);
    expect_escaped(feedback);
    EXPECT_NE(feedback.find("Paid (已缴)</th><td>5,000.00 CNY"), std::string::npos);
    EXPECT_NE(feedback.find("Outstanding (未缴)</th><td>14,764.00 CNY"), std::string::npos);
}

TEST_F(CaseDocumentsTest, TheSubjectsNameIsTheCustomersOrForAMeterItsCustomersOrNodes) {
    ASSERT_OK_AND_ASSIGN(const auto customer, case_subject_name(*fixture_.store, SubjectKind::customer, "C2"));
    EXPECT_EQ(customer, "Two");
    ASSERT_OK_AND_ASSIGN(const auto meter, case_subject_name(*fixture_.store, SubjectKind::meter, "M2"));
    EXPECT_EQ(meter, "Two");
    ASSERT_OK_AND_ASSIGN(const auto node, case_subject_name(*fixture_.store, SubjectKind::node, "N2"));
    EXPECT_EQ(node, "Area 2");
    ASSERT_OK_AND_ASSIGN(const auto unknown, case_subject_name(*fixture_.store, SubjectKind::customer, "C404"));
    EXPECT_EQ(unknown, "");
}

TEST_F(CaseDocumentsTest, ABackBillingNoticeBeforeApprovalIsADraftAndNoneBeforeComputation) {
    const auto none = documents_->document(system_, case_id_, CaseDocumentKind::back_billing, paying_day);
    ASSERT_FALSE(none.has_value());
    EXPECT_EQ(none.error().refusal(), Refusal::not_found);
    const Actor outside{12, "zhou", Role::inspector, "U2"};
    const auto forbidden = documents_->document(outside, case_id_, CaseDocumentKind::notice, paying_day);
    ASSERT_FALSE(forbidden.has_value());
    EXPECT_EQ(forbidden.error().refusal(), Refusal::forbidden);
}

TEST_F(CaseDocumentsTest, TheFeedbackCsvReadsBackToTheSameRows) {
    bill_approve_and_pay();
    // A second case, concluded no problem in October, with a summary that needs quoting.
    Finding other = test_finding("METER-REVERSED", "customer", "C2", Severity::high);
    other.summary = "line one, \"quoted\"\nline two";
    const auto ids = fixture_.record({other}, "2026-10-01T00:00:00Z", {"METER-REVERSED"});
    ASSERT_OK_AND_ASSIGN(const auto opened, workflow_->open_for_findings(system_, ids, paying_day));
    Case c = fixture_.store->cases().find_case(opened.case_ids.at(0)).value().value();
    c = workflow_->assign(supervisor_, c.case_id, c.version, "zhou", "", paying_day).value();
    c = workflow_->transition(system_, {c.case_id, c.version, CaseState::online_check, "", std::nullopt}, paying_day)
            .value();
    c = workflow_
            ->transition(system_, {c.case_id, c.version, CaseState::concluded, "", Conclusion::no_problem}, paying_day)
            .value();

    // The first case was concluded in September, the second in October.
    ASSERT_OK_AND_ASSIGN(const auto september, documents_->feedback(system_, Period::from_year_month(2026, 9)));
    ASSERT_OK_AND_ASSIGN(const auto october, documents_->feedback(system_, Period::from_year_month(2026, 10)));
    ASSERT_EQ(september.size(), 1u);
    ASSERT_EQ(october.size(), 1u);
    std::vector<FeedbackRow> rows{september[0], october[0]};
    const std::string csv = feedback_csv(rows);

    CsvReader reader(csv);
    std::vector<std::vector<std::string>> read;
    for (CsvStatus status = reader.next(); status != CsvStatus::end; status = reader.next()) {
        ASSERT_EQ(status, CsvStatus::record) << reader.error().what;
        std::vector<std::string> fields;
        for (const auto& field : reader.record().fields) fields.emplace_back(field.text);
        read.push_back(std::move(fields));
    }
    ASSERT_EQ(read.size(), 3u);
    const auto& columns = feedback_csv_columns();
    ASSERT_EQ(read[0].size(), columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) EXPECT_EQ(read[0][i], columns[i]);
    std::vector<std::map<std::string, std::string>> by_name;
    for (std::size_t r = 1; r < read.size(); ++r) {
        ASSERT_EQ(read[r].size(), columns.size()) << r;
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < columns.size(); ++i) row[std::string(columns[i])] = read[r][i];
        by_name.push_back(std::move(row));
    }
    const auto& theft = by_name[0];
    EXPECT_EQ(theft.at("case_id"), std::to_string(case_id_));
    EXPECT_EQ(theft.at("subject_kind"), "customer");
    EXPECT_EQ(theft.at("subject_id"), "C1");
    EXPECT_EQ(theft.at("unit_id"), "U1");
    EXPECT_EQ(theft.at("cause"), "LOSS-SUSPECT");
    EXPECT_EQ(theft.at("anomaly_ids"), std::to_string(rows[0].anomaly_ids.at(0)));
    EXPECT_EQ(theft.at("opened_on"), "2026-09-24");
    EXPECT_EQ(theft.at("concluded_on"), "2026-09-24");
    EXPECT_EQ(theft.at("conclusion"), "confirmed_theft");
    EXPECT_EQ(theft.at("state"), "recovery");
    EXPECT_EQ(theft.at("notice_number"), "BB-2026-000001");
    EXPECT_EQ(theft.at("back_billed_kwh"), "6480.0000");
    EXPECT_EQ(theft.at("back_billed_amount"), "19764.00");
    EXPECT_EQ(theft.at("paid_amount"), "5000.00");
    EXPECT_EQ(theft.at("outstanding_amount"), "14764.00");
    EXPECT_EQ(theft.at("recovered_on"), "");
    EXPECT_EQ(theft.at("summary"), hostile_summary);
    const auto& no_problem = by_name[1];
    EXPECT_EQ(no_problem.at("subject_id"), "C2");
    EXPECT_EQ(no_problem.at("unit_id"), "U2");
    EXPECT_EQ(no_problem.at("conclusion"), "no_problem");
    EXPECT_EQ(no_problem.at("concluded_on"), "2026-10-20");
    EXPECT_EQ(no_problem.at("notice_number"), "");
    EXPECT_EQ(no_problem.at("back_billed_amount"), "");
    EXPECT_EQ(no_problem.at("summary"), "line one, \"quoted\"\nline two");
}

}  // namespace
}  // namespace gridaudit
