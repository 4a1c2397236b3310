// Builds the balance kernel's input from a RegionFrame and runs it (see loss_analysis.hpp).
#include "analysis/loss_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include "analysis/meter_usage.hpp"

namespace gridaudit {
namespace {

// Daily usage of one of the meter's registers (x multiplier) into out[0..days) by the analyses'
// one derivation (meter_usage.hpp, a meter installed inside the window starting from 0) over the
// days the meter was installed; before installation and after removal it contributes 0.
// estimated[d] is set for shared gaps.
void derive_usage(const RegionFrame& frame, std::size_t meter, const std::vector<double>& registers, float* out,
                  std::vector<std::uint8_t>& estimated) {
    const std::int32_t days = frame.daily.day_count;
    const InstalledDays installed = installed_days(frame, meter, 0, days);
    for (std::int32_t d = 0; d < days; ++d) {
        estimated[static_cast<std::size_t>(d)] = 0;
        if (d < installed.begin || d >= installed.end) out[d] = 0.0f;
    }
    if (installed.empty()) return;
    thread_local std::vector<VeeException> exceptions;  // what VEE reports; the balance needs none
    exceptions.clear();
    const DailyUsage usage = meter_daily_usage(frame, meter, registers, installed, UsageStart::zero_at_installation,
                                               VeeSettings{}, exceptions);
    for (std::int32_t d = installed.begin; d < installed.end; ++d) {
        const auto i = static_cast<std::size_t>(d - installed.begin);
        out[d] = static_cast<float>(usage.kwh[i]);
        estimated[static_cast<std::size_t>(d)] = usage.quality[i] == ValueQuality::estimated;
    }
}

}  // namespace

BalanceLevel balance_level(NodeKind kind) {
    switch (kind) {
        case NodeKind::substation: return BalanceLevel::substation;
        case NodeKind::bus: return BalanceLevel::bus;
        case NodeKind::feeder: return BalanceLevel::feeder;
        case NodeKind::area: return BalanceLevel::area;
    }
    return BalanceLevel::area;
}

std::optional<std::int32_t> LossAnalysis::month_column(std::optional<Period> period) const {
    const auto& months = balance.month_index;
    if (months.empty()) return std::nullopt;
    if (!period) return static_cast<std::int32_t>(months.size() - 1);
    for (std::size_t m = 0; m < months.size(); ++m)
        if (months[m] == period->index()) return static_cast<std::int32_t>(m);
    return std::nullopt;
}

namespace {

std::shared_ptr<const LossSeries> derive_series(const RegionFrame& frame) {
    auto series = std::make_shared<LossSeries>();
    LossSeries& a = *series;
    a.first_day = frame.daily.first_day;
    a.days = frame.daily.day_count;
    const auto days = static_cast<std::size_t>(a.days);
    const std::size_t nodes = frame.network.size();

    // Graph and customer rows grouped by node (a counting sort; stable, so frame order within a node).
    a.graph.parent.resize(nodes);
    a.graph.level.resize(nodes);
    a.graph.gateway_row.assign(nodes, -1);
    a.graph.customer_offset.assign(nodes + 1, 0);
    for (std::size_t n = 0; n < nodes; ++n) {
        const NodeIndex parent = frame.network.parent[n];
        a.graph.parent[n] = parent.valid() ? static_cast<std::int32_t>(parent.value()) : -1;
        a.graph.level[n] = balance_level(frame.network.kind[n]);
    }
    const std::size_t customers = frame.customers.size();
    for (std::size_t c = 0; c < customers; ++c) ++a.graph.customer_offset[frame.customers.node[c].value() + 1];
    for (std::size_t n = 0; n < nodes; ++n) a.graph.customer_offset[n + 1] += a.graph.customer_offset[n];
    std::vector<std::uint32_t> row_of_customer(customers);
    a.customer_of_row.resize(customers);
    {
        std::vector<std::uint32_t> next(a.graph.customer_offset.begin(), a.graph.customer_offset.end() - 1);
        for (std::size_t c = 0; c < customers; ++c) {
            const std::uint32_t row = next[frame.customers.node[c].value()]++;
            row_of_customer[c] = row;
            a.customer_of_row[row] = static_cast<std::uint32_t>(c);
        }
    }

    a.customer_usage.assign(customers * days, 0.0f);
    a.fed_in.assign(nodes * days, 0.0);
    a.estimated_count.assign(nodes * days, 0);
    std::vector<float> usage(days), exported(days);
    std::vector<std::uint8_t> estimated(days), export_estimated(days);
    std::vector<std::uint8_t> customer_estimated(customers * days, 0);
    const MeterColumns& meters = frame.meters;
    for (std::size_t m = 0; m < meters.size(); ++m) {
        derive_usage(frame, m, frame.daily.import_register, usage.data(), estimated);
        derive_usage(frame, m, frame.daily.export_register, exported.data(), export_estimated);
        if (meters.is_gateway[m]) {
            const std::size_t node = meters.node[m].value();
            if (a.graph.gateway_row[node] >= 0) continue;  // one gateway per node
            a.graph.gateway_row[node] = static_cast<std::int32_t>(a.gateway_meter.size());
            a.gateway_meter.push_back(static_cast<std::uint32_t>(m));
            for (std::size_t d = 0; d < days; ++d)
                a.gateway_usage.push_back(usage[d] - (std::isnan(exported[d]) ? 0.0f : exported[d]));
            continue;
        }
        const std::size_t c = meters.customer[m].value();
        float* row = a.customer_usage.data() + row_of_customer[c] * days;
        const std::size_t node = frame.customers.node[c].value();
        for (std::size_t d = 0; d < days; ++d) {
            // The export register is absent for most meters: a missing export is no export.
            const float e = std::isnan(exported[d]) ? 0.0f : exported[d];
            row[d] += usage[d] - e;
            a.fed_in[node * days + d] += e;
            customer_estimated[c * days + d] |= estimated[d];
        }
    }
    for (std::size_t c = 0; c < customers; ++c) {
        const std::size_t node = frame.customers.node[c].value();
        for (std::size_t d = 0; d < days; ++d) a.estimated_count[node * days + d] += customer_estimated[c * days + d];
    }
    return series;
}

LossAnalysis balance_series(std::shared_ptr<const LossSeries> series, const LossThresholds& thresholds) {
    LossAnalysis a;
    a.series = std::move(series);
    a.first_day = a.series->first_day;
    a.days = a.series->days;
    BalanceInput input;
    input.graph = &a.graph();
    input.customers = a.customers();
    input.gateways = a.gateways();
    input.fed_in = a.series->fed_in;
    input.estimated_count = a.series->estimated_count;
    input.first_day = a.first_day.days_since_epoch();
    input.threads = 1;  // regions already run in parallel
    compute_balance(input, thresholds, a.balance);
    return a;
}

bool same_thresholds(const LossThresholds& a, const LossThresholds& b) {
    return a.high_rate == b.high_rate && a.very_high_rate == b.very_high_rate && a.negative_rate == b.negative_rate &&
           a.min_coverage == b.min_coverage && a.min_month_days_share == b.min_month_days_share;
}

}  // namespace

std::optional<LossAnalysis> analyse_loss(const RegionFrame& frame, const LossThresholds& thresholds) {
    if (!frame.has_daily()) return std::nullopt;
    return balance_series(derive_series(frame), thresholds);
}

namespace {

// The key of a balance: the thresholds compared field by field.
struct ThresholdsKey {
    LossThresholds thresholds;
    friend bool operator==(const ThresholdsKey& a, const ThresholdsKey& b) {
        return same_thresholds(a.thresholds, b.thresholds);
    }
};

}  // namespace

std::shared_ptr<const LossAnalysis> loss_analysis(RegionAnalyses& analyses, const LossThresholds& thresholds) {
    const RegionFrame& frame = analyses.frame();
    if (!frame.has_daily()) return nullptr;
    return analyses.get<LossAnalysis>(ThresholdsKey{thresholds}, [&] {
        const auto series = analyses.get<LossSeries>(WholeRegion{}, [&] { return derive_series(frame); });
        return std::make_shared<const LossAnalysis>(balance_series(series, thresholds));
    });
}

std::shared_ptr<const LossAnalysis> shared_loss_analysis(RegionAnalyses* analyses, const RegionFrame& frame,
                                                         const LossThresholds& thresholds) {
    if (analyses && &analyses->frame() == &frame) return loss_analysis(*analyses, thresholds);
    auto analysis = analyse_loss(frame, thresholds);
    return analysis ? std::make_shared<const LossAnalysis>(std::move(*analysis)) : nullptr;
}

}  // namespace gridaudit
