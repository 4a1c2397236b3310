// A region frame turned into the energy-balance kernel's input, and the balance of every node.
//
// Usage derivation (a first cut until the VEE layer's lands here): a meter's usage on day d is
// (value(d) - value(d - 1)) x multiplier, registers being frozen at the end of the day; a run of
// missing values between two actual reads shares the known advance evenly (counted as estimated,
// which lowers coverage); days before installation or after removal are 0 (nothing connected
// through that meter); anything else missing stays a hole (NaN), as is day 0 (no previous value).
// A customer's usage is the sum of its meters (old and new around a meter change); PV export is
// kept apart as energy fed in. Thread safety: immutable once built.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/balance/culprit_ranking.hpp"
#include "engine/balance/energy_balance.hpp"
#include "frame/region_frame.hpp"

namespace gridaudit {

struct LossAnalysis {
    CivilDate first_day;
    std::int32_t days = 0;
    BalanceGraph graph;                           // nodes in RegionFrame order
    std::vector<std::uint32_t> customer_of_row;   // CustomerIndex of each customer usage row
    std::vector<float> customer_usage;            // rows x days, node order (customers of a node adjacent)
    std::vector<float> gateway_usage;             // gateway rows x days
    std::vector<std::uint32_t> gateway_meter;     // MeterIndex of each gateway row
    std::vector<double> fed_in;                   // nodes x days
    std::vector<std::uint32_t> estimated_count;   // nodes x days
    BalanceResult balance;

    [[nodiscard]] UsageMatrix customers() const { return {customer_usage.data(), customer_of_row.size(), days}; }
    [[nodiscard]] UsageMatrix gateways() const { return {gateway_usage.data(), gateway_meter.size(), days}; }
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

// REQUIRES: frame.has_daily(). Returns nullopt when the frame has no daily series.
[[nodiscard]] std::optional<LossAnalysis> analyse_loss(const RegionFrame& frame, const LossThresholds& thresholds);

[[nodiscard]] BalanceLevel balance_level(NodeKind kind);

}  // namespace gridaudit
