// The monthly line-loss analysis table (see loss_table.hpp).
#include "rules/loss/loss_table.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

namespace gridaudit {
namespace {

nlohmann::json number(double x, double scale) {
    return std::isfinite(x) ? nlohmann::json(std::round(x * scale) / scale) : nlohmann::json();
}

// Revenue of a bill for selling-price purposes: energy, basic, power-factor and fixed charges.
double bill_revenue(const BillColumns& bills, std::size_t b) {
    Money revenue = bills.energy_charge[b];
    for (const auto* part : {&bills.basic_charge[b], &bills.pf_adjustment[b], &bills.fixed_charges[b]})
        if (*part) revenue += **part;
    return static_cast<double>(revenue.units()) / Money::units_per_currency;
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
    // Billed kWh and revenue of the month per node, each customer's bills counted at its node and
    // every ancestor.
    const Period month = Period::from_index(analysis.balance.month_index[static_cast<std::size_t>(*column)]);
    std::vector<double> billed(frame.network.size(), 0.0), revenue(frame.network.size(), 0.0);
    std::vector<char> has_bills(frame.network.size(), 0);
    const BillColumns& bills = frame.bills;
    for (std::size_t b = 0; b < bills.size(); ++b) {
        if (bills.period[b] != month) continue;
        const double kwh = bills.kwh_total[b];
        const double money = bill_revenue(bills, b);
        NodeIndex node = frame.customers.node[bills.customer[b].value()];
        for (std::size_t steps = 0; node.valid() && steps <= frame.network.size(); ++steps) {
            if (!std::isnan(kwh)) billed[node.value()] += kwh;
            revenue[node.value()] += money;
            has_bills[node.value()] = 1;
            node = frame.network.parent[node.value()];
        }
    }
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
        row.billed_kwh = has_bills[n] ? billed[n] : std::nan("");
        row.revenue = has_bills[n] ? revenue[n] : std::nan("");
        row.average_price = has_bills[n] && billed[n] > 0 ? revenue[n] / billed[n] : std::nan("");
        row.purchase_cost = purchase_price_per_kwh > 0 ? row.supply_kwh * purchase_price_per_kwh : std::nan("");
        row.margin = row.revenue - row.purchase_cost;
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
                       {"loss_cost", number(r.loss_cost, 100)},
                       {"billed_kwh", number(r.billed_kwh, 100)},
                       {"revenue", number(r.revenue, 100)},
                       {"average_price", number(r.average_price, 1e4)},
                       {"purchase_cost", number(r.purchase_cost, 100)},
                       {"margin", number(r.margin, 100)}});
    return out;
}

std::string loss_table_text(const std::vector<LossTableRow>& rows) {
    const auto cell = [](double x, const char* format) {
        return std::isfinite(x) ? fmt::format(fmt::runtime(format), x) : std::string("-");
    };
    std::string out = fmt::format("{:<12} {:<8} {:>14} {:>14} {:>12} {:>8} {:>8} {:>8} {:>9} {:<15} {:>9} {:>12}\n",
                                  "node", "month", "supply kWh", "sales kWh", "loss kWh", "rate %", "MoM pt", "YoY pt",
                                  "coverage", "class", "avg price", "margin");
    for (const auto& r : rows)
        out += fmt::format("{:<12} {:<8} {:>14} {:>14} {:>12} {:>8} {:>8} {:>8} {:>9} {:<15} {:>9} {:>12}\n", r.node_id,
                           r.month, cell(r.supply_kwh, "{:.0f}"), cell(r.sales_kwh, "{:.0f}"), cell(r.loss_kwh, "{:.0f}"),
                           cell(r.loss_rate * 100, "{:.2f}"), cell(r.rate_change_month * 100, "{:+.2f}"),
                           cell(r.rate_change_year * 100, "{:+.2f}"), cell(r.coverage, "{:.3f}"), r.loss_class,
                           cell(r.average_price, "{:.4f}"), cell(r.margin, "{:.0f}"));
    return out;
}

std::vector<CategoryPriceRow> selling_price_by_category(std::span<const RegionFrame> frames, Period month) {
    std::map<std::string, CategoryPriceRow> by_category;
    for (const RegionFrame& frame : frames) {
        const BillColumns& bills = frame.bills;
        for (std::size_t b = 0; b < bills.size(); ++b) {
            if (bills.period[b] != month) continue;
            const std::string& category = frame.customers.category[bills.customer[b].value()];
            CategoryPriceRow& row = by_category[category];
            row.category = category;
            row.month = month.to_string();
            ++row.bills;
            if (!std::isnan(bills.kwh_total[b])) row.billed_kwh += bills.kwh_total[b];
            row.revenue += bill_revenue(bills, b);
        }
    }
    std::vector<CategoryPriceRow> rows;
    for (auto& [category, row] : by_category) {
        row.average_price = row.billed_kwh > 0 ? row.revenue / row.billed_kwh : std::nan("");
        rows.push_back(std::move(row));
    }
    return rows;
}

nlohmann::json category_price_json(const std::vector<CategoryPriceRow>& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows)
        out.push_back({{"category", r.category},
                       {"month", r.month},
                       {"bills", r.bills},
                       {"billed_kwh", number(r.billed_kwh, 100)},
                       {"revenue", number(r.revenue, 100)},
                       {"average_price", number(r.average_price, 1e4)}});
    return out;
}

std::string category_price_text(const std::vector<CategoryPriceRow>& rows) {
    std::string out = fmt::format("Average selling price by category ({}):\n{:<18} {:>8} {:>14} {:>14} {:>10}\n",
                                  rows.empty() ? std::string("no bills") : rows.front().month, "category", "bills",
                                  "kWh billed", "revenue", "price/kWh");
    for (const auto& r : rows)
        out += fmt::format("{:<18} {:>8} {:>14.0f} {:>14.2f} {:>10.4f}\n", r.category, r.bills, r.billed_kwh, r.revenue,
                           r.average_price);
    return out;
}

}  // namespace gridaudit
