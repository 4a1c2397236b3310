// A region frame turned into the energy-balance kernel's input, and the balance of every node.
//
// Usage derivation (a first cut until the VEE layer's lands here): a meter's usage on day d is
// (value(d) - value(d - 1)) x multiplier, registers being frozen at the end of the day; a run of
// missing values between two actual reads shares the known advance evenly (counted as estimated,
// which lowers coverage); days before installation or after removal are 0 (nothing connected
// through that meter); anything else missing stays a hole (NaN), as is day 0 (no previous value).
// A customer's usage is the sum of its meters (old and new around a meter change); PV export is
// kept apart as energy fed in. Thread safety: immutable once built; shared_loss_analysis is
// safe to call from any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

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

// The same, computed once per frame content and thresholds and shared by the LOSS rules of an
// audit (each rule evaluates every region; without this each would derive the series and the
// balance again). The memo is keyed by the frame's address and a 64-bit fingerprint of
// everything the derivation reads (registers, meters, customer nodes, network), so a different
// frame at a reused address is never served a stale analysis. An entry is dropped once every
// LOSS rule (`rule_id`) has taken it, and the memo keeps at most a few entries otherwise (least
// recently used go first). Thread safety: any number of threads; nullptr when the frame has no
// daily series.
[[nodiscard]] std::shared_ptr<const LossAnalysis> shared_loss_analysis(const RegionFrame& frame,
                                                                       const LossThresholds& thresholds,
                                                                       std::string_view rule_id);

[[nodiscard]] BalanceLevel balance_level(NodeKind kind);

}  // namespace gridaudit
