// The closed loop walked over real HTTP (issue 14, "what it must show"): the generated utility,
// imported and audited, has its cases opened by the policy; a supervisor assigns one to the
// station's inspector, who checks it online and on site and concludes theft; the back-billing from
// the facts found on site is the recovery calculator's; a supervisor approves it, the fee center
// records the payments, the case is recovered and closed, and the KPIs of the inspector's unit and
// person changed by exactly that case. Along the way, one refusal per role or scope violation.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "access/user_accounts.hpp"
#include "core/money.hpp"
#include "recovery/recovery_arguments.hpp"
#include "recovery/recovery_policy.hpp"
#include "store/store.hpp"
#include "test_utility.hpp"

namespace gridaudit {
namespace {

using testing::body_json;
using testing::TestServer;

// The server's clock: 2026-11-01T00:00:00Z, a Sunday morning in November under the calendar's UTC+8.
constexpr std::int64_t server_now = 1'793'491'200;
constexpr const char* period = "2026-11";
constexpr const char* today = "2026-11-01";

struct Answer {
    int status = 0;
    nlohmann::json body;
    std::string text;
};

Answer answer(const httplib::Result& result) {
    if (!result) return {};
    return {result->status, body_json(result), result->body};
}

Answer post(httplib::Client& client, const std::string& path, const nlohmann::json& body) {
    return answer(client.Post(path, body.dump(), "application/json"));
}

Answer get(httplib::Client& client, const std::string& path) {
    return answer(client.Get(path));
}

Money money(const nlohmann::json& text) {
    return Money::parse(text.get<std::string>()).value();
}

// The figures of `username` among a KPI report's people (zeros when absent).
nlohmann::json person(const nlohmann::json& report, const std::string& username) {
    for (const auto& p : report.at("people"))
        if (p.at("username") == username) return p;
    return {{"concluded", 0},
            {"confirmed", 0},
            {"kwh_assessed", 0.0},
            {"money_assessed", "0.00"},
            {"money_recovered", "0.00"}};
}

class ClosedLoopWalkTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto db = testing::private_store_copy("closed-loop-walk");
        {
            // A second inspector, of the other station, besides the shared store's users.
            auto store = Store::open(db.string());
            ASSERT_TRUE(store.has_value()) << store.error().message();
            AccessSettings settings;
            settings.password_cost = PasswordCost::test_minimum();
            const auto added =
                add_user((*store)->access(), Actor::system(), NewUser{"inspector2", Role::inspector, "U0101002"},
                         testing::test_password, Instant::from_unix_seconds(1'790'000'000), settings);
            ASSERT_TRUE(added.has_value()) << added.error().message();
        }
        server_ = std::make_unique<TestServer>(db, Instant::from_unix_seconds(server_now));
    }

    std::unique_ptr<TestServer> server_;
};

TEST_F(ClosedLoopWalkTest, AuditToCasesToRecoveryOverHttpWithEachRolesRefusals) {
    auto admin = server_->client_as("admin");
    auto supervisor = server_->client_as("supervisor");
    auto analyst = server_->client_as("analyst");
    auto clerk = server_->client_as("clerk");
    auto inspector = server_->client_as("inspector");
    auto inspector2 = server_->client_as("inspector2");
    auto anonymous = server_->client();

    // No token: 401 with the Bearer challenge.
    const auto unsigned_in = anonymous.Get("/api/cases");
    ASSERT_TRUE(unsigned_in);
    EXPECT_EQ(unsigned_in->status, 401);
    EXPECT_EQ(unsigned_in->get_header_value("WWW-Authenticate"), "Bearer");

    // The KPIs before: the station's and the inspector's, and the other station's.
    const std::string station_kpis = fmt::format("/api/kpis?period={}&unit=U0101001", period);
    const std::string other_kpis = fmt::format("/api/kpis?period={}&unit=U0101002", period);
    const Answer before = get(supervisor, station_kpis);
    ASSERT_EQ(before.status, 200) << before.text;
    const Answer other_before = get(supervisor, other_kpis);
    ASSERT_EQ(other_before.status, 200) << other_before.text;

    // The audit's findings become cases by the policy (the analyst's decision to apply it).
    const Answer opened = post(analyst, "/api/cases", {{"by_policy", true}});
    ASSERT_EQ(opened.status, 201) << opened.text;
    ASSERT_GT(opened.body.at("opened").get<int>(), 0);
    // Each inspector sees the cases of their own station only.
    const Answer mine = get(inspector, "/api/cases?state=new&page_size=500");
    const Answer theirs = get(inspector2, "/api/cases?state=new&page_size=500");
    ASSERT_EQ(mine.status, 200);
    ASSERT_GT(mine.body.at("total").get<int>(), 0);
    ASSERT_GT(theirs.body.at("total").get<int>(), 0);
    // Cases of the county's own nodes (a bus, LOSS-BUS-UNBALANCE) are above both stations: neither sees them.
    const Answer every = get(analyst, "/api/cases?state=new&page_size=500");
    ASSERT_EQ(every.status, 200);
    int above_stations = 0;
    for (const auto& c : every.body.at("items")) {
        const std::string unit = c.at("unit_id").get<std::string>();
        above_stations += !unit.starts_with("U0101001") && !unit.starts_with("U0101002");
    }
    EXPECT_EQ(mine.body.at("total").get<int>() + theirs.body.at("total").get<int>() + above_stations,
              every.body.at("total").get<int>());
    // A case of the inspector's station whose evidence feeds no calculator argument.
    nlohmann::json chosen;
    for (const auto& c : mine.body.at("items")) {
        const std::string cause = c.at("cause");
        if (cause != "METER-MULTIPLIER-MISMATCH" && cause != "BILL-RECOMPUTE-MISMATCH") {
            chosen = c;
            break;
        }
    }
    ASSERT_FALSE(chosen.is_null());
    const std::int64_t case_id = chosen.at("case_id");
    const std::string path = fmt::format("/api/cases/{}", case_id);
    std::int64_t version = chosen.at("version");

    // The inspector of the other station can neither see the case nor find it in a list.
    EXPECT_EQ(get(inspector2, path).status, 403);
    EXPECT_EQ(get(inspector2, fmt::format("/api/cases?subject_id={}", chosen.at("subject_id").get<std::string>()))
                  .body.at("total"),
              0);

    // Assignment is a supervisor's: the analyst is refused, the supervisor assigns.
    EXPECT_EQ(post(analyst, path + "/assign", {{"assignee", "inspector"}, {"version", version}}).status, 403);
    Answer step = post(supervisor, path + "/assign", {{"assignee", "inspector"}, {"version", version}});
    ASSERT_EQ(step.status, 200) << step.text;
    EXPECT_EQ(step.body.at("state"), "assigned");
    EXPECT_EQ(step.body.at("assignee"), "inspector");
    version = step.body.at("version");

    // A clerk may not work a case.
    EXPECT_EQ(post(clerk, path + "/transitions", {{"to", "online_check"}, {"version", version}}).status, 403);
    step = post(inspector, path + "/transitions",
                {{"to", "online_check"}, {"version", version}, {"note", "reads and bills checked"}});
    ASSERT_EQ(step.status, 200) << step.text;
    // The version read before the change is stale now.
    const Answer stale = post(inspector, path + "/transitions", {{"to", "onsite_check"}, {"version", version}});
    EXPECT_EQ(stale.status, 409);
    EXPECT_NE(stale.text.find(fmt::format("version {}", version + 1)), std::string::npos) << stale.text;
    version = step.body.at("version");
    step = post(inspector, path + "/transitions", {{"to", "onsite_check"}, {"version", version}});
    ASSERT_EQ(step.status, 200) << step.text;
    version = step.body.at("version");
    // A transition the state machine does not have names the allowed ones.
    const Answer illegal = post(inspector, path + "/transitions", {{"to", "closed"}, {"version", version}});
    EXPECT_EQ(illegal.status, 409);
    EXPECT_NE(illegal.text.find("concluded"), std::string::npos) << illegal.text;
    step = post(inspector, path + "/transitions",
                {{"to", "concluded"},
                 {"version", version},
                 {"conclusion", "confirmed_theft"},
                 {"note", "a 3 kW private tap before the meter"}});
    ASSERT_EQ(step.status, 200) << step.text;
    EXPECT_EQ(step.body.at("conclusion"), "confirmed_theft");
    version = step.body.at("version");

    // Back-billing from the facts found on site (the published example: 3 kW, duration unknown,
    // 0.7625 CNY/kWh), the evidence's dates struck out.
    const nlohmann::json facts = {{"capacity_kw", "3"}, {"price", "0.7625"}, {"start", nullptr}, {"end", nullptr}};
    step = post(inspector, path + "/back-billing", {{"version", version}, {"facts", facts}});
    ASSERT_EQ(step.status, 200) << step.text;
    const RecoveryArguments same{{"capacity_kw", "3"}, {"price", "0.7625"}};
    const auto calculated = compute_recovery("theft", same, RecoveryPolicy{});
    ASSERT_TRUE(calculated.has_value()) << calculated.error().message();
    EXPECT_EQ(step.body.at("state"), "back_billing");
    EXPECT_EQ(step.body.at("arguments"), nlohmann::json({{"capacity_kw", "3"}, {"price", "0.7625"}}));
    EXPECT_EQ(money(step.body.at("total")), calculated->total);
    EXPECT_EQ(step.body.at("total"), "19764.00");
    ASSERT_EQ(step.body.at("items").size(), calculated->amounts.size());
    for (std::size_t i = 0; i < calculated->amounts.size(); ++i) {
        EXPECT_EQ(step.body.at("items")[i].at("name"), calculated->amounts[i].name);
        EXPECT_EQ(money(step.body.at("items")[i].at("amount")), calculated->amounts[i].rounded);
    }
    EXPECT_EQ(step.body.at("energy_kwh"), 6480.0);
    version = step.body.at("version");

    // Approval: the inspector, the clerk and the analyst are refused; the supervisor approves.
    for (httplib::Client* refused : {&inspector, &clerk, &analyst})
        EXPECT_EQ(post(*refused, path + "/back-billing/approve", {{"version", version}}).status, 403);
    step = post(supervisor, path + "/back-billing/approve", {{"version", version}});
    ASSERT_EQ(step.status, 200) << step.text;
    EXPECT_EQ(step.body.at("state"), "recovery");
    const std::string notice = fmt::format("BB-2026-{:06}", case_id);
    EXPECT_EQ(step.body.at("notice_number"), notice);

    // The notice as a document, then the payments: a part by the fee center's clerk, the rest by
    // the supervisor; the case is recovered and closed.
    const auto document = inspector.Get(path + "/documents/back-billing");
    ASSERT_TRUE(document);
    EXPECT_EQ(document->status, 200);
    EXPECT_NE(document->body.find(notice), std::string::npos);
    step = post(clerk, path + "/payments", {{"amount", "9764.00"}, {"paid_on", today}, {"reference", "receipt 1"}});
    ASSERT_EQ(step.status, 201) << step.text;
    EXPECT_EQ(step.body.at("outstanding"), "10000.00");
    EXPECT_EQ(step.body.at("case_state"), nullptr);
    step = post(supervisor, path + "/payments", {{"amount", "10000.00"}, {"paid_on", today}});
    ASSERT_EQ(step.status, 201) << step.text;
    EXPECT_EQ(step.body.at("recovered"), true);
    EXPECT_EQ(step.body.at("case_state"), "closed");
    const Answer closed = get(inspector, path);
    EXPECT_EQ(closed.body.at("state"), "closed");
    const Answer payments = get(clerk, path + "/payments");
    EXPECT_EQ(payments.body.at("paid"), "19764.00");
    EXPECT_EQ(payments.body.at("recovered_on"), today);
    EXPECT_EQ(payments.body.at("payments").size(), 2u);

    // The KPIs changed by exactly this case: the station's and the inspector's; not the other station's.
    const Answer after = get(supervisor, station_kpis);
    ASSERT_EQ(after.status, 200) << after.text;
    const nlohmann::json& was = before.body.at("total");
    const nlohmann::json& is = after.body.at("total");
    EXPECT_EQ(is.at("concluded").get<int>(), was.at("concluded").get<int>() + 1);
    EXPECT_EQ(is.at("confirmed").get<int>(), was.at("confirmed").get<int>() + 1);
    EXPECT_EQ(is.at("kwh_assessed").get<double>(), was.at("kwh_assessed").get<double>() + 6480.0);
    EXPECT_EQ(money(is.at("money_assessed")), money(was.at("money_assessed")) + calculated->total);
    EXPECT_EQ(money(is.at("money_recovered")), money(was.at("money_recovered")) + calculated->total);
    EXPECT_GT(is.at("cases_opened").get<int>(), was.at("cases_opened").get<int>());
    const nlohmann::json person_was = person(before.body, "inspector");
    const nlohmann::json person_is = person(after.body, "inspector");
    EXPECT_EQ(person_is.at("concluded").get<int>(), person_was.at("concluded").get<int>() + 1);
    EXPECT_EQ(money(person_is.at("money_assessed")), money(person_was.at("money_assessed")) + calculated->total);
    EXPECT_EQ(money(person_is.at("money_recovered")), money(person_was.at("money_recovered")) + calculated->total);
    const Answer other_after = get(supervisor, other_kpis);
    EXPECT_EQ(other_after.body.at("total").at("concluded"), other_before.body.at("total").at("concluded"));
    EXPECT_EQ(other_after.body.at("total").at("money_assessed"), other_before.body.at("total").at("money_assessed"));
    // And the inspector of the other station may not read this station's KPIs.
    EXPECT_EQ(get(inspector2, station_kpis).status, 403);
}

}  // namespace
}  // namespace gridaudit
