// The monthly line-loss analysis table (see loss_table.hpp).
#include "analysis/loss_table.hpp"

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
        row.unit_id = n < frame.network.unit_id.size() ? frame.network.unit_id[n] : std::string();
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

namespace {

struct UnitSums {
    double supply = 0, sales = 0, coverage = 0, billed = 0, revenue = 0, purchase_cost = 0;
    std::size_t nodes = 0, not_computable = 0;
    bool has_bills = false, has_cost = false;
    [[nodiscard]] double rate() const {
        return nodes > not_computable && supply > 0 ? (supply - sales) / supply : std::nan("");
    }
};

std::map<std::string, UnitSums> sum_by_unit(const std::vector<LossTableRow>& rows) {
    std::map<std::string, UnitSums> units;
    for (const auto& r : rows) {
        UnitSums& u = units[r.unit_id];
        ++u.nodes;
        u.coverage += r.coverage;
        if (std::isfinite(r.loss_rate)) {
            u.supply += r.supply_kwh;
            u.sales += r.sales_kwh;
        } else {
            ++u.not_computable;
        }
        if (std::isfinite(r.billed_kwh)) u.billed += r.billed_kwh, u.has_bills = true;
        if (std::isfinite(r.revenue)) u.revenue += r.revenue, u.has_bills = true;
        if (std::isfinite(r.purchase_cost)) u.purchase_cost += r.purchase_cost, u.has_cost = true;
    }
    return units;
}

}  // namespace

std::vector<LossTableRow> loss_unit_table(const std::vector<LossTableRow>& month,
                                          const std::vector<LossTableRow>& previous_month,
                                          const std::vector<LossTableRow>& previous_year,
                                          const LossThresholds& thresholds, double purchase_price_per_kwh) {
    const auto current = sum_by_unit(month), before = sum_by_unit(previous_month), year = sum_by_unit(previous_year);
    const auto rate_of = [](const std::map<std::string, UnitSums>& units, const std::string& unit) {
        const auto it = units.find(unit);
        return it == units.end() ? std::nan("") : it->second.rate();
    };
    std::vector<LossTableRow> rows;
    for (const auto& [unit, u] : current) {
        LossTableRow row;
        row.node_id = row.unit_id = unit;
        row.level = month.front().level;
        row.month = month.front().month;
        row.nodes = u.nodes;
        row.nodes_not_computable = u.not_computable;
        const bool computable = u.nodes > u.not_computable;
        row.supply_kwh = computable ? u.supply : std::nan("");
        row.sales_kwh = computable ? u.sales : std::nan("");
        row.loss_kwh = row.supply_kwh - row.sales_kwh;
        row.loss_rate = u.rate();
        row.coverage = u.coverage / static_cast<double>(u.nodes);
        row.loss_class = std::string(loss_class_name(classify_loss_rate(row.loss_rate, thresholds)));
        row.rate_change_month = row.loss_rate - rate_of(before, unit);
        row.rate_change_year = row.loss_rate - rate_of(year, unit);
        row.loss_cost = purchase_price_per_kwh > 0 ? row.loss_kwh * purchase_price_per_kwh : std::nan("");
        row.billed_kwh = u.has_bills ? u.billed : std::nan("");
        row.revenue = u.has_bills ? u.revenue : std::nan("");
        row.average_price = u.has_bills && u.billed > 0 ? u.revenue / u.billed : std::nan("");
        row.purchase_cost = u.has_cost ? u.purchase_cost : std::nan("");
        row.margin = row.revenue - row.purchase_cost;
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<LossTableRow> loss_table(std::span<const RegionFrame> frames,
                                     std::span<const std::optional<LossAnalysis>> analyses, BalanceLevel level,
                                     std::optional<Period> period, double purchase_price_per_kwh) {
    std::vector<LossTableRow> rows;
    for (std::size_t f = 0; f < frames.size() && f < analyses.size(); ++f) {
        if (!analyses[f]) continue;
        auto region = loss_table(frames[f], *analyses[f], level, period, purchase_price_per_kwh);
        rows.insert(rows.end(), std::make_move_iterator(region.begin()), std::make_move_iterator(region.end()));
    }
    return rows;
}

std::vector<LossTableRow> loss_unit_table(std::span<const RegionFrame> frames,
                                          std::span<const std::optional<LossAnalysis>> analyses, BalanceLevel level,
                                          Period month, const LossThresholds& thresholds,
                                          double purchase_price_per_kwh) {
    const auto rows = loss_table(frames, analyses, level, month, purchase_price_per_kwh);
    if (rows.empty()) return {};
    return loss_unit_table(rows, loss_table(frames, analyses, level, month - 1, purchase_price_per_kwh),
                           loss_table(frames, analyses, level, month - 12, purchase_price_per_kwh), thresholds,
                           purchase_price_per_kwh);
}

nlohmann::json loss_table_json(const std::vector<LossTableRow>& rows, bool unit_rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
        nlohmann::json row = unit_rows ? nlohmann::json{{"unit", r.unit_id},
                                                         {"nodes", r.nodes},
                                                         {"nodes_not_computable", r.nodes_not_computable}}
                                       : nlohmann::json{{"node", r.node_id}, {"name", r.node_name}, {"unit", r.unit_id}};
        row.update(nlohmann::json{{"level", r.level},
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
        out.push_back(std::move(row));
    }
    return out;
}

std::string loss_table_text(const std::vector<LossTableRow>& rows, bool unit_rows) {
    const auto cell = [](double x, const char* format) {
        return std::isfinite(x) ? fmt::format(fmt::runtime(format), x) : std::string("-");
    };
    std::string out = fmt::format("{:<12} {:<8} {:>14} {:>14} {:>12} {:>8} {:>8} {:>8} {:>9} {:<15} {:>9} {:>12}\n",
                                  unit_rows ? "unit" : "node", "month", "supply kWh", "sales kWh", "loss kWh", "rate %", "MoM pt", "YoY pt",
                                  "coverage", "class", "CNY/kWh", "margin CNY");
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
                                  "kWh billed", "revenue CNY", "CNY/kWh");
    for (const auto& r : rows)
        out += fmt::format("{:<18} {:>8} {:>14.0f} {:>14.2f} {:>10.4f}\n", r.category, r.bills, r.billed_kwh, r.revenue,
                           r.average_price);
    return out;
}

}  // namespace gridaudit
