// A region frame turned into the energy-balance kernel's input, and the balance of every node.
//
// Usage derivation: the analyses' one (analysis/meter_usage.hpp, by the VEE layer's rules): a meter's usage on day d is
// (value(d) - value(d - 1)) x multiplier, registers being frozen at the end of the day, a rollover
// past the register's digits counted as one; a run of missing values between two actual reads
// shares the known advance evenly (counted as estimated, which lowers coverage); a register that
// went backwards leaves the day missing; days before installation or after removal are 0 (nothing
// connected through that meter), and a meter installed inside the window starts from 0; anything
// else missing stays a hole (NaN), as is day 0 (no previous value).
// A customer's usage is the sum of its meters (old and new around a meter change); PV export is
// kept apart as energy fed in. Thread safety: an analysis is immutable once built; loss_analysis
// shares one between the users of a region (analysis/region_analyses.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "analysis/region_analyses.hpp"
#include "engine/balance/culprit_ranking.hpp"
#include "engine/balance/energy_balance.hpp"
#include "frame/region_frame.hpp"

namespace gridaudit {

// The derived daily series of a region: what the balance needs and the thresholds do not change.
struct LossSeries {
    CivilDate first_day;
    std::int32_t days = 0;
    BalanceGraph graph;                           // nodes in RegionFrame order
    std::vector<std::uint32_t> customer_of_row;   // CustomerIndex of each customer usage row
    std::vector<float> customer_usage;            // rows x days, node order (customers of a node adjacent)
    std::vector<float> gateway_usage;             // gateway rows x days
    std::vector<std::uint32_t> gateway_meter;     // MeterIndex of each gateway row
    std::vector<double> fed_in;                   // nodes x days
    std::vector<std::uint32_t> estimated_count;   // nodes x days
};

// The series and their balance under one set of thresholds. Copies share the series.
struct LossAnalysis {
    std::shared_ptr<const LossSeries> series;
    CivilDate first_day;
    std::int32_t days = 0;
    BalanceResult balance;

    [[nodiscard]] const BalanceGraph& graph() const { return series->graph; }
    [[nodiscard]] const std::vector<std::uint32_t>& customer_of_row() const { return series->customer_of_row; }
    [[nodiscard]] const std::vector<std::uint32_t>& gateway_meter() const { return series->gateway_meter; }
    [[nodiscard]] UsageMatrix customers() const {
        return {series->customer_usage.data(), series->customer_of_row.size(), days};
    }
    [[nodiscard]] UsageMatrix gateways() const { return {series->gateway_usage.data(), series->gateway_meter.size(), days}; }
    [[nodiscard]] std::span<const double> daily_supply(std::size_t node) const {
        return {balance.daily.supply.data() + balance.daily.at(node, 0), static_cast<std::size_t>(days)};
    }
    [[nodiscard]] std::span<const double> daily_sales(std::size_t node) const {
        return {balance.daily.sales.data() + balance.daily.at(node, 0), static_cast<std::size_t>(days)};
    }
    // The monthly column of `period`, or of the last month in the data when none is given;
    // nullopt when the data has no such month.
    [[nodiscard]] std::optional<std::int32_t> month_column(std::optional<Period> period) const;
};

// Derives the series and computes the balance, every call.
// REQUIRES: frame.has_daily(). Returns nullopt when the frame has no daily series.
[[nodiscard]] std::optional<LossAnalysis> analyse_loss(const RegionFrame& frame, const LossThresholds& thresholds);

// The region's analysis under `thresholds`, kept in `analyses`: the series derived once per
// region, the balance once per set of thresholds (areas and feeders default to different ones);
// nullptr when the frame has no daily series. Thread safety: as RegionAnalyses::get.
[[nodiscard]] std::shared_ptr<const LossAnalysis> loss_analysis(RegionAnalyses& analyses,
                                                                const LossThresholds& thresholds);

// The analysis a user of one region works on (a LOSS rule): from `analyses` when it is given and
// made for `frame`, computed afresh otherwise (a rule evaluated alone, as the tests and the rule
// cases do). nullptr when the frame has no daily series.
[[nodiscard]] std::shared_ptr<const LossAnalysis> shared_loss_analysis(RegionAnalyses* analyses,
                                                                       const RegionFrame& frame,
                                                                       const LossThresholds& thresholds);

[[nodiscard]] BalanceLevel balance_level(NodeKind kind);

}  // namespace gridaudit
