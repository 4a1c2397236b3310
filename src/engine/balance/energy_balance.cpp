// Daily and monthly energy balance of every node (see energy_balance.hpp).
#include "engine/balance/energy_balance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "core/time.hpp"

namespace gridaudit {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

// Adds the customer rows [begin, end) into acc[0..days); returns true when a hole (NaN) was met.
// Eight rows are added in float first (relative error ~1e-7), then once into the double total,
// so the accumulator is loaded and stored once per eight rows. Compiled for AVX2 and baseline.
__attribute__((target_clones("avx2", "default"))) bool sum_rows(const UsageMatrix& matrix, std::uint32_t begin,
                                                                 std::uint32_t end, double* acc) {
    const std::int32_t days = matrix.days;
    std::uint32_t r = begin;
    for (; r + 8 <= end; r += 8) {
        const float *x0 = matrix.row(r), *x1 = matrix.row(r + 1), *x2 = matrix.row(r + 2), *x3 = matrix.row(r + 3);
        const float *x4 = matrix.row(r + 4), *x5 = matrix.row(r + 5), *x6 = matrix.row(r + 6), *x7 = matrix.row(r + 7);
        for (std::int32_t d = 0; d < days; ++d)
            acc[d] += static_cast<double>(((x0[d] + x1[d]) + (x2[d] + x3[d])) + ((x4[d] + x5[d]) + (x6[d] + x7[d])));
    }
    for (; r < end; ++r) {
        const float* x = matrix.row(r);
        for (std::int32_t d = 0; d < days; ++d) acc[d] += static_cast<double>(x[d]);
    }
    bool hole = false;
    for (std::int32_t d = 0; d < days; ++d) hole |= std::isnan(acc[d]);
    return hole;
}

// Children of every node in ascending node order (CSR), so a parent adds its children's supply
// in the same order as a pass over all nodes would.
struct ChildList {
    std::vector<std::uint32_t> offset, child;
};

ChildList child_list(const BalanceGraph& graph) {
    const std::size_t nodes = graph.size();
    ChildList list;
    list.offset.assign(nodes + 1, 0);
    for (std::size_t n = 0; n < nodes; ++n)
        if (graph.parent[n] >= 0) ++list.offset[static_cast<std::size_t>(graph.parent[n]) + 1];
    for (std::size_t n = 0; n < nodes; ++n) list.offset[n + 1] += list.offset[n];
    list.child.resize(list.offset[nodes]);
    std::vector<std::uint32_t> next(list.offset.begin(), list.offset.end() - 1);
    for (std::size_t n = 0; n < nodes; ++n)
        if (graph.parent[n] >= 0) list.child[next[static_cast<std::size_t>(graph.parent[n])]++] = static_cast<std::uint32_t>(n);
    return list;
}

struct MonthLayout {
    const std::vector<std::int32_t>& first_column;
    const std::vector<std::int32_t>& day_count;
};

// Everything about nodes [first, last), one node at a time while its rows are in cache: the
// own-customer sum (the one pass over the big matrix), fed-in energy, the children's supply
// (read from the inputs, so no node waits for another), coverage, classes and the months.
// A node-day with a hole gets a NaN sum; only then are its holes counted into coverage.
void balance_nodes(const BalanceInput& input, const LossThresholds& thresholds, const ChildList& children,
                   const MonthLayout& months, std::size_t first, std::size_t last, BalanceResult& result) {
    const BalanceGraph& graph = *input.graph;
    const std::int32_t days = input.customers.days;
    const auto d_count = static_cast<std::size_t>(days);
    BalanceTable& daily = result.daily;
    BalanceTable& monthly = result.monthly;
    const bool has_fed_in = !input.fed_in.empty(), has_estimates = !input.estimated_count.empty();
    std::vector<std::uint32_t> holes;
    for (std::size_t n = first; n < last; ++n) {
        const std::size_t row = daily.at(n, 0);
        double* supply = daily.supply.data() + row;
        double* sales = daily.sales.data() + row;
        float* coverage = daily.coverage.data() + row;
        LossClass* loss_class = daily.loss_class.data() + row;

        // Own customers.
        std::fill_n(sales, d_count, 0.0);
        std::fill_n(coverage, d_count, 1.0f);
        const std::uint32_t begin = graph.customer_offset[n], end = graph.customer_offset[n + 1];
        if (sum_rows(input.customers, begin, end, sales)) {
            holes.assign(d_count, 0);
            for (std::uint32_t r = begin; r < end; ++r) {
                const float* x = input.customers.row(r);
                for (std::size_t d = 0; d < d_count; ++d) holes[d] += std::isnan(x[d]) ? 1u : 0u;
            }
            for (std::size_t d = 0; d < d_count; ++d)
                coverage[d] = static_cast<float>(end - begin - holes[d]) / static_cast<float>(end - begin);
        }

        // Supply: the gateway plus what the node's customers fed in (also part of the sales).
        if (graph.gateway_row[n] >= 0) {
            const float* g = input.gateways.row(static_cast<std::size_t>(graph.gateway_row[n]));
            for (std::size_t d = 0; d < d_count; ++d) supply[d] = static_cast<double>(g[d]);
        } else {
            std::fill_n(supply, d_count, nan_value);
        }
        if (has_fed_in) {
            const double* fed = input.fed_in.data() + row;
            for (std::size_t d = 0; d < d_count; ++d) supply[d] += fed[d], sales[d] += fed[d];
        }

        // Child nodes' supply is part of the node's sales.
        for (std::uint32_t k = children.offset[n]; k < children.offset[n + 1]; ++k) {
            const std::uint32_t c = children.child[k];
            if (graph.gateway_row[c] < 0) {
                std::fill_n(sales, d_count, nan_value);
                continue;
            }
            const float* g = input.gateways.row(static_cast<std::size_t>(graph.gateway_row[c]));
            if (has_fed_in) {
                const double* fed = input.fed_in.data() + daily.at(c, 0);
                for (std::size_t d = 0; d < d_count; ++d) sales[d] += static_cast<double>(g[d]) + fed[d];
            } else {
                for (std::size_t d = 0; d < d_count; ++d) sales[d] += static_cast<double>(g[d]);
            }
        }

        // Coverage and class per day.
        const std::uint32_t customers = end - begin;
        const std::uint32_t* estimated = has_estimates ? input.estimated_count.data() + row : nullptr;
        for (std::size_t d = 0; d < d_count; ++d) {
            if (customers > 0 && estimated)
                coverage[d] -= static_cast<float>(std::min(customers, estimated[d])) / static_cast<float>(customers);
            const bool computable = !std::isnan(supply[d]) && !std::isnan(sales[d]) && coverage[d] >= thresholds.min_coverage;
            if (!computable) {
                sales[d] = nan_value;
                loss_class[d] = LossClass::not_computable;
                continue;
            }
            loss_class[d] = classify_loss_rate((supply[d] - sales[d]) / supply[d], thresholds);
        }

        // Months: add up the computable days.
        for (std::size_t m = 0; m < months.first_column.size(); ++m) {
            double month_supply = 0, month_sales = 0, month_coverage = 0;
            std::int32_t computable = 0;
            const std::int32_t from = months.first_column[m], count = months.day_count[m];
            for (std::int32_t d = from; d < from + count; ++d) {
                month_coverage += coverage[d];
                if (loss_class[d] == LossClass::not_computable) continue;
                month_supply += supply[d];
                month_sales += sales[d];
                ++computable;
            }
            const std::size_t i = monthly.at(n, static_cast<std::int32_t>(m));
            monthly.coverage[i] = static_cast<float>(month_coverage / count);
            if (computable == 0 || computable < thresholds.min_month_days_share * count) {
                monthly.supply[i] = nan_value;
                monthly.sales[i] = nan_value;
                monthly.loss_class[i] = LossClass::not_computable;
                continue;
            }
            monthly.supply[i] = month_supply;
            monthly.sales[i] = month_sales;
            monthly.loss_class[i] = classify_loss_rate((month_supply - month_sales) / month_supply, thresholds);
        }
    }
}

}  // namespace

std::string_view balance_level_name(BalanceLevel level) {
    switch (level) {
        case BalanceLevel::substation: return "substation";
        case BalanceLevel::bus: return "bus";
        case BalanceLevel::feeder: return "feeder";
        case BalanceLevel::area: return "area";
    }
    return "?";
}

std::string_view loss_class_name(LossClass loss_class) {
    switch (loss_class) {
        case LossClass::qualified: return "qualified";
        case LossClass::high: return "high";
        case LossClass::very_high: return "very_high";
        case LossClass::negative: return "negative";
        case LossClass::not_computable: return "not_computable";
    }
    return "?";
}

LossClass classify_loss_rate(double rate, const LossThresholds& thresholds) {
    if (!std::isfinite(rate)) return LossClass::not_computable;
    if (rate < thresholds.negative_rate) return LossClass::negative;
    if (rate > thresholds.very_high_rate) return LossClass::very_high;
    if (rate > thresholds.high_rate) return LossClass::high;
    return LossClass::qualified;
}

BalanceResult compute_balance(const BalanceInput& input, const LossThresholds& thresholds) {
    BalanceResult result;
    compute_balance(input, thresholds, result);
    return result;
}

void compute_balance(const BalanceInput& input, const LossThresholds& thresholds, BalanceResult& result) {
    const BalanceGraph& graph = *input.graph;
    const std::size_t nodes = graph.size();
    const std::int32_t days = input.customers.days;
    const std::size_t cells = nodes * static_cast<std::size_t>(days);

    // Shapes first (every cell is written below, so resizing does not need to fill).
    const CivilDate first = CivilDate::from_days(input.first_day);
    result.month_index.clear();
    result.month_first_column.clear();
    result.month_day_count.clear();
    for (std::int32_t d = 0; d < days;) {
        const Period month = Period::of(first + d);
        const std::int32_t end = std::min(days, month.last_day() - first + 1);
        result.month_index.push_back(month.index());
        result.month_first_column.push_back(d);
        result.month_day_count.push_back(end - d);
        d = end;
    }
    const auto months = static_cast<std::int32_t>(result.month_index.size());
    const std::size_t month_cells = nodes * static_cast<std::size_t>(months);
    BalanceTable& daily = result.daily;
    daily.nodes = nodes;
    daily.columns = days;
    daily.supply.resize(cells);
    daily.sales.resize(cells);
    daily.coverage.resize(cells);
    daily.loss_class.resize(cells);
    BalanceTable& monthly = result.monthly;
    monthly.nodes = nodes;
    monthly.columns = months;
    monthly.supply.resize(month_cells);
    monthly.sales.resize(month_cells);
    monthly.coverage.resize(month_cells);
    monthly.loss_class.resize(month_cells);

    const ChildList children = child_list(graph);
    const MonthLayout layout{result.month_first_column, result.month_day_count};

    // Nodes are independent: split them over threads by customer count (the big matrix is the work).
    const int threads = std::max(1, input.threads);
    if (threads == 1 || nodes < 2) {
        balance_nodes(input, thresholds, children, layout, 0, nodes, result);
        return;
    }
    const std::uint32_t total = graph.customer_offset[nodes];
    std::vector<std::size_t> bounds{0};
    for (int t = 1; t < threads; ++t) {
        const auto target = static_cast<std::uint32_t>(static_cast<std::uint64_t>(total) * t / threads);
        const auto it = std::lower_bound(graph.customer_offset.begin(), graph.customer_offset.end() - 1, target);
        bounds.push_back(std::max(bounds.back(), static_cast<std::size_t>(it - graph.customer_offset.begin())));
    }
    bounds.push_back(nodes);
    std::vector<std::jthread> workers;
    for (int t = 1; t + 1 < static_cast<int>(bounds.size()); ++t)
        workers.emplace_back([&, t] { balance_nodes(input, thresholds, children, layout, bounds[t], bounds[t + 1], result); });
    balance_nodes(input, thresholds, children, layout, bounds[0], bounds[1], result);
}

}  // namespace gridaudit
