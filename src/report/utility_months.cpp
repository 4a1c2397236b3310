// The utility's months (see utility_months.hpp).
#include "report/utility_months.hpp"

#include <cmath>
#include <limits>

#include "analysis/loss_table.hpp"

namespace gridaudit {
namespace {

constexpr double no_value = std::numeric_limits<double>::quiet_NaN();

nlohmann::json number_or_null(double x) {
    return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

const MonthlyLoss* month_of(const std::vector<MonthlyLoss>& months, Period month) {
    for (const MonthlyLoss& m : months)
        if (m.month == month) return &m;
    return nullptr;
}

}  // namespace

std::vector<MonthlyLoss> utility_months(std::span<const RegionFrame> frames,
                                        std::span<const std::optional<LossAnalysis>> analyses, Period first,
                                        Period last) {
    std::vector<MonthlyLoss> months;
    for (Period month = first; month <= last; month = month + 1) {
        MonthlyLoss totals;
        totals.month = month;
        for (const LossTableRow& row : loss_table(frames, analyses, BalanceLevel::substation, month, 0)) {
            ++totals.substations;
            if (std::isfinite(row.loss_rate))
                totals.supply_kwh += row.supply_kwh, totals.sales_kwh += row.sales_kwh;
            else
                ++totals.not_computable;
        }
        if (!totals.computable() && months.empty() && month != last) continue;
        totals.loss_kwh = totals.supply_kwh - totals.sales_kwh;
        totals.loss_rate = totals.computable() && totals.supply_kwh > 0 ? totals.loss_kwh / totals.supply_kwh : no_value;
        std::size_t bills = 0;
        for (const CategoryPriceRow& price : selling_price_by_category(frames, month))
            bills += price.bills, totals.billed_kwh += price.billed_kwh, totals.revenue += price.revenue;
        if (bills == 0) totals.billed_kwh = totals.revenue = no_value;
        totals.average_price = totals.billed_kwh > 0 ? totals.revenue / totals.billed_kwh : no_value;
        months.push_back(totals);
    }
    return months;
}

nlohmann::json monthly_loss_json(const MonthlyLoss& month) {
    const bool computable = month.computable();
    return {{"month", month.month.to_string()},
            {"supply_kwh", computable ? number_or_null(month.supply_kwh) : nullptr},
            {"sales_kwh", computable ? number_or_null(month.sales_kwh) : nullptr},
            {"loss_kwh", computable ? number_or_null(month.loss_kwh) : nullptr},
            {"loss_rate", number_or_null(month.loss_rate)},
            {"substations", month.substations},
            {"substations_not_computable", month.not_computable},
            {"billed_kwh", number_or_null(month.billed_kwh)},
            {"revenue", number_or_null(month.revenue)},
            {"average_price", number_or_null(month.average_price)}};
}

nlohmann::json month_comparison_json(const std::vector<MonthlyLoss>& months, Period month) {
    const MonthlyLoss* now = month_of(months, month);
    const MonthlyLoss* before = month_of(months, month - 1);
    const MonthlyLoss* year_before = month_of(months, month - 12);
    const auto figure = [](const MonthlyLoss* m, double MonthlyLoss::*field, bool loss_figure) {
        if (!m || (loss_figure && !m->computable())) return no_value;
        return m->*field;
    };
    nlohmann::json comparison = nlohmann::json::object();
    const auto compare = [&](const char* name, double MonthlyLoss::*field, bool loss_figure, bool points) {
        const double value = figure(now, field, loss_figure);
        const double previous_month = figure(before, field, loss_figure);
        const double previous_year = figure(year_before, field, loss_figure);
        const auto change = [&](double earlier) {
            if (!std::isfinite(value) || !std::isfinite(earlier)) return no_value;
            if (points) return value - earlier;
            return earlier != 0 ? (value - earlier) / earlier : no_value;
        };
        comparison[name] = {{"value", number_or_null(value)},
                            {"previous_month", number_or_null(previous_month)},
                            {"previous_year", number_or_null(previous_year)},
                            {"change_month", number_or_null(change(previous_month))},
                            {"change_year", number_or_null(change(previous_year))}};
    };
    compare("supply_kwh", &MonthlyLoss::supply_kwh, true, false);
    compare("sales_kwh", &MonthlyLoss::sales_kwh, true, false);
    compare("loss_rate", &MonthlyLoss::loss_rate, true, true);
    compare("average_price", &MonthlyLoss::average_price, false, false);
    return comparison;
}

}  // namespace gridaudit
