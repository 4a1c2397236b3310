// The monthly line-loss analysis table (`gridaudit loss`): per node of one level, the month's
// supply, sales, loss, rate, coverage and class, with month-on-month and year-on-year change of
// the rate and the cost of the lost energy at a configured purchase price; the same summed by org
// unit (the unit responsible for each node, network.csv's unit_id).
// Thread safety: stateless functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/loss_analysis.hpp"

namespace gridaudit {

struct LossTableRow {
    std::string node_id, node_name, level, month;
    std::string unit_id;  // org unit responsible for the node ("" when none); the row's unit in a unit table
    std::size_t nodes = 1, nodes_not_computable = 0;  // a unit row: its nodes of the level, those not computable
    double supply_kwh = 0, sales_kwh = 0, loss_kwh = 0, loss_rate = 0;  // NaN when not computable
    double coverage = 0;
    std::string loss_class;
    double rate_change_month = 0;  // rate - previous month's rate (NaN when either is unknown)
    double rate_change_year = 0;   // rate - the same month a year earlier's (NaN when unknown)
    double loss_cost = 0;          // loss_kwh x purchase price (NaN without a price)
    // From the month's bills of the customers in the node's subtree: kWh billed, revenue (energy,
    // basic, power-factor and fixed charges; government funds and other charges excluded), average
    // selling price = revenue / kWh billed; purchase cost = supply x purchase price; margin =
    // revenue - purchase cost. NaN where there are no bills or no price.
    double billed_kwh = 0, revenue = 0, average_price = 0, purchase_cost = 0, margin = 0;
};

// Average selling price by customer category over every frame for one month (revenue as above).
struct CategoryPriceRow {
    std::string category, month;
    std::size_t bills = 0;
    double billed_kwh = 0, revenue = 0, average_price = 0;
};
[[nodiscard]] std::vector<CategoryPriceRow> selling_price_by_category(std::span<const RegionFrame> frames,
                                                                      Period month);
[[nodiscard]] nlohmann::json category_price_json(const std::vector<CategoryPriceRow>& rows);
[[nodiscard]] std::string category_price_text(const std::vector<CategoryPriceRow>& rows);

// Rows for every node of `level` in `frame`, for `period` (default: the last month in the data).
[[nodiscard]] std::vector<LossTableRow> loss_table(const RegionFrame& frame, const LossAnalysis& analysis,
                                                   BalanceLevel level, std::optional<Period> period,
                                                   double purchase_price_per_kwh);

// Node rows of one month summed by org unit (`unit_id`, "" for nodes without one): supply, sales
// and loss over the unit's nodes computable that month, kWh billed, revenue, purchase cost and
// margin over all its nodes; the class of the summed rate under `thresholds`; coverage the mean of
// its nodes'. Month-on-month and year-on-year changes compare with the unit's sums of
// `previous_month` and `previous_year` (node rows of those months; empty when not in the data).
// The cost of the loss is at `purchase_price_per_kwh` (NaN when 0).
[[nodiscard]] std::vector<LossTableRow> loss_unit_table(const std::vector<LossTableRow>& month,
                                                        const std::vector<LossTableRow>& previous_month,
                                                        const std::vector<LossTableRow>& previous_year,
                                                        const LossThresholds& thresholds,
                                                        double purchase_price_per_kwh);

// loss_table over every region: analyses[i] is frames[i]'s (nullopt: a frame without daily
// series, which gives no rows). REQUIRES: analyses.size() == frames.size().
[[nodiscard]] std::vector<LossTableRow> loss_table(std::span<const RegionFrame> frames,
                                                   std::span<const std::optional<LossAnalysis>> analyses,
                                                   BalanceLevel level, std::optional<Period> period,
                                                   double purchase_price_per_kwh);

// The org-unit table of `month` over every region: loss_unit_table of the node rows of `month`,
// of the month before and of the same month a year earlier. Empty when the month has no rows.
[[nodiscard]] std::vector<LossTableRow> loss_unit_table(std::span<const RegionFrame> frames,
                                                        std::span<const std::optional<LossAnalysis>> analyses,
                                                        BalanceLevel level, Period month,
                                                        const LossThresholds& thresholds,
                                                        double purchase_price_per_kwh);

// `unit_rows`: rows of loss_unit_table (keyed "unit", with "nodes" and "nodes_not_computable").
[[nodiscard]] nlohmann::json loss_table_json(const std::vector<LossTableRow>& rows, bool unit_rows = false);
[[nodiscard]] std::string loss_table_text(const std::vector<LossTableRow>& rows, bool unit_rows = false);

}  // namespace gridaudit
