// The casework routes over real HTTP: a case's back-billing computed from the facts found on site
// (the figures of `gridaudit recover`), approved and paid; its documents as HTML; the month's
// feedback CSV; the fee center's anomaly CSV imported in one transaction; the KPIs as
// `gridaudit kpis --json` prints them; and their refusals (400 naming the field, 403, 404, 409, 415).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "cases/case_documents.hpp"
#include "support/command_runner.hpp"
#include "test_utility.hpp"

namespace gridaudit {
namespace {

using testing::body_json;
using testing::TestServer;

// The server's clock: 2026-11-01T00:00:00Z, 08:00 on 2026-11-01 under the calendar's UTC+8.
constexpr const char* server_now = "2026-11-01T00:00:00Z";
constexpr const char* today = "2026-11-01";
// docs/recovery.md's published example: a 3 kW private tap of unknown duration at 0.7625 CNY/kWh.
const nlohmann::json theft_facts = {{"capacity_kw", "3"}, {"price", "0.7625"}, {"start", nullptr}, {"end", nullptr}};

class ApiCaseworkTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = testing::private_store_copy(std::string("casework-") +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
        server_ = std::make_unique<TestServer>(db_, *Instant::parse(server_now));
    }

    static httplib::Result post(httplib::Client& client, const std::string& path, const nlohmann::json& body) {
        return client.Post(path, body.dump(), "application/json");
    }
    static std::pair<int, nlohmann::json> answer(const httplib::Result& result) {
        return result ? std::make_pair(result->status, body_json(result)) : std::make_pair(0, nlohmann::json());
    }
    // Active findings of distinct customers in station U0101001 (the inspector's).
    std::vector<nlohmann::json> station_findings(std::size_t count) {
        auto admin = server_->client_as("admin");
        const auto result =
            admin.Get("/api/findings?subject_kind=customer&unit=U0101001&active=true&sort=id&page_size=500");
        EXPECT_TRUE(result && result->status == 200) << (result ? result->body : "no answer");
        std::vector<nlohmann::json> found;
        std::set<std::string> subjects;
        const nlohmann::json page = body_json(result);
        for (const auto& f : page.at("items")) {
            if (!subjects.insert(f.at("subject_id").get<std::string>()).second) continue;
            found.push_back(f);
            if (found.size() == count) break;
        }
        return found;
    }
    // A case opened for the finding and walked by the administrator to on-site check, then
    // concluded by the inspector with `conclusion`: its JSON.
    nlohmann::json concluded_case(std::int64_t finding, const std::string& conclusion) {
        auto admin = server_->client_as("admin");
        const auto opened = post(admin, "/api/cases", {{"findings", {finding}}});
        EXPECT_TRUE(opened && opened->status == 201) << (opened ? opened->body : "");
        const std::int64_t id = body_json(opened).at("case_ids")[0];
        const std::string path = "/api/cases/" + std::to_string(id);
        auto changed = body_json(post(admin, path + "/assign", {{"assignee", "inspector"}, {"version", 1}}));
        for (const char* next : {"online_check", "onsite_check"})
            changed = body_json(post(admin, path + "/transitions", {{"to", next}, {"version", changed.at("version")}}));
        auto inspector = server_->client_as("inspector");
        changed =
            body_json(post(inspector, path + "/transitions",
                           {{"to", "concluded"}, {"version", changed.at("version")}, {"conclusion", conclusion}}));
        EXPECT_EQ(changed.at("state"), "concluded") << changed.dump();
        return changed;
    }

    std::filesystem::path db_;
    std::unique_ptr<TestServer> server_;
};

TEST_F(ApiCaseworkTest, BackBillingIsTheCalculatorsApprovedByASupervisorAndPaidToClosing) {
    const auto findings = station_findings(1);
    ASSERT_EQ(findings.size(), 1u);
    const auto concluded = concluded_case(findings[0].at("id"), "confirmed_theft");
    const std::string path = "/api/cases/" + std::to_string(concluded.at("case_id").get<std::int64_t>());
    auto inspector = server_->client_as("inspector");
    // Nothing computed yet.
    EXPECT_EQ(inspector.Get(path + "/back-billing")->status, 404);
    EXPECT_EQ(inspector.Get(path + "/documents/back-billing")->status, 404);

    const auto [computed_status, computed] =
        answer(post(inspector, path + "/back-billing", {{"version", concluded.at("version")}, {"facts", theft_facts}}));
    ASSERT_EQ(computed_status, 200) << computed.dump();
    EXPECT_EQ(computed.at("state"), "back_billing");
    EXPECT_EQ(computed.at("computation"), "theft");
    EXPECT_EQ(computed.at("total"), "19764.00");  // 6,480 kWh: 4,941.00 back-billed + 14,823.00 penalty
    ASSERT_EQ(computed.at("items").size(), 2u);
    EXPECT_EQ(computed.at("items")[0].at("amount"), "4941.00");
    EXPECT_EQ(computed.at("items")[1].at("amount"), "14823.00");
    EXPECT_TRUE(computed.at("notice_number").is_null());
    // The same figures as `gridaudit recover theft` for the same facts.
    const auto recovered = run_command(GRIDAUDIT_BINARY, "recover theft --capacity-kw 3 --price 0.7625 --json");
    ASSERT_EQ(recovered.exit_code, 0) << recovered.out;
    const auto printed = nlohmann::json::parse(recovered.out);
    EXPECT_EQ(printed.at("total"), computed.at("total"));
    EXPECT_EQ(printed.at("amounts"), computed.at("recovery").at("amounts"));
    EXPECT_EQ(body_json(inspector.Get(path + "/back-billing")), computed);

    // Approval: supervisors only, at the version read.
    const std::int64_t version = computed.at("version");
    EXPECT_EQ(answer(post(inspector, path + "/back-billing/approve", {{"version", version}})).first, 403);
    auto supervisor = server_->client_as("supervisor");
    EXPECT_EQ(answer(post(supervisor, path + "/back-billing/approve", {{"version", version - 1}})).first, 409);
    // No payment before the notice.
    auto clerk = server_->client_as("clerk");
    EXPECT_EQ(answer(post(clerk, path + "/payments", {{"amount", "100.00"}, {"paid_on", today}})).first, 409);
    const auto [approved_status, approved] =
        answer(post(supervisor, path + "/back-billing/approve", {{"version", version}}));
    ASSERT_EQ(approved_status, 200) << approved.dump();
    EXPECT_EQ(approved.at("state"), "recovery");
    EXPECT_EQ(approved.at("notice_number"), fmt::format("BB-2026-{:06}", concluded.at("case_id").get<std::int64_t>()));
    EXPECT_EQ(approved.at("approved_by"), "supervisor");

    // Payments: the inspector may not record one; a part, then the rest closes the case.
    EXPECT_EQ(answer(post(inspector, path + "/payments", {{"amount", "100.00"}, {"paid_on", today}})).first, 403);
    const auto [part_status, part] =
        answer(post(clerk, path + "/payments", {{"amount", "10000.00"}, {"paid_on", today}, {"reference", "R-1"}}));
    ASSERT_EQ(part_status, 201) << part.dump();
    EXPECT_EQ(part.at("outstanding"), "9764.00");
    EXPECT_EQ(part.at("recovered"), false);
    const auto listed = body_json(clerk.Get(path + "/payments"));
    EXPECT_EQ(listed.at("notice_number"), approved.at("notice_number"));
    EXPECT_EQ(listed.at("paid"), "10000.00");
    ASSERT_EQ(listed.at("payments").size(), 1u);
    EXPECT_EQ(listed.at("payments")[0].at("note"), "R-1");
    const auto [rest_status, rest] = answer(post(clerk, path + "/payments", {{"amount", "9764"}, {"paid_on", today}}));
    ASSERT_EQ(rest_status, 201) << rest.dump();
    EXPECT_EQ(rest.at("outstanding"), "0.00");
    EXPECT_EQ(rest.at("recovered"), true);
    EXPECT_EQ(body_json(clerk.Get(path)).at("state"), "closed");
    EXPECT_EQ(body_json(clerk.Get(path + "/payments")).at("recovered_on"), today);
}

TEST_F(ApiCaseworkTest, BodiesAreCheckedNamingTheField) {
    const auto findings = station_findings(1);
    ASSERT_EQ(findings.size(), 1u);
    const auto concluded = concluded_case(findings[0].at("id"), "confirmed_theft");
    const std::string path = "/api/cases/" + std::to_string(concluded.at("case_id").get<std::int64_t>());
    const std::int64_t version = concluded.at("version");
    auto admin = server_->client_as("admin");
    const auto field_of = [&](const std::string& route, const nlohmann::json& body) {
        const auto [status, document] = answer(post(admin, route, body));
        EXPECT_EQ(status, 400) << route << " " << body.dump();
        return document.at("error").value("field", "");
    };
    EXPECT_EQ(field_of(path + "/back-billing", {{"facts", theft_facts}}), "version");
    EXPECT_EQ(field_of(path + "/back-billing", {{"version", version}, {"facts", "3 kW"}}), "facts");
    EXPECT_EQ(field_of(path + "/back-billing", {{"version", version}, {"facts", {{"price", {{"a", 1}}}}}}), "facts");
    EXPECT_EQ(field_of(path + "/back-billing", {{"version", version}, {"fact", theft_facts}}), "fact");
    EXPECT_EQ(field_of(path + "/back-billing/approve", {{"version", "7"}}), "version");
    EXPECT_EQ(field_of(path + "/payments", {{"amount", "12.345"}, {"paid_on", today}}), "amount");
    EXPECT_EQ(field_of(path + "/payments", {{"amount", 12.5}, {"paid_on", today}}), "amount");
    EXPECT_EQ(field_of(path + "/payments", {{"amount", "0"}, {"paid_on", today}}), "amount");
    EXPECT_EQ(field_of(path + "/payments", {{"amount", "12.50"}}), "paid_on");
    EXPECT_EQ(field_of(path + "/payments", {{"amount", "12.50"}, {"paid_on", "1 Nov"}}), "paid_on");
    // The calculator's refusal (no price) is a 400 and writes nothing.
    const auto [refused, refusal] =
        answer(post(admin, path + "/back-billing", {{"version", version}, {"facts", {{"capacity_kw", "3"}}}}));
    EXPECT_EQ(refused, 400);
    EXPECT_NE(refusal.at("error").at("message").get<std::string>().find("price"), std::string::npos) << refusal;
    EXPECT_EQ(body_json(admin.Get(path)).at("state"), "concluded");
    // A stale version, a case without a billable conclusion, an unknown case.
    EXPECT_EQ(answer(post(admin, path + "/back-billing", {{"version", version + 1}, {"facts", theft_facts}})).first,
              409);
    EXPECT_EQ(answer(post(admin, "/api/cases/999999/back-billing", {{"version", 1}, {"facts", theft_facts}})).first,
              404);
    EXPECT_EQ(admin.Post(path + "/payments", "amount=1", "text/plain")->status, 415);
}

TEST_F(ApiCaseworkTest, DocumentsAreHtmlAndTheFeedbackIsTheMonthsCsv) {
    const auto findings = station_findings(2);
    ASSERT_EQ(findings.size(), 2u);
    const auto concluded = concluded_case(findings[0].at("id"), "no_problem");
    const std::string path = "/api/cases/" + std::to_string(concluded.at("case_id").get<std::int64_t>());
    auto inspector = server_->client_as("inspector");
    for (const char* kind : {"notice", "onsite", "feedback"}) {
        const auto document = inspector.Get(path + "/documents/" + kind);
        ASSERT_TRUE(document);
        EXPECT_EQ(document->status, 200) << kind << ": " << document->body;
        EXPECT_EQ(document->get_header_value("Content-Type"), "text/html; charset=utf-8");
        EXPECT_NE(document->body.find("<html"), std::string::npos) << kind;
        EXPECT_NE(document->get_header_value("Content-Security-Policy").find("style-src 'unsafe-inline'"),
                  std::string::npos);
        EXPECT_EQ(document->headers.count("Content-Security-Policy"), 1u);
    }
    const auto unknown = inspector.Get(path + "/documents/invoice");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404);
    EXPECT_NE(body_json(unknown).at("error").at("message").get<std::string>().find("back-billing"), std::string::npos);
    EXPECT_EQ(server_->client_as("outsider").Get(path + "/documents/notice")->status, 403);

    const auto csv = inspector.Get("/api/feedback?period=2026-11");
    ASSERT_TRUE(csv);
    ASSERT_EQ(csv->status, 200) << csv->body;
    EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
    std::string header;
    for (const auto column : feedback_csv_columns()) header += (header.empty() ? "" : ",") + std::string(column);
    EXPECT_TRUE(csv->body.starts_with(header + "\n")) << csv->body;
    const auto lines = std::count(csv->body.begin(), csv->body.end(), '\n');
    EXPECT_EQ(lines, 2);  // the header and the one case concluded in November
    EXPECT_NE(csv->body.find(std::to_string(concluded.at("case_id").get<std::int64_t>())), std::string::npos);
    const auto october = inspector.Get("/api/feedback?period=2026-10");
    ASSERT_TRUE(october);
    EXPECT_EQ(october->body, header + "\n");  // nothing concluded in October
    EXPECT_EQ(body_json(inspector.Get("/api/feedback")).at("error").at("field"), "period");
    EXPECT_EQ(body_json(inspector.Get("/api/feedback?period=November")).at("error").at("field"), "period");
}

TEST_F(ApiCaseworkTest, TheFeeCentersCsvOpensCasesInOneTransaction) {
    const auto findings = station_findings(2);
    ASSERT_EQ(findings.size(), 2u);
    const std::string customer = findings[0].at("subject_id");
    const std::string other = findings[1].at("subject_id");
    const std::string header = "subject_kind,subject_id,kind,description,amount,found_on\n";
    const std::string good =
        "customer," + customer + ",FEE-ZERO-BILL,\"billed 0 kWh, meter advanced\",812.40,2026-10-28\n";
    auto clerk = server_->client_as("clerk");
    const auto cases_of = [&](const std::string& subject) {
        return body_json(clerk.Get("/api/cases?subject_id=" + subject + "&cause=FEE-ZERO-BILL")).at("total");
    };
    // A bad row refuses the file, naming line and column.
    const auto bad = clerk.Post(
        "/api/cases/import", header + good + "customer," + other + ",FEE-ZERO-BILL,x,12.345,2026-10-28\n", "text/csv");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(body_json(bad).at("error").at("message").get<std::string>().find("body:3:"), std::string::npos)
        << bad->body;
    // One transaction: a row naming no customer refuses the good row too.
    const auto unknown =
        clerk.Post("/api/cases/import", header + good + "customer,C9999999,FEE-ZERO-BILL,x,1,2026-10-28\n", "text/csv");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404) << unknown->body;
    EXPECT_EQ(cases_of(customer), 0);
    // Another content type; a role that may not open cases.
    EXPECT_EQ(clerk.Post("/api/cases/import", header + good, "application/json")->status, 415);
    EXPECT_EQ(server_->client_as("inspector").Post("/api/cases/import", header + good, "text/csv")->status, 403);

    const auto opened = clerk.Post("/api/cases/import", header + good, "text/csv; charset=utf-8");
    ASSERT_TRUE(opened);
    ASSERT_EQ(opened->status, 201) << opened->body;
    EXPECT_EQ(body_json(opened).at("opened"), 1);
    EXPECT_EQ(cases_of(customer), 1);
    // The same anomaly again joins the open case (no overlap).
    const auto again = clerk.Post("/api/cases/import", header + good, "text/csv");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200) << again->body;
    EXPECT_EQ(body_json(again).at("opened"), 0);
    EXPECT_EQ(cases_of(customer), 1);
}

TEST_F(ApiCaseworkTest, KpisAreThoseOfGridauditKpisForTheSameUserAndScope) {
    const auto findings = station_findings(1);
    ASSERT_EQ(findings.size(), 1u);
    (void)concluded_case(findings[0].at("id"), "confirmed_theft");
    for (const std::string user : {"analyst", "outsider"}) {
        SCOPED_TRACE(user);
        const auto served = body_json(server_->client_as(user).Get("/api/kpis?period=2026-11"));
        const auto command = run_command(
            GRIDAUDIT_BINARY,
            fmt::format("kpis --db {} --period 2026-11 --as {} --now {} --json", db_.string(), user, server_now));
        ASSERT_EQ(command.exit_code, 0) << command.out;
        EXPECT_EQ(served, nlohmann::json::parse(command.out));
        EXPECT_EQ(served.at("total").at("concluded"), user == "analyst" ? 1 : 0);
    }
    auto analyst = server_->client_as("analyst");
    const auto station = body_json(analyst.Get("/api/kpis?period=2026-11&unit=U0101001"));
    EXPECT_EQ(station.at("total").at("concluded"), 1);
    ASSERT_FALSE(station.at("units").empty());
    EXPECT_EQ(station.at("units")[0].at("unit_id"), "U0101001");
    EXPECT_EQ(body_json(analyst.Get("/api/kpis?period=2026-11&unit=U0101002")).at("total").at("concluded"), 0);
    // Refusals: the period, an unknown unit, a unit outside the user's scope, no token.
    EXPECT_EQ(body_json(analyst.Get("/api/kpis")).at("error").at("field"), "period");
    EXPECT_EQ(body_json(analyst.Get("/api/kpis?period=2026-11&unit=U9")).at("error").at("field"), "unit");
    EXPECT_EQ(server_->client_as("outsider").Get("/api/kpis?period=2026-11&unit=U0101001")->status, 403);
    EXPECT_EQ(server_->client().Get("/api/kpis?period=2026-11")->status, 401);
}

}  // namespace
}  // namespace gridaudit
