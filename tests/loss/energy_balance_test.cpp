// Energy balance kernel: supply, sales, loss, coverage and class per node, day and month.
#include "engine/balance/energy_balance.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/time.hpp"

namespace gridaudit {
namespace {

constexpr float hole = std::numeric_limits<float>::quiet_NaN();

// Feeder 0 with areas 1 and 2; one 10 kV customer on the feeder, two customers per area.
struct SmallNetwork {
    BalanceGraph graph;
    std::vector<float> customers, gateways;
    std::int32_t days = 0;
    SmallNetwork(std::int32_t day_count, float feeder_supply) : days(day_count) {
        graph.parent = {-1, 0, 0};
        graph.level = {BalanceLevel::feeder, BalanceLevel::area, BalanceLevel::area};
        graph.gateway_row = {0, 1, 2};
        graph.customer_offset = {0, 1, 3, 5};  // feeder: row 0; area 1: rows 1-2; area 2: rows 3-4
        const float usage[5] = {50, 30, 60, 40, 45};
        for (float u : usage)
            for (std::int32_t d = 0; d < days; ++d) customers.push_back(u);
        const float supply[3] = {feeder_supply, 100, 90};
        for (float s : supply)
            for (std::int32_t d = 0; d < days; ++d) gateways.push_back(s);
    }
    BalanceInput input() const {
        BalanceInput in;
        in.graph = &graph;
        in.customers = {customers.data(), 5, days};
        in.gateways = {gateways.data(), 3, days};
        in.first_day = CivilDate::from_ymd(2026, 1, 1).days_since_epoch();
        return in;
    }
};

TEST(EnergyBalanceTest, AreasSumTheirCustomersAndFeedersTheirAreasSupply) {
    const SmallNetwork network(3, 250);
    const auto result = compute_balance(network.input(), LossThresholds{});
    const BalanceTable& daily = result.daily;
    EXPECT_DOUBLE_EQ(daily.supply[daily.at(1, 0)], 100);
    EXPECT_DOUBLE_EQ(daily.sales[daily.at(1, 0)], 90);
    EXPECT_NEAR(daily.loss_rate(1, 0), 0.10, 1e-12);
    EXPECT_EQ(daily.loss_class[daily.at(1, 0)], LossClass::high);
    EXPECT_DOUBLE_EQ(daily.sales[daily.at(2, 2)], 85);
    EXPECT_EQ(daily.loss_class[daily.at(2, 2)], LossClass::qualified);
    // Feeder: 50 from its own customer + 100 + 90 from its areas' gateways.
    EXPECT_DOUBLE_EQ(daily.sales[daily.at(0, 1)], 240);
    EXPECT_NEAR(daily.loss_rate(0, 1), 0.04, 1e-12);
}

TEST(EnergyBalanceTest, ClassesFollowTheThresholds) {
    const LossThresholds t;
    EXPECT_EQ(classify_loss_rate(0.05, t), LossClass::qualified);
    EXPECT_EQ(classify_loss_rate(-0.005, t), LossClass::qualified);
    EXPECT_EQ(classify_loss_rate(-0.02, t), LossClass::negative);
    EXPECT_EQ(classify_loss_rate(0.08, t), LossClass::high);
    EXPECT_EQ(classify_loss_rate(0.31, t), LossClass::very_high);
    EXPECT_EQ(classify_loss_rate(std::nan(""), t), LossClass::not_computable);
    LossThresholds strict;
    strict.high_rate = 0.04;
    EXPECT_EQ(classify_loss_rate(0.05, strict), LossClass::high);
}

TEST(EnergyBalanceTest, AHoleMakesTheDayNotComputableInsteadOfALowerSales) {
    SmallNetwork network(3, 250);
    network.customers[1 * 3 + 1] = hole;  // area 1, first customer, day 1
    const auto result = compute_balance(network.input(), LossThresholds{});
    const BalanceTable& daily = result.daily;
    EXPECT_EQ(daily.loss_class[daily.at(1, 1)], LossClass::not_computable);
    EXPECT_TRUE(std::isnan(daily.sales[daily.at(1, 1)]));
    EXPECT_FLOAT_EQ(daily.coverage[daily.at(1, 1)], 0.5f);
    EXPECT_EQ(daily.loss_class[daily.at(1, 0)], LossClass::high);
    EXPECT_FLOAT_EQ(daily.coverage[daily.at(1, 0)], 1.0f);
    // The feeder's own data is complete and its areas' gateways too.
    EXPECT_NE(daily.loss_class[daily.at(0, 1)], LossClass::not_computable);
}

TEST(EnergyBalanceTest, AMissingGatewayValueMakesTheNodeAndItsParentNotComputable) {
    SmallNetwork network(3, 250);
    network.gateways[2 * 3 + 0] = hole;  // area 2's gateway, day 0
    const auto result = compute_balance(network.input(), LossThresholds{});
    EXPECT_EQ(result.daily.loss_class[result.daily.at(2, 0)], LossClass::not_computable);
    EXPECT_EQ(result.daily.loss_class[result.daily.at(0, 0)], LossClass::not_computable);
    EXPECT_EQ(result.daily.loss_class[result.daily.at(1, 0)], LossClass::high);
}

TEST(EnergyBalanceTest, EstimatedValuesLowerCoverageBelowTheThreshold) {
    const SmallNetwork network(3, 250);
    std::vector<std::uint32_t> estimated(3 * 3, 0);
    estimated[1 * 3 + 2] = 1;  // one of area 1's two customers estimated on day 2
    BalanceInput input = network.input();
    input.estimated_count = estimated;
    const auto result = compute_balance(input, LossThresholds{});
    EXPECT_FLOAT_EQ(result.daily.coverage[result.daily.at(1, 2)], 0.5f);
    EXPECT_EQ(result.daily.loss_class[result.daily.at(1, 2)], LossClass::not_computable);
    LossThresholds lenient;
    lenient.min_coverage = 0.5;
    const auto accepted = compute_balance(input, lenient);
    EXPECT_EQ(accepted.daily.loss_class[accepted.daily.at(1, 2)], LossClass::high);
}

TEST(EnergyBalanceTest, FedInEnergyRaisesSupplyAndSalesAlike) {
    const SmallNetwork network(2, 250);
    std::vector<double> fed_in(3 * 2, 0.0);
    fed_in[1 * 2 + 0] = 10;
    BalanceInput input = network.input();
    input.fed_in = fed_in;
    const auto result = compute_balance(input, LossThresholds{});
    EXPECT_DOUBLE_EQ(result.daily.supply[result.daily.at(1, 0)], 110);
    EXPECT_DOUBLE_EQ(result.daily.loss(1, 0), 10);
    EXPECT_NEAR(result.daily.loss_rate(1, 0), 10.0 / 110, 1e-12);
}

TEST(EnergyBalanceTest, MonthsAddUpComputableDaysAndNeedMostOfThem) {
    // 2026-01-30 .. 2026-02-03: two days of January, three of February.
    SmallNetwork network(5, 250);
    BalanceInput input = network.input();
    input.first_day = CivilDate::from_ymd(2026, 1, 30).days_since_epoch();
    network.customers[1 * 5 + 4] = hole;  // area 1, day 4 (3 February)
    const auto result = compute_balance(input, LossThresholds{});
    ASSERT_EQ(result.month_index.size(), 2u);
    EXPECT_EQ(Period::from_index(result.month_index[1]).to_string(), "2026-02");
    EXPECT_EQ(result.month_day_count[0], 2);
    EXPECT_EQ(result.month_first_column[1], 2);
    const BalanceTable& monthly = result.monthly;
    EXPECT_DOUBLE_EQ(monthly.supply[monthly.at(2, 1)], 270);
    EXPECT_DOUBLE_EQ(monthly.sales[monthly.at(2, 1)], 255);
    // Area 1 in February: 2 of 3 days computable, below the default 90 %.
    EXPECT_EQ(monthly.loss_class[monthly.at(1, 1)], LossClass::not_computable);
    EXPECT_EQ(monthly.loss_class[monthly.at(1, 0)], LossClass::high);
}

TEST(EnergyBalanceTest, ThreadsChangeNothing) {
    const SmallNetwork network(4, 250);
    BalanceInput one = network.input(), two = network.input();
    one.threads = 1;
    two.threads = 2;
    const auto a = compute_balance(one, LossThresholds{});
    const auto b = compute_balance(two, LossThresholds{});
    EXPECT_EQ(a.daily.sales, b.daily.sales);
    EXPECT_EQ(a.monthly.supply, b.monthly.supply);
}

}  // namespace
}  // namespace gridaudit
