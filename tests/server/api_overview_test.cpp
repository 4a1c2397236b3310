// The overview's route over real HTTP: GET /api/loss/trend's months are the substations' monthly
// loss table summed (GET /api/loss), its comparison this month against the month before, and its
// refusals; GET /api/rules with the policy in force (a parameter and a switch the server's
// policy sets, the rest at their defaults); GET /api/nodes/{id}/intervals, an area's day within the
// day, and GET /api/loss/daily's compact encoding (the same rates as float32 in base64).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <iostream>

#include "test_utility.hpp"

namespace gridaudit {
namespace {

using testing::body_json;
using testing::TestServer;

class ApiOverviewTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto policy = Policy::parse(
            "[rules.LOSS-AREA-HIGH]\nhigh_rate = 0.08\n\n[rules.METER-ROTATION-OVERDUE]\nenabled = false\n", "test.toml");
        if (!policy) throw std::runtime_error(policy.error().message());
        server_ = std::make_unique<TestServer>(testing::private_store_copy("api-overview"),
                                               Instant::from_unix_seconds(1'793'491'200), *policy);
        token_ = server_->token_of("inspector");
    }
    static void TearDownTestSuite() { server_.reset(); }

    static nlohmann::json get_json(const std::string& path, int status = 200) {
        auto client = server_->client();
        client.set_bearer_token_auth(token_);
        const auto result = client.Get(path);
        EXPECT_TRUE(result) << path;
        if (!result) return nullptr;
        EXPECT_EQ(result->status, status) << path << ": " << result->body;
        return body_json(result);
    }

    static inline std::unique_ptr<TestServer> server_;
    static inline std::string token_;
};

// Supply and sales of the computable substations of a month's loss table.
std::pair<double, double> substation_sums(const nlohmann::json& table) {
    double supply = 0, sales = 0;
    for (const auto& row : table.at("rows"))
        if (!row.at("loss_rate").is_null())
            supply += row.at("supply_kwh").get<double>(), sales += row.at("sales_kwh").get<double>();
    return {supply, sales};
}

TEST_F(ApiOverviewTest, TheTrendIsTheSubstationTableOfEachMonthSummed) {
    const auto trend = get_json("/api/loss/trend");
    const auto last = get_json("/api/loss?level=substation");
    const std::string month = last.at("rows").at(0).at("month");
    EXPECT_EQ(trend.at("month"), month);
    const auto& months = trend.at("months");
    ASSERT_GE(months.size(), 2u);  // 70 days of data: this month and the ones before it
    EXPECT_LE(months.size(), 13u);
    EXPECT_EQ(months.back().at("month"), month);
    for (const auto& m : months) {
        SCOPED_TRACE(m.at("month").get<std::string>());
        const auto table = get_json("/api/loss?level=substation&period=" + m.at("month").get<std::string>());
        const auto [supply, sales] = substation_sums(table);
        if (m.at("supply_kwh").is_null()) continue;  // no substation computable that month
        // The loss table's JSON rounds kWh to 0.01 and its rates to 0.0001; the trend keeps the sums.
        EXPECT_NEAR(m.at("supply_kwh").get<double>(), supply, 0.01 * static_cast<double>(table.at("rows").size()));
        EXPECT_NEAR(m.at("sales_kwh").get<double>(), sales, 0.01 * static_cast<double>(table.at("rows").size()));
        EXPECT_NEAR(m.at("loss_rate").get<double>(), (supply - sales) / supply, 1e-8);
        EXPECT_EQ(m.at("substations"), table.at("rows").size());
        // The average price over every bill: the categories' revenue over their kWh.
        double revenue = 0, billed = 0;
        for (const auto& category : table.at("selling_price_by_category"))
            revenue += category.at("revenue").get<double>(), billed += category.at("billed_kwh").get<double>();
        if (billed > 0) {
            EXPECT_NEAR(m.at("average_price").get<double>(), revenue / billed, 1e-6);
        }
    }
    // This month against the month before: the rate's change in points, supply's relative.
    const auto& rate = trend.at("comparison").at("loss_rate");
    const auto& this_month = months.back();
    const auto& before = months.at(months.size() - 2);
    EXPECT_DOUBLE_EQ(rate.at("value").get<double>(), this_month.at("loss_rate").get<double>());
    ASSERT_FALSE(rate.at("previous_month").is_null());
    EXPECT_DOUBLE_EQ(rate.at("change_month").get<double>(),
                     this_month.at("loss_rate").get<double>() - before.at("loss_rate").get<double>());
    const auto& supply = trend.at("comparison").at("supply_kwh");
    EXPECT_DOUBLE_EQ(supply.at("change_month").get<double>(),
                     (this_month.at("supply_kwh").get<double>() - before.at("supply_kwh").get<double>()) /
                         before.at("supply_kwh").get<double>());
    EXPECT_TRUE(supply.at("previous_year").is_null());  // 70 days: no month a year before
    EXPECT_TRUE(supply.at("change_year").is_null());
    EXPECT_TRUE(trend.at("comparison").contains("average_price"));
    EXPECT_TRUE(trend.at("comparison").contains("sales_kwh"));
}

TEST_F(ApiOverviewTest, TheTrendEndsAtTheMonthAskedForAndIsAsLongAsAsked) {
    const auto months = get_json("/api/loss/trend").at("months");
    ASSERT_GE(months.size(), 2u);
    const std::string earlier = months.at(months.size() - 2).at("month");
    const auto trend = get_json("/api/loss/trend?period=" + earlier + "&months=2");
    EXPECT_EQ(trend.at("month"), earlier);
    EXPECT_LE(trend.at("months").size(), 2u);
    EXPECT_EQ(trend.at("months").back().at("month"), earlier);
}

TEST_F(ApiOverviewTest, TheTrendRefusesWhatItCannotAnswer) {
    EXPECT_EQ(get_json("/api/loss/trend?months=1", 400).at("error").at("field"), "months");
    EXPECT_EQ(get_json("/api/loss/trend?months=38", 400).at("error").at("field"), "months");
    EXPECT_EQ(get_json("/api/loss/trend?period=2026-13", 400).at("error").at("field"), "period");
    EXPECT_EQ(get_json("/api/loss/trend?level=area", 400).at("error").at("field"), "level");
    EXPECT_EQ(get_json("/api/loss/trend?period=2019-01", 404).at("error").at("code"), "not_found");
    auto anonymous = server_->client();
    const auto refused = anonymous.Get("/api/loss/trend");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
}

TEST_F(ApiOverviewTest, RulesCarryThePolicyInForce) {
    const auto rules = get_json("/api/rules").at("rules");
    std::size_t seen = 0;
    for (const auto& rule : rules) {
        const std::string id = rule.at("id");
        EXPECT_EQ(rule.at("enabled"), id != "METER-ROTATION-OVERDUE") << id;
        for (const auto& parameter : rule.at("parameters")) {
            const bool set = id == "LOSS-AREA-HIGH" && parameter.at("name") == "high_rate";
            EXPECT_EQ(parameter.at("from_policy"), set) << id << " " << parameter.at("name");
            if (set) {
                EXPECT_EQ(parameter.at("value"), 0.08);
                EXPECT_NE(parameter.at("default"), 0.08);
                ++seen;
            } else {
                EXPECT_EQ(parameter.at("value"), parameter.at("default")) << id << " " << parameter.at("name");
            }
        }
    }
    EXPECT_EQ(seen, 1u);
}

// The areas of the network tree.
std::vector<std::string> area_ids(const nlohmann::json& network) {
    std::vector<std::string> ids;
    for (const auto& node : network.at("nodes"))
        if (node.at("kind") == "area") ids.push_back(node.at("id"));
    return ids;
}

TEST_F(ApiOverviewTest, AnAreasDayWithinTheDayHasNinetySixSlotsAndALossOnlyWhenComplete) {
    const auto areas = area_ids(get_json("/api/network"));
    ASSERT_FALSE(areas.empty());
    std::size_t with_intervals = 0;
    for (const auto& id : areas) {
        SCOPED_TRACE(id);
        const auto day = get_json("/api/nodes/" + id + "/intervals");
        ASSERT_EQ(day.at("times").size(), 96u);
        EXPECT_EQ(day.at("times").at(0), "00:00");
        EXPECT_EQ(day.at("times").at(95), "23:45");
        EXPECT_EQ(day.at("slot_minutes"), 15);
        EXPECT_EQ(day.at("node").at("id"), id);
        const bool complete = day.at("gateway_meters_with_intervals").get<int>() > 0 &&
                              day.at("customers_with_intervals") == day.at("customers");
        for (std::size_t s = 0; s < 96; ++s) {
            const auto& loss = day.at("loss_kwh").at(s);
            if (!complete) {
                EXPECT_TRUE(loss.is_null()) << s;  // a partial sum is not the area's sales
                continue;
            }
            if (day.at("supply_kwh").at(s).is_null() || day.at("sales_kwh").at(s).is_null()) continue;
            EXPECT_NEAR(loss.get<double>(),
                        day.at("supply_kwh").at(s).get<double>() - day.at("sales_kwh").at(s).get<double>(), 1e-6);
        }
        if (day.at("has_intervals").get<bool>()) ++with_intervals;
        if (!day.at("has_intervals").get<bool>()) {
            EXPECT_EQ(day.at("customers_with_intervals"), 0);
            EXPECT_TRUE(day.at("supply_kwh").at(0).is_null());
        }
    }
    // The day asked for is the day answered; a day's intervals sum the same whichever way asked.
    const auto last = get_json("/api/nodes/" + areas.front() + "/intervals");
    const auto asked = get_json("/api/nodes/" + areas.front() + "/intervals?date=" + last.at("date").get<std::string>());
    EXPECT_EQ(asked, last);
    std::cout << with_intervals << " of " << areas.size() << " areas have intervals on their last day\n";
}

TEST_F(ApiOverviewTest, IntervalsAreRefusedForWhatIsNotAnAreaOrADay) {
    const auto network = get_json("/api/network");
    std::string feeder;
    for (const auto& node : network.at("nodes"))
        if (node.at("kind") == "feeder") feeder = node.at("id");
    ASSERT_FALSE(feeder.empty());
    EXPECT_NE(get_json("/api/nodes/" + feeder + "/intervals", 400).at("error").at("message").get<std::string>().find(
                  "transformer areas"),
              std::string::npos);
    EXPECT_EQ(get_json("/api/nodes/NOPE/intervals", 404).at("error").at("code"), "not_found");
    const auto area = area_ids(network).front();
    EXPECT_EQ(get_json("/api/nodes/" + area + "/intervals?date=2026-02-30", 400).at("error").at("field"), "date");
}

// The base64 of the compact encoding decoded back to floats.
std::vector<float> decode_float32(const std::string& text) {
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string bytes;
    unsigned buffer = 0;
    int bits = 0;
    for (const char c : text) {
        if (c == '=') break;
        buffer = (buffer << 6) | static_cast<unsigned>(alphabet.find(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    std::vector<float> values(bytes.size() / 4);
    std::memcpy(values.data(), bytes.data(), values.size() * 4);
    return values;
}

TEST_F(ApiOverviewTest, TheDailyLossInFloat32IsTheSameRatesAsTheJson) {
    const auto rows = get_json("/api/loss/daily?from=2026-09-01&to=2026-10-31");
    const auto compact = get_json("/api/loss/daily?from=2026-09-01&to=2026-10-31&encoding=f32");
    EXPECT_EQ(compact.at("dates"), rows.at("dates"));
    EXPECT_EQ(compact.at("nodes"), rows.at("nodes"));
    EXPECT_FALSE(compact.contains("loss_rate"));
    const auto values = decode_float32(compact.at("loss_rate_f32"));
    const std::size_t days = rows.at("dates").size();
    ASSERT_EQ(values.size(), rows.at("nodes").size() * days);
    std::size_t known = 0;
    for (std::size_t n = 0; n < rows.at("nodes").size(); ++n)
        for (std::size_t d = 0; d < days; ++d) {
            const auto& rate = rows.at("loss_rate").at(n).at(d);
            const float value = values[n * days + d];
            if (rate.is_null()) {
                EXPECT_TRUE(std::isnan(value)) << n << " " << d;
            } else {
                EXPECT_EQ(value, static_cast<float>(rate.get<double>())) << n << " " << d;
                ++known;
            }
        }
    EXPECT_GT(known, 0u);
    EXPECT_EQ(get_json("/api/loss/daily?encoding=f16", 400).at("error").at("field"), "encoding");
}

}  // namespace
}  // namespace gridaudit
