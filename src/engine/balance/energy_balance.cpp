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

// Own-customer sales of nodes [first, last). A node-day with a hole gets a NaN sum; only then are
// its holes counted, into `coverage` as the share of customers with a value.
void sum_customers(const BalanceInput& input, std::size_t first, std::size_t last, BalanceTable& daily) {
    const BalanceGraph& graph = *input.graph;
    const std::int32_t days = input.customers.days;
    std::vector<std::uint32_t> holes;
    for (std::size_t n = first; n < last; ++n) {
        double* acc = daily.sales.data() + daily.at(n, 0);
        const std::uint32_t begin = graph.customer_offset[n], end = graph.customer_offset[n + 1];
        if (!sum_rows(input.customers, begin, end, acc)) continue;
        holes.assign(static_cast<std::size_t>(days), 0);
        for (std::uint32_t r = begin; r < end; ++r) {
            const float* x = input.customers.row(r);
            for (std::int32_t d = 0; d < days; ++d) holes[static_cast<std::size_t>(d)] += std::isnan(x[d]) ? 1u : 0u;
        }
        for (std::int32_t d = 0; d < days; ++d)
            daily.coverage[daily.at(n, d)] =
                static_cast<float>(end - begin - holes[static_cast<std::size_t>(d)]) / static_cast<float>(end - begin);
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
    BalanceTable& daily = result.daily;
    daily.nodes = nodes;
    daily.columns = days;
    daily.supply.assign(cells, nan_value);
    daily.sales.assign(cells, 0.0);
    daily.coverage.assign(cells, 1.0f);
    daily.loss_class.assign(cells, LossClass::not_computable);

    // 1. Own customers: the one pass over the big matrix, split over threads by customer count.
    const int threads = std::max(1, input.threads);
    if (threads == 1 || nodes < 2) {
        sum_customers(input, 0, nodes, daily);
    } else {
        const std::uint32_t total = graph.customer_offset[nodes];
        std::vector<std::size_t> bounds{0};
        for (int t = 1; t < threads; ++t) {
            const auto target = static_cast<std::uint32_t>(static_cast<std::uint64_t>(total) * t / threads);
            const auto it = std::lower_bound(graph.customer_offset.begin(), graph.customer_offset.end() - 1, target);
            bounds.push_back(std::max(bounds.back(), static_cast<std::size_t>(it - graph.customer_offset.begin())));
        }
        bounds.push_back(nodes);
        std::vector<std::jthread> workers;
        for (int t = 0; t + 1 < static_cast<int>(bounds.size()); ++t)
            workers.emplace_back([&, t] { sum_customers(input, bounds[t], bounds[t + 1], daily); });
    }

    // 2. Supply: the gateway plus what the node's customers fed in.
    for (std::size_t n = 0; n < nodes; ++n) {
        if (graph.gateway_row[n] < 0) continue;
        const float* g = input.gateways.row(static_cast<std::size_t>(graph.gateway_row[n]));
        for (std::int32_t d = 0; d < days; ++d) daily.supply[daily.at(n, d)] = static_cast<double>(g[d]);
    }
    if (!input.fed_in.empty())
        for (std::size_t i = 0; i < cells; ++i) {
            daily.supply[i] += input.fed_in[i];
            daily.sales[i] += input.fed_in[i];
        }

    // 3. Child nodes' supply is part of the parent's sales.
    for (std::size_t n = 0; n < nodes; ++n) {
        const std::int32_t p = graph.parent[n];
        if (p < 0) continue;
        for (std::int32_t d = 0; d < days; ++d) daily.sales[daily.at(static_cast<std::size_t>(p), d)] += daily.supply[daily.at(n, d)];
    }

    // 4. Coverage and class per node-day. A hole left the own-customer sum NaN (and set coverage).
    for (std::size_t n = 0; n < nodes; ++n) {
        const std::uint32_t customers = graph.customer_offset[n + 1] - graph.customer_offset[n];
        for (std::int32_t d = 0; d < days; ++d) {
            const std::size_t i = daily.at(n, d);
            if (customers > 0 && !input.estimated_count.empty())
                daily.coverage[i] -= static_cast<float>(std::min(customers, input.estimated_count[i])) /
                                     static_cast<float>(customers);
            const bool computable = !std::isnan(daily.supply[i]) && !std::isnan(daily.sales[i]) &&
                                    daily.coverage[i] >= thresholds.min_coverage;
            if (!computable) {
                daily.sales[i] = nan_value;
                daily.loss_class[i] = LossClass::not_computable;
                continue;
            }
            daily.loss_class[i] = classify_loss_rate((daily.supply[i] - daily.sales[i]) / daily.supply[i], thresholds);
        }
    }

    // 5. Months: add up the computable days.
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
    BalanceTable& monthly = result.monthly;
    monthly.nodes = nodes;
    monthly.columns = months;
    monthly.supply.assign(nodes * static_cast<std::size_t>(months), nan_value);
    monthly.sales.assign(monthly.supply.size(), nan_value);
    monthly.coverage.assign(monthly.supply.size(), 0.0f);
    monthly.loss_class.assign(monthly.supply.size(), LossClass::not_computable);
    for (std::size_t n = 0; n < nodes; ++n)
        for (std::int32_t m = 0; m < months; ++m) {
            double supply = 0, sales = 0, coverage = 0;
            std::int32_t computable = 0;
            const std::int32_t begin = result.month_first_column[m], count = result.month_day_count[m];
            for (std::int32_t d = begin; d < begin + count; ++d) {
                const std::size_t i = daily.at(n, d);
                coverage += daily.coverage[i];
                if (daily.loss_class[i] == LossClass::not_computable) continue;
                supply += daily.supply[i];
                sales += daily.sales[i];
                ++computable;
            }
            const std::size_t i = monthly.at(n, m);
            monthly.coverage[i] = static_cast<float>(coverage / count);
            if (computable == 0 || computable < thresholds.min_month_days_share * count) continue;
            monthly.supply[i] = supply;
            monthly.sales[i] = sales;
            monthly.loss_class[i] = classify_loss_rate((supply - sales) / supply, thresholds);
        }
}

}  // namespace gridaudit
