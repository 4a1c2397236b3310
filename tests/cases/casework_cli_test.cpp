// `gridaudit cases back-billing|approve|pay|payments|document|feedback` driven through the binary
// as users of three roles: a theft case billed by its inspector (the published 3 kW example,
// 19,764.00), an approval refused to the inspector and given by the supervisor, a payment entered
// by the clerk, imported payments.csv rows naming the notice (one naming no notice) taking it to
// paid in full and then overpaid, the documents and the month's feedback written to files.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "case_test_store.hpp"
#include "support/command_runner.hpp"

namespace gridaudit {
namespace {

using testing::CaseTestStore;
using testing::test_finding;

constexpr const char* now = "2026-09-28T01:00:00Z";  // Monday 09:00 in Beijing

class CaseworkCliTest : public ::testing::Test {
protected:
    void SetUp() override {
        fixture_.record({test_finding("LOSS-SUSPECT", "customer", "C1", Severity::high)}, "2026-09-24T00:00:00Z");
        const std::string password = file("password");
        std::ofstream(password) << "a long enough password\n";
        for (const auto& [name, role, unit] :
             {std::tuple{"li", "inspector", "U1"}, std::tuple{"wang", "supervisor", "U0"},
              std::tuple{"chen", "clerk", "U1"}}) {
            const auto added =
                run_command(GRIDAUDIT_BINARY, fmt::format("user add --db {} --name {} --role {} --unit {} < {} 2>&1",
                                                          fixture_.path(), name, role, unit, password));
            ASSERT_EQ(added.exit_code, 0) << added.out;
        }
        ASSERT_EQ(cases("open").exit_code, 0);
        ASSERT_EQ(cases("--as wang assign 1 --to li --version 1").exit_code, 0);
        ASSERT_EQ(cases("--as li transition 1 --to online_check --version 2").exit_code, 0);
        ASSERT_EQ(cases("--as li transition 1 --to onsite_check --version 3").exit_code, 0);
        const auto concluded = cases("--as li transition 1 --to concluded --conclusion confirmed_theft --version 4");
        ASSERT_EQ(concluded.exit_code, 0) << concluded.out;
    }

    CommandOutput cases(const std::string& arguments, const char* at = now) {
        return run_command(GRIDAUDIT_BINARY,
                           fmt::format("cases --db {} --now {} {} 2>&1", fixture_.path(), at, arguments));
    }
    std::string file(std::string_view name) const { return fixture_.path() + "." + std::string(name); }
    static std::string read(const std::string& path) {
        std::stringstream content;
        content << std::ifstream(path, std::ios::binary).rdbuf();
        return content.str();
    }
    // Imported payments.csv rows (as `gridaudit import` stores them), each naming a notice.
    void import_payment(std::string_view id, std::string_view notice, std::string_view amount) {
        auto connection = SqliteConnection::open(fixture_.path());
        ASSERT_TRUE(connection.has_value());
        const auto done = connection->execute(
            fmt::format("INSERT INTO payments (payment_id, customer_id, paid_on, amount, channel, notice_id) VALUES "
                        "('{}', 'C1', '2026-09-28', {}, 'bank', '{}')",
                        id, Money::parse(amount)->units(), notice));
        ASSERT_TRUE(done.has_value()) << done.error().message();
    }

    CaseTestStore fixture_;
};

const std::string theft_facts = R"('{"capacity_kw": 3, "price": "0.7625", "start": null, "end": null}')";

TEST_F(CaseworkCliTest, BackBillingApprovalPaymentsDocumentsAndFeedback) {
    const auto billed = cases("--as li back-billing 1 --version 5 --json --facts " + theft_facts);
    ASSERT_EQ(billed.exit_code, 0) << billed.out;
    const auto view = nlohmann::json::parse(billed.out);
    EXPECT_EQ(view["state"], "back_billing");
    EXPECT_EQ(view["total"], "19764.00");
    EXPECT_EQ(view["items"][0]["amount"], "4941.00");
    EXPECT_EQ(view["items"][1]["amount"], "14823.00");
    EXPECT_EQ(view["items"][0]["article"], "Supply Business Rules 1996 art. 102-103");
    EXPECT_EQ(view["notice_number"], nullptr);
    EXPECT_EQ(view["payment_state"], "unpaid");
    const int version = view["version"];

    const auto by_inspector = cases(fmt::format("--as li approve 1 --version {}", version));
    EXPECT_EQ(by_inspector.exit_code, 1) << by_inspector.out;
    EXPECT_NE(by_inspector.out.find("li (inspector) may not approve_back_billing"), std::string::npos)
        << by_inspector.out;
    const auto by_clerk = cases("--as chen pay 1 --amount 100 --on 2026-09-28");
    EXPECT_EQ(by_clerk.exit_code, 1);
    EXPECT_NE(by_clerk.out.find("no approved back-billing notice"), std::string::npos) << by_clerk.out;

    const auto approved = cases(fmt::format("--as wang approve 1 --version {}", version));
    ASSERT_EQ(approved.exit_code, 0) << approved.out;
    EXPECT_NE(approved.out.find("notice: BB-2026-000001"), std::string::npos) << approved.out;
    EXPECT_NE(approved.out.find("19,764.00 CNY"), std::string::npos) << approved.out;

    // A payment entered with a clock before the approval is refused; the inspector may not enter one.
    const auto early = cases("--as chen pay 1 --amount 5000 --on 2026-09-26", "2026-09-27T01:00:00Z");
    EXPECT_EQ(early.exit_code, 1);
    EXPECT_NE(early.out.find("is earlier"), std::string::npos) << early.out;
    const auto by_li = cases("--as li pay 1 --amount 5000 --on 2026-09-28");
    EXPECT_EQ(by_li.exit_code, 1);
    EXPECT_NE(by_li.out.find("may not record_payment"), std::string::npos) << by_li.out;

    const auto partial = cases("--as chen pay 1 --amount 5000 --on 2026-09-28 --note 'receipt 17'");
    ASSERT_EQ(partial.exit_code, 0) << partial.out;
    EXPECT_NE(partial.out.find("paid 5,000.00 CNY, outstanding 14,764.00 CNY"), std::string::npos) << partial.out;
    const auto listed_partial = cases("--as chen payments");
    ASSERT_EQ(listed_partial.exit_code, 0) << listed_partial.out;
    EXPECT_NE(listed_partial.out.find("0 payment(s) recorded, 0 naming no approved notice"), std::string::npos);
    EXPECT_NE(listed_partial.out.find("BB-2026-000001 (case 1): total 19,764.00 CNY, paid 5,000.00 CNY, outstanding "
                                      "14,764.00 CNY: partly paid"),
              std::string::npos)
        << listed_partial.out;
    EXPECT_NE(listed_partial.out.find("entered by chen: receipt 17"), std::string::npos) << listed_partial.out;

    import_payment("P1", "BB-2026-000001", "14764.00");
    import_payment("P2", "BB-2026-000099", "10.00");
    const auto full = cases("--as chen payments");
    ASSERT_EQ(full.exit_code, 0) << full.out;
    EXPECT_NE(full.out.find("P1 14,764.00 CNY against BB-2026-000001: outstanding 0.00 CNY, case closed"),
              std::string::npos)
        << full.out;
    EXPECT_NE(full.out.find("not recorded: P2: no approved notice BB-2026-000099"), std::string::npos) << full.out;
    EXPECT_NE(full.out.find("1 payment(s) recorded, 1 naming no approved notice"), std::string::npos) << full.out;
    EXPECT_NE(full.out.find("paid 19,764.00 CNY, outstanding 0.00 CNY: paid in full"), std::string::npos) << full.out;
    EXPECT_NE(full.out.find("P1"), std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(cases("show 1 --json").out)["state"], "closed");

    import_payment("P3", "BB-2026-000001", "236.00");
    const auto over = cases("--as chen payments --json");
    ASSERT_EQ(over.exit_code, 0) << over.out;
    const auto listed = nlohmann::json::parse(over.out);
    ASSERT_EQ(listed["recorded"].size(), 1u);
    EXPECT_EQ(listed["recorded"][0]["payment"]["reference"], "P3");
    ASSERT_EQ(listed["notices"].size(), 1u);
    const auto& notice = listed["notices"][0];
    EXPECT_EQ(notice["payment_state"], "overpaid");
    EXPECT_EQ(notice["paid"], "20000.00");
    EXPECT_EQ(notice["overpaid"], "236.00");
    ASSERT_EQ(notice["payments"].size(), 3u);
    EXPECT_EQ(notice["payments"][0]["source"], "entered");
    EXPECT_EQ(notice["payments"][1]["reference"], "P1");
    EXPECT_EQ(notice["payments"][1]["source"], "payments.csv");
    EXPECT_EQ(notice["payments"][2]["reference"], "P3");

    // gridaudit kpis prints the month's money grouped with its currency; an overpayment is not recovery.
    const auto kpis =
        run_command(GRIDAUDIT_BINARY, fmt::format("kpis --db {} --period 2026-09 --now {} 2>&1", fixture_.path(), now));
    ASSERT_EQ(kpis.exit_code, 0) << kpis.out;
    EXPECT_NE(kpis.out.find("6,480        19,764.00 CNY        19,764.00 CNY"), std::string::npos) << kpis.out;
    EXPECT_EQ(kpis.out.find("19764.00"), std::string::npos) << kpis.out;

    const std::string html = file("notice.html");
    const auto written = cases("--as li document 1 --kind back-billing --out " + html);
    ASSERT_EQ(written.exit_code, 0) << written.out;
    const std::string page = read(html);
    for (const char* text : {"BB-2026-000001", "4,941.00 CNY", "14,823.00 CNY", "19,764.00 CNY",
                             "Supply Business Rules 1996 art. 102-103", "Overpaid (多缴)</th><td>236.00 CNY"})
        EXPECT_NE(page.find(text), std::string::npos) << text;
    // The same notice printed to PDF by Chromium (scripts/install-deps.sh installs it).
    const std::string pdf = file("notice.pdf");
    const auto printed = cases("--as li document 1 --kind back-billing --out " + pdf);
    if (std::filesystem::exists("/usr/bin/chromium")) {
        ASSERT_EQ(printed.exit_code, 0) << printed.out;
        EXPECT_NE(printed.out.find("The back-billing of case 1 printed to " + pdf), std::string::npos) << printed.out;
        EXPECT_TRUE(read(pdf).starts_with("%PDF-"));
    } else {
        EXPECT_NE(printed.exit_code, 0);
        EXPECT_NE(printed.out.find("apt-get install chromium"), std::string::npos) << printed.out;
    }
    const auto bad_kind = cases("document 1 --kind letter --out " + html);
    EXPECT_EQ(bad_kind.exit_code, 1);
    EXPECT_NE(bad_kind.out.find("--kind must be notice, onsite, back-billing or feedback (letter)"), std::string::npos)
        << bad_kind.out;

    const std::string csv = file("feedback.csv");
    const auto feedback = cases("--as li feedback --period 2026-09 --out " + csv);
    ASSERT_EQ(feedback.exit_code, 0) << feedback.out;
    EXPECT_NE(feedback.out.find("(1 case(s))"), std::string::npos) << feedback.out;
    const std::string rows = read(csv);
    EXPECT_TRUE(rows.starts_with("case_id,subject_kind,subject_id,")) << rows;
    EXPECT_NE(rows.find(",BB-2026-000001,6480.0000,19764.00,20000.00,0.00,2026-09-28,"), std::string::npos) << rows;
    const auto october = cases("feedback --period 2026-10 --out " + csv);
    ASSERT_EQ(october.exit_code, 0);
    EXPECT_NE(october.out.find("(0 case(s))"), std::string::npos) << october.out;
}

TEST_F(CaseworkCliTest, BackBillingAndApprovalBeforeTheLastEventAreRefused) {
    const auto early = cases("--as li back-billing 1 --version 5 --facts " + theft_facts, "2026-09-27T01:00:00Z");
    EXPECT_EQ(early.exit_code, 1);
    EXPECT_NE(early.out.find("2026-09-28T01:00:00Z; a change dated 2026-09-27T01:00:00Z is earlier"), std::string::npos)
        << early.out;
    const auto billed = cases("--as li back-billing 1 --version 5 --facts " + theft_facts, "2026-09-29T01:00:00Z");
    ASSERT_EQ(billed.exit_code, 0) << billed.out;
    const auto approval = cases("--as wang approve 1 --version 6");  // at now, before the back-billing
    EXPECT_EQ(approval.exit_code, 1);
    EXPECT_NE(approval.out.find("is earlier"), std::string::npos) << approval.out;
    const auto later = cases("--as wang approve 1 --version 6", "2026-09-29T02:00:00Z");
    EXPECT_EQ(later.exit_code, 0) << later.out;
}

}  // namespace
}  // namespace gridaudit
