// The monthly loss table summed by org unit: sums over computable nodes, rate changes, classes.
#include "analysis/loss_table.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gridaudit {
namespace {

LossTableRow node_row(std::string unit, double supply, double sales, double billed = std::nan("")) {
    LossTableRow row;
    row.unit_id = std::move(unit);
    row.level = "area";
    row.month = "2026-10";
    row.supply_kwh = supply;
    row.sales_kwh = sales;
    row.loss_kwh = supply - sales;
    row.loss_rate = std::isfinite(sales) ? (supply - sales) / supply : std::nan("");
    row.coverage = std::isfinite(sales) ? 1.0 : 0.5;
    row.billed_kwh = billed;
    row.revenue = std::isfinite(billed) ? billed * 0.6 : std::nan("");
    row.purchase_cost = supply * 0.4;
    return row;
}

TEST(LossUnitTableTest, SumsComputableNodesByUnitWithMonthAndYearChanges) {
    const std::vector<LossTableRow> month{node_row("U1", 1000, 950, 900), node_row("U1", 3000, 2650, 2600),
                                          node_row("U1", 500, std::nan("")), node_row("U2", 2000, 2100)};
    const std::vector<LossTableRow> previous{node_row("U1", 1000, 960), node_row("U1", 3000, 2880),
                                             node_row("U2", 2000, 1950)};
    const std::vector<LossTableRow> year{node_row("U1", 4000, 3800)};
    const auto rows = loss_unit_table(month, previous, year, LossThresholds{}, 0.5);
    ASSERT_EQ(rows.size(), 2u);
    const LossTableRow& u1 = rows[0];
    EXPECT_EQ(u1.unit_id, "U1");
    EXPECT_EQ(u1.nodes, 3u);
    EXPECT_EQ(u1.nodes_not_computable, 1u);
    EXPECT_DOUBLE_EQ(u1.supply_kwh, 4000);  // the not computable node's supply is left out
    EXPECT_DOUBLE_EQ(u1.sales_kwh, 3600);
    EXPECT_DOUBLE_EQ(u1.loss_rate, 0.1);
    EXPECT_EQ(u1.loss_class, "high");
    EXPECT_NEAR(u1.rate_change_month, 0.1 - 160.0 / 4000, 1e-12);
    EXPECT_NEAR(u1.rate_change_year, 0.1 - 0.05, 1e-12);
    EXPECT_DOUBLE_EQ(u1.loss_cost, 400 * 0.5);
    EXPECT_DOUBLE_EQ(u1.billed_kwh, 3500);
    EXPECT_DOUBLE_EQ(u1.average_price, 0.6);
    EXPECT_DOUBLE_EQ(u1.margin, 3500 * 0.6 - 4500 * 0.4);
    EXPECT_NEAR(u1.coverage, 2.5 / 3, 1e-12);
    const LossTableRow& u2 = rows[1];
    EXPECT_EQ(u2.loss_class, "negative");
    EXPECT_NEAR(u2.rate_change_month, -0.05 - 0.025, 1e-12);
    EXPECT_TRUE(std::isnan(u2.rate_change_year));  // not in the data a year earlier
    EXPECT_TRUE(std::isnan(u2.billed_kwh));
}

}  // namespace
}  // namespace gridaudit
