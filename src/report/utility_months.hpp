// The utility's line loss and selling price month by month: supply, sales and loss summed over the
// substations computable each month (as the report's Summary sums the period's), the rate of those
// sums, and the average selling price over every bill of the month. The monthly report's chart of
// supply, sales and loss by month and the dashboard's overview (GET /api/loss/trend: this month
// against the month before and a year before, the sparklines) read the same figures from here.
// Thread safety: stateless functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/loss_analysis.hpp"
#include "core/time.hpp"
#include "frame/region_frame.hpp"

namespace gridaudit {

struct MonthlyLoss {
    Period month;
    double supply_kwh = 0, sales_kwh = 0, loss_kwh = 0;
    double loss_rate = 0;  // NaN when no substation is computable or the supply is 0
    std::size_t substations = 0, not_computable = 0;
    // Over every bill of the month (selling_price_by_category summed): NaN without bills.
    double billed_kwh = 0, revenue = 0, average_price = 0;

    [[nodiscard]] bool computable() const { return substations > not_computable; }
};

// The months `first` to `last`, oldest first, from the first one in which a substation is
// computable (`last` always). `analyses` are the frames' loss analyses under the substations'
// thresholds (loss_table_thresholds(policy, BalanceLevel::substation)).
// REQUIRES: analyses.size() == frames.size(), first <= last.
[[nodiscard]] std::vector<MonthlyLoss> utility_months(std::span<const RegionFrame> frames,
                                                      std::span<const std::optional<LossAnalysis>> analyses,
                                                      Period first, Period last);

// {"month", "supply_kwh", "sales_kwh", "loss_kwh", "loss_rate", "substations",
// "substations_not_computable", "billed_kwh", "revenue", "average_price"}: null where not computable.
[[nodiscard]] nlohmann::json monthly_loss_json(const MonthlyLoss& month);

// This month against the month before and the same month a year before, for supply, sales, the
// loss rate and the average price: {"supply_kwh": {"value", "previous_month", "previous_year",
// "change_month", "change_year"}, ...}. Changes of supply, sales and price are relative (0.05 =
// +5 %), of the loss rate in rate points (0.005 = +0.5 pt); null where either side is unknown.
// `months` as utility_months gives them; `month` one of them.
[[nodiscard]] nlohmann::json month_comparison_json(const std::vector<MonthlyLoss>& months, Period month);

}  // namespace gridaudit
