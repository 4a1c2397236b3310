// The API over real HTTP: the server started in-process on port 0 over the shared test utility,
// driven with httplib's client signed in as the administrator: the read routes' documents,
// paging, filters and sorting, and the status of each kind of refusal.
#include <gtest/gtest.h>

#include <set>

#include "support/command_runner.hpp"
#include "test_utility.hpp"

namespace gridaudit {
namespace {

using testing::body_json;
using testing::TestServer;

class ApiServerTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = std::make_unique<TestServer>(
            testing::private_store_copy(::testing::UnitTest::GetInstance()->current_test_suite()->name()));
        token_ = server_->token_of("admin");
    }
    static void TearDownTestSuite() { server_.reset(); }
    // A client signed in as the administrator (the whole utility).
    static httplib::Client admin() {
        auto client = server_->client();
        client.set_bearer_token_auth(token_);
        return client;
    }

    static nlohmann::json get_json(const std::string& path, int status = 200) {
        auto client = admin();
        const auto result = client.Get(path);
        EXPECT_TRUE(result) << path;
        if (!result) return nullptr;
        EXPECT_EQ(result->status, status) << path << ": " << result->body;
        nlohmann::json document = body_json(result);
        EXPECT_FALSE(document.is_discarded()) << path << ": " << result->body;
        return document;
    }
    // Every finding, in id order, through the paged list.
    static std::vector<nlohmann::json> all_findings(const std::string& filter = "") {
        std::vector<nlohmann::json> all;
        for (int page = 1;; ++page) {
            const auto document = get_json("/api/findings?sort=id&page_size=500&page=" + std::to_string(page) + filter);
            for (const auto& item : document.at("items")) all.push_back(item);
            if (document.at("items").size() < 500) break;
        }
        return all;
    }
    static std::string first_subject(const std::string& kind) {
        for (const auto& finding : all_findings("&subject_kind=" + kind)) return finding.at("subject_id");
        return "";
    }

    static inline std::unique_ptr<TestServer> server_;
    static inline std::string token_;
};

TEST_F(ApiServerTest, RulesAreTheCatalogue) {
    const auto rules = get_json("/api/rules");
    ASSERT_TRUE(rules.is_object() || rules.is_array());
    EXPECT_NE(rules.dump().find("METER-ROTATION-OVERDUE"), std::string::npos);
}

TEST_F(ApiServerTest, FindingsArePagedWithTheirTotal) {
    const auto all = all_findings();
    ASSERT_GT(all.size(), 20u);
    const auto first = get_json("/api/findings?sort=id&page_size=7");
    EXPECT_EQ(first.at("total"), all.size());
    EXPECT_EQ(first.at("page"), 1);
    EXPECT_EQ(first.at("page_size"), 7);
    ASSERT_EQ(first.at("items").size(), 7u);
    const auto second = get_json("/api/findings?sort=id&page_size=7&page=2");
    ASSERT_EQ(second.at("items").size(), 7u);
    EXPECT_EQ(second.at("items")[0], all[7]);
    const std::size_t last_page = (all.size() + 6) / 7;
    const auto last = get_json("/api/findings?sort=id&page_size=7&page=" + std::to_string(last_page));
    EXPECT_EQ(last.at("items").size(), all.size() - (last_page - 1) * 7);
    EXPECT_TRUE(get_json("/api/findings?page_size=7&page=" + std::to_string(last_page + 1)).at("items").empty());
    std::set<std::int64_t> ids;
    for (const auto& finding : all) ids.insert(finding.at("id").get<std::int64_t>());
    EXPECT_EQ(ids.size(), all.size());
}

TEST_F(ApiServerTest, FindingsFilterByEachField) {
    const auto all = all_findings();
    const auto count_where = [&](const auto& keep) {
        return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), keep));
    };
    const auto meter = all_findings("&area=METER");
    EXPECT_EQ(meter.size(), count_where([](const auto& f) { return f.at("area") == "METER"; }));
    EXPECT_GT(meter.size(), 0u);
    const auto severe = all_findings("&severity=high,critical");
    EXPECT_EQ(severe.size(),
              count_where([](const auto& f) { return f.at("severity") == "high" || f.at("severity") == "critical"; }));
    const std::string rule = all.front().at("rule_id");
    EXPECT_EQ(all_findings("&rule=" + rule).size(),
              count_where([&](const auto& f) { return f.at("rule_id") == rule; }));
    const std::string period = "2026-10";
    EXPECT_EQ(all_findings("&period=" + period).size(),
              count_where([&](const auto& f) { return f.at("period") == period; }));
    EXPECT_EQ(all_findings("&active=true").size(), count_where([](const auto& f) { return f.at("active") == true; }));
    const std::string customer = first_subject("customer");
    ASSERT_FALSE(customer.empty());
    const auto of_customer = all_findings("&subject_kind=customer&subject_id=" + customer);
    EXPECT_EQ(of_customer.size(), count_where([&](const auto& f) {
                  return f.at("subject_kind") == "customer" && f.at("subject_id") == customer;
              }));
    // A unit holds the findings of its own subjects and of the units below it.
    std::string unit;
    for (const auto& f : all)
        if (f.at("unit_id") != "") unit = f.at("unit_id");
    ASSERT_FALSE(unit.empty());
    const auto in_unit = all_findings("&unit=" + unit);
    EXPECT_GE(in_unit.size(), count_where([&](const auto& f) { return f.at("unit_id") == unit; }));
    // The generator's unit ids nest by prefix: U01 > U0101 (county) > U0101001 (station) > teams.
    const auto in_county = all_findings("&unit=U0101");
    EXPECT_EQ(in_county.size(), count_where([](const auto& f) {
                  return f.at("unit_id").template get<std::string>().starts_with("U0101");
              }));
    EXPECT_GE(in_county.size(), in_unit.size());
    EXPECT_EQ(all_findings("&unit=U01").size(), count_where([](const auto& f) { return f.at("unit_id") != ""; }));
}

TEST_F(ApiServerTest, FindingsSortByTheGivenKeys) {
    const auto money = get_json("/api/findings?sort=-money_at_risk,id&page_size=500").at("items");
    ASSERT_GT(money.size(), 2u);
    double previous = 1e300;
    bool reached_null = false;
    for (const auto& f : money) {
        if (f.at("money_at_risk").is_null()) {
            reached_null = true;
            continue;
        }
        EXPECT_FALSE(reached_null) << "an amount after a finding without one";
        const double amount = std::stod(f.at("money_at_risk").get<std::string>());
        EXPECT_LE(amount, previous);
        previous = amount;
    }
    const auto by_rule = get_json("/api/findings?sort=rule_id&page_size=500").at("items");
    for (std::size_t i = 1; i < by_rule.size(); ++i)
        EXPECT_LE(by_rule[i - 1].at("rule_id").get<std::string>(), by_rule[i].at("rule_id").get<std::string>());
}

TEST_F(ApiServerTest, OneFindingWithItsEvidence) {
    const auto all = all_findings();
    const auto id = all[3].at("id").get<std::int64_t>();
    const auto finding = get_json("/api/findings/" + std::to_string(id));
    EXPECT_EQ(finding, all[3]);
    EXPECT_TRUE(finding.at("evidence").is_object());
    get_json("/api/findings/99999999", 404);
    EXPECT_EQ(get_json("/api/findings/abc", 400).at("error").at("field"), "id");
}

TEST_F(ApiServerTest, BadQueriesAreRefusedNamingTheParameter) {
    for (const auto& [query, field] :
         std::vector<std::pair<std::string, std::string>>{{"?pagesize=3", "pagesize"},
                                                          {"?page=0", "page"},
                                                          {"?page_size=100000", "page_size"},
                                                          {"?sort=colour", "sort"},
                                                          {"?area=ELEC", "area"},
                                                          {"?severity=high,dire", "severity"},
                                                          {"?rule=NO-SUCH-RULE", "rule"},
                                                          {"?period=2026-1", "period"},
                                                          {"?active=maybe", "active"},
                                                          {"?unit=NO-SUCH-UNIT", "unit"}}) {
        const auto error = get_json("/api/findings" + query, 400);
        EXPECT_EQ(error.at("error").at("field"), field) << query;
        EXPECT_EQ(error.at("error").at("code"), "invalid_input");
        EXPECT_NE(error.at("error").at("message").get<std::string>().find(field), std::string::npos);
    }
    EXPECT_EQ(get_json("/api/loss?level=street", 400).at("error").at("field"), "level");
    EXPECT_EQ(get_json("/api/loss?purchase_price=-1", 400).at("error").at("field"), "purchase_price");
    EXPECT_EQ(get_json("/api/rules?x=1", 400).at("error").at("field"), "x");
}

TEST_F(ApiServerTest, UnknownRoutesAndMethods) {
    EXPECT_EQ(get_json("/api/nothing", 404).at("error").at("code"), "not_found");
    EXPECT_EQ(get_json("/index.html", 404).at("error").at("code"), "not_found");
    auto client = admin();
    const auto posted = client.Post("/api/rules", "{}", "application/json");
    ASSERT_TRUE(posted);
    EXPECT_EQ(posted->status, 405);
    EXPECT_EQ(posted->get_header_value("Allow"), "GET");
    const auto deleted = client.Delete("/api/findings");
    ASSERT_TRUE(deleted);
    EXPECT_EQ(deleted->status, 405);
}

TEST_F(ApiServerTest, EveryResponseCarriesTheSecurityHeaders) {
    auto client = admin();
    for (const char* path : {"/api/rules", "/api/nothing", "/api/findings?page=0"}) {
        const auto result = client.Get(path);
        ASSERT_TRUE(result);
        EXPECT_EQ(result->get_header_value("X-Content-Type-Options"), "nosniff") << path;
        EXPECT_EQ(result->get_header_value("Cache-Control"), "no-store") << path;
        EXPECT_EQ(result->get_header_value("X-Frame-Options"), "DENY") << path;
        EXPECT_NE(result->get_header_value("Content-Security-Policy"), "") << path;
        EXPECT_EQ(result->get_header_value("Content-Type"), "application/json") << path;
    }
}

TEST_F(ApiServerTest, BodiesOverTheLimitAre413) {
    auto client = admin();
    const auto result = client.Post("/api/rules", std::string(2 << 20, 'x'), "application/json");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 413);
    EXPECT_EQ(body_json(result).at("error").at("code"), "payload_too_large");
}

TEST_F(ApiServerTest, LossIsWhatGridauditLossPrints) {
    for (const std::string arguments :
         {"--level feeder", "--level area --by unit --period 2026-09", "--level substation --purchase-price 0.45"}) {
        SCOPED_TRACE(arguments);
        const CommandOutput printed = run_command(
            GRIDAUDIT_BINARY, "loss --json --db " + testing::test_utility_store().string() + " " + arguments);
        ASSERT_EQ(printed.exit_code, 0) << printed.out;
        std::string query = arguments;
        for (auto [from, to] : {std::pair<std::string, std::string>{"--level ", "level="},
                                {" --by ", "&by="},
                                {" --period ", "&period="},
                                {" --purchase-price ", "&purchase_price="}}) {
            if (const auto at = query.find(from); at != std::string::npos) query.replace(at, from.size(), to);
        }
        const auto served = get_json("/api/loss?" + query);
        EXPECT_EQ(served, nlohmann::json::parse(printed.out));
        EXPECT_FALSE(served.at("rows").empty());
    }
    EXPECT_EQ(get_json("/api/loss?period=2019-01", 404).at("error").at("code"), "not_found");
}

TEST_F(ApiServerTest, CustomerWithMetersFindingsAndSeries) {
    const std::string id = first_subject("customer");
    const auto customer = get_json("/api/customers/" + id);
    EXPECT_EQ(customer.at("id"), id);
    EXPECT_FALSE(customer.at("meters").empty());
    EXPECT_FALSE(customer.at("findings").empty());
    EXPECT_EQ(customer.at("node").at("kind"), "area");

    const auto series = get_json("/api/customers/" + id + "/series?from=2026-09-01&to=2026-09-30");
    ASSERT_EQ(series.at("dates").size(), 30u);
    EXPECT_EQ(series.at("dates")[0], "2026-09-01");
    EXPECT_EQ(series.at("usage_kwh").size(), 30u);
    EXPECT_EQ(series.at("area").at("supply_kwh").size(), 30u);
    EXPECT_EQ(series.at("area").at("loss_rate").size(), 30u);
    EXPECT_EQ(series.at("area").at("node"), customer.at("node"));
    for (const auto& event : series.at("events")) {
        EXPECT_GE(event.at("day").get<std::string>(), "2026-09-01");
        EXPECT_LE(event.at("day").get<std::string>(), "2026-09-30");
    }
    // Loss is supply less sales, day by day.
    const auto& area = series.at("area");
    for (std::size_t d = 0; d < 30; ++d) {
        if (area.at("supply_kwh")[d].is_null() || area.at("sales_kwh")[d].is_null()) continue;
        EXPECT_NEAR(area.at("loss_kwh")[d].get<double>(),
                    area.at("supply_kwh")[d].get<double>() - area.at("sales_kwh")[d].get<double>(), 1e-6);
    }
    const auto whole = get_json("/api/customers/" + id + "/series");
    EXPECT_GT(whole.at("dates").size(), 30u);
    EXPECT_EQ(get_json("/api/customers/" + id + "/series?from=2026-10-01&to=2026-09-01", 400).at("error").at("field"),
              "from");
    get_json("/api/customers/NO-SUCH-CUSTOMER", 404);
    get_json("/api/customers/NO-SUCH-CUSTOMER/series", 404);
}

TEST_F(ApiServerTest, MeterWithFindingsAndSeries) {
    const std::string id = first_subject("meter");
    ASSERT_FALSE(id.empty());
    const auto meter = get_json("/api/meters/" + id);
    EXPECT_EQ(meter.at("id"), id);
    EXPECT_FALSE(meter.at("findings").empty());
    const auto series = get_json("/api/meters/" + id + "/series?from=2026-10-01");
    EXPECT_EQ(series.at("dates").size(), 31u);
    EXPECT_EQ(series.at("register").size(), 31u);
    EXPECT_EQ(series.at("usage_kwh").size(), 31u);
    EXPECT_EQ(series.at("usage_quality").size(), 31u);
    get_json("/api/meters/NO-SUCH-METER", 404);
}

}  // namespace
}  // namespace gridaudit
