// The monthly line-loss analysis table (see loss_table.hpp).
#include "rules/loss/loss_table.hpp"

#include <fmt/format.h>

#include <cmath>

namespace gridaudit {
namespace {

nlohmann::json number(double x, double scale) {
    return std::isfinite(x) ? nlohmann::json(std::round(x * scale) / scale) : nlohmann::json();
}

}  // namespace

std::vector<LossTableRow> loss_table(const RegionFrame& frame, const LossAnalysis& analysis, BalanceLevel level,
                                     std::optional<Period> period, double purchase_price_per_kwh) {
    std::vector<LossTableRow> rows;
    const auto column = analysis.month_column(period);
    if (!column) return rows;
    const BalanceTable& monthly = analysis.balance.monthly;
    const auto rate_at = [&](std::size_t node, std::int32_t m) {
        return m >= 0 && m < monthly.columns && monthly.loss_class[monthly.at(node, m)] != LossClass::not_computable
                   ? monthly.loss_rate(node, m)
                   : std::nan("");
    };
    for (std::size_t n = 0; n < frame.network.size(); ++n) {
        if (analysis.graph().level[n] != level) continue;
        const std::size_t i = monthly.at(n, *column);
        LossTableRow row;
        row.node_id = frame.network.id[n];
        row.node_name = frame.network.name[n];
        row.level = std::string(balance_level_name(level));
        row.month = Period::from_index(analysis.balance.month_index[static_cast<std::size_t>(*column)]).to_string();
        row.supply_kwh = monthly.supply[i];
        row.sales_kwh = monthly.sales[i];
        row.loss_kwh = row.supply_kwh - row.sales_kwh;
        row.loss_rate = rate_at(n, *column);
        row.coverage = monthly.coverage[i];
        row.loss_class = std::string(loss_class_name(monthly.loss_class[i]));
        row.rate_change_month = row.loss_rate - rate_at(n, *column - 1);
        row.rate_change_year = row.loss_rate - rate_at(n, *column - 12);
        row.loss_cost = purchase_price_per_kwh > 0 ? row.loss_kwh * purchase_price_per_kwh : std::nan("");
        rows.push_back(std::move(row));
    }
    return rows;
}

nlohmann::json loss_table_json(const std::vector<LossTableRow>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows)
        out.push_back({{"node", r.node_id},
                       {"name", r.node_name},
                       {"level", r.level},
                       {"month", r.month},
                       {"supply_kwh", number(r.supply_kwh, 100)},
                       {"sales_kwh", number(r.sales_kwh, 100)},
                       {"loss_kwh", number(r.loss_kwh, 100)},
                       {"loss_rate", number(r.loss_rate, 1e4)},
                       {"coverage", number(r.coverage, 1e3)},
                       {"class", r.loss_class},
                       {"rate_change_month", number(r.rate_change_month, 1e4)},
                       {"rate_change_year", number(r.rate_change_year, 1e4)},
                       {"loss_cost", number(r.loss_cost, 100)}});
    return out;
}

std::string loss_table_text(const std::vector<LossTableRow>& rows) {
    const auto cell = [](double x, const char* format) {
        return std::isfinite(x) ? fmt::format(fmt::runtime(format), x) : std::string("-");
    };
    std::string out = fmt::format("{:<12} {:<8} {:>14} {:>14} {:>12} {:>8} {:>8} {:>8} {:>9} {:<15}\n", "node", "month",
                                  "supply kWh", "sales kWh", "loss kWh", "rate %", "MoM pt", "YoY pt", "coverage",
                                  "class");
    for (const auto& r : rows)
        out += fmt::format("{:<12} {:<8} {:>14} {:>14} {:>12} {:>8} {:>8} {:>8} {:>9} {:<15}\n", r.node_id, r.month,
                           cell(r.supply_kwh, "{:.0f}"), cell(r.sales_kwh, "{:.0f}"), cell(r.loss_kwh, "{:.0f}"),
                           cell(r.loss_rate * 100, "{:.2f}"), cell(r.rate_change_month * 100, "{:+.2f}"),
                           cell(r.rate_change_year * 100, "{:+.2f}"), cell(r.coverage, "{:.3f}"), r.loss_class);
    return out;
}

}  // namespace gridaudit
