// The network routes of the dashboard's line-loss page over real HTTP: the tree (every node's
// parent is in it, each month's rate and class as the monthly loss table gives them), the daily
// loss rate of areas x days (the same figures as one area's series), a node's series, an area's
// suspects (gridaudit suspects' ranking), and their refusals (an unknown node, a month without
// data, from after to, an unknown parameter, no token).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "support/command_runner.hpp"
#include "test_utility.hpp"

namespace gridaudit {
namespace {

using testing::body_json;
using testing::TestServer;

class ApiNetworkTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = std::make_unique<TestServer>(testing::private_store_copy("api-network"));
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

TEST_F(ApiNetworkTest, TheTreeHasEveryNodeUnderItsParentWithTheMonthlyLossTablesClass) {
    const auto network = get_json("/api/network?period=2026-09");
    EXPECT_EQ(network.at("period"), "2026-09");
    const auto& nodes = network.at("nodes");
    std::set<std::string> ids;
    std::map<std::string, int> kinds;
    for (const auto& node : nodes) {
        ids.insert(node.at("id").get<std::string>());
        ++kinds[node.at("kind").get<std::string>()];
    }
    EXPECT_EQ(kinds["substation"], 1);  // the test utility's substation, its buses, feeders and areas
    EXPECT_GT(kinds["bus"], 0);
    EXPECT_GT(kinds["area"], kinds["feeder"]);
    EXPECT_GT(kinds["feeder"], 0);
    for (const auto& node : nodes) {
        if (node.at("kind") == "substation") {
            EXPECT_TRUE(node.at("parent").is_null());
        } else {
            EXPECT_TRUE(ids.contains(node.at("parent").get<std::string>())) << node;
        }
    }
    // Each area's rate and class are the monthly loss table's (GET /api/loss, gridaudit loss).
    const auto table = get_json("/api/loss?level=area&period=2026-09");
    std::map<std::string, nlohmann::json> rows;
    for (const auto& row : table.at("rows")) rows[row.at("node").get<std::string>()] = row;
    int compared = 0, not_qualified = 0;
    for (const auto& node : nodes) {
        if (node.at("kind") != "area") continue;
        const auto& row = rows.at(node.at("id").get<std::string>());
        EXPECT_EQ(node.at("loss_class"), row.at("class")) << node;
        if (!row.at("loss_rate").is_null()) {
            EXPECT_NEAR(node.at("loss_rate").get<double>(), row.at("loss_rate").get<double>(), 0.00005) << node;
            ++compared;
        }
        not_qualified += node.at("loss_class") != "qualified";
    }
    EXPECT_GT(compared, 10);
    EXPECT_GT(not_qualified, 0);  // the generator's anomalies make some areas lossy
    // The default month is the last of the data.
    EXPECT_EQ(get_json("/api/network").at("period"), "2026-10");
    EXPECT_EQ(get_json("/api/network?period=2019-01", 404).at("error").at("code"), "not_found");
    EXPECT_EQ(get_json("/api/network?period=2026-13", 400).at("error").at("field"), "period");
}

TEST_F(ApiNetworkTest, TheHeatMapsRatesAreEachAreasDailySeries) {
    const auto heat = get_json("/api/loss/daily?from=2026-09-01&to=2026-09-30");
    EXPECT_EQ(heat.at("level"), "area");
    ASSERT_EQ(heat.at("dates").size(), 30u);
    EXPECT_EQ(heat.at("dates")[0], "2026-09-01");
    const auto& nodes = heat.at("nodes");
    const auto& rates = heat.at("loss_rate");
    ASSERT_EQ(nodes.size(), rates.size());
    int areas = 0;
    const auto network = get_json("/api/network");
    for (const auto& node : network.at("nodes")) areas += node.at("kind") == "area";
    EXPECT_EQ(static_cast<int>(nodes.size()), areas);
    for (const auto& row : rates) EXPECT_EQ(row.size(), 30u);

    const std::string area = nodes[3].at("id");
    const auto series = get_json("/api/nodes/" + area + "/series?from=2026-09-01&to=2026-09-30");
    EXPECT_EQ(series.at("node").at("id"), area);
    EXPECT_EQ(series.at("node").at("kind"), "area");
    EXPECT_EQ(series.at("dates"), heat.at("dates"));
    EXPECT_EQ(series.at("loss_rate"), rates[3]);
    int computable = 0;
    for (std::size_t d = 0; d < 30; ++d) {
        if (series.at("supply_kwh")[d].is_null() || series.at("sales_kwh")[d].is_null()) continue;
        const double supply = series.at("supply_kwh")[d], sales = series.at("sales_kwh")[d];
        EXPECT_NEAR(series.at("loss_kwh")[d].get<double>(), supply - sales, 1e-6);
        if (supply > 0) {
            EXPECT_NEAR(series.at("loss_rate")[d].get<double>(), (supply - sales) / supply, 0.00005);
            ++computable;
        }
    }
    EXPECT_GT(computable, 20);
    const auto feeders = get_json("/api/loss/daily?level=feeder&from=2026-10-31");
    EXPECT_EQ(feeders.at("dates").size(), 1u);
    EXPECT_LT(feeders.at("nodes").size(), nodes.size());
}

TEST_F(ApiNetworkTest, AnAreasSuspectsAreGridauditSuspectsRankingInTheCallersScope) {
    // The area with the most customers of the inspector's station U0101001.
    const auto network = get_json("/api/network");
    std::string area;
    for (const auto& node : network.at("nodes"))
        if (node.at("kind") == "area" && node.at("unit_id") == "U0101001") area = node.at("id");
    ASSERT_FALSE(area.empty());
    const auto served = get_json("/api/nodes/" + area + "/suspects?top=0&from=2026-09-01&to=2026-10-31");
    EXPECT_EQ(served.at("node_id"), area);
    EXPECT_EQ(served.at("from"), "2026-09-01");
    EXPECT_EQ(served.at("to"), "2026-10-31");
    const CommandOutput printed =
        run_command(GRIDAUDIT_BINARY, "suspects --json --top 0 --from 2026-09-01 --to 2026-10-31 --node " + area +
                                          " --db " + testing::test_utility_store().string());
    ASSERT_EQ(printed.exit_code, 0) << printed.out;
    const auto cli = nlohmann::json::parse(printed.out);
    const auto& expected = cli.at("areas").at(0).at("suspects");
    ASSERT_EQ(served.at("customers"), expected.size());
    ASSERT_EQ(served.at("suspects").size(), expected.size());  // the inspector's station holds the area
    for (std::size_t r = 0; r < expected.size(); ++r) {
        const auto& got = served.at("suspects")[r];
        EXPECT_EQ(got.at("rank"), expected[r].at("rank"));
        EXPECT_EQ(got.at("customer_id"), expected[r].at("customer_id"));
        EXPECT_EQ(got.at("deficit_days"), expected[r].at("deficit_days"));
        EXPECT_NEAR(got.at("score").get<double>(), expected[r].at("score").get<double>(), 1e-9);
    }
    EXPECT_EQ(get_json("/api/nodes/" + area + "/suspects").at("suspects").size(),
              std::min<std::size_t>(10, expected.size()));
    EXPECT_EQ(get_json("/api/nodes/" + area + "/suspects?top=-1", 400).at("error").at("field"), "top");
    EXPECT_EQ(get_json("/api/nodes/NO-SUCH-NODE/suspects", 404).at("error").at("code"), "not_found");
}

TEST_F(ApiNetworkTest, RefusalsNameWhatIsWrong) {
    EXPECT_EQ(get_json("/api/nodes/NO-SUCH-NODE/series", 404).at("error").at("code"), "not_found");
    EXPECT_EQ(get_json("/api/loss/daily?from=2026-10-02&to=2026-10-01", 400).at("error").at("field"), "from");
    EXPECT_EQ(get_json("/api/loss/daily?level=street", 400).at("error").at("field"), "level");
    EXPECT_EQ(get_json("/api/network?colour=red", 400).at("error").at("field"), "colour");
    auto anonymous = server_->client();
    const auto refused = anonymous.Get("/api/network");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
}

}  // namespace
}  // namespace gridaudit
