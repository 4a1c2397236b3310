// A region frame turned into the energy-balance kernel's input, and the balance of every node.
//
// Usage derivation: the VEE layer's (engine/vee/usage_derivation.hpp): a meter's usage on day d is
// (value(d) - value(d - 1)) x multiplier, registers being frozen at the end of the day, a rollover
// past the register's digits counted as one; a run of missing values between two actual reads
// shares the known advance evenly (counted as estimated, which lowers coverage); a register that
// went backwards leaves the day missing; days before installation or after removal are 0 (nothing
// connected through that meter), and a meter installed inside the window starts from 0; anything
// else missing stays a hole (NaN), as is day 0 (no previous value).
// A customer's usage is the sum of its meters (old and new around a meter change); PV export is
// kept apart as energy fed in. Thread safety: an analysis is immutable once built; see
// LossAnalysisCache for sharing one between the rules of a region.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/balance/culprit_ranking.hpp"
#include "engine/balance/energy_balance.hpp"
#include "frame/region_frame.hpp"
#include "rules/rule.hpp"

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

// The LOSS analyses of one region, shared by the LOSS rules evaluated on it: the series derived
// once, the balance once per set of thresholds (areas and feeders default to different ones).
// Whoever runs a region's rules makes one for the region, hands it to them in
// RuleContext::loss_cache and drops it once they have run (the audit runner, evaluate_rules);
// the rules neither own it nor know who does. A cache serves only the frame it was made for
// (shared_loss_analysis compares the context's frame with it), and that frame must stay alive and
// unchanged while the cache lives, which holds for the region being evaluated.
// Thread safety: any number of threads at once; each result is computed once, by the first
// thread asking for it, while the others asking for the same one wait (the computation runs no
// parallel work of its own, so a waiting thread never holds work the computing one needs).
class LossAnalysisCache {
public:
    explicit LossAnalysisCache(const RegionFrame& frame);
    ~LossAnalysisCache();
    LossAnalysisCache(const LossAnalysisCache&) = delete;
    LossAnalysisCache& operator=(const LossAnalysisCache&) = delete;

    [[nodiscard]] const RegionFrame& frame() const { return frame_; }
    // The analysis under `thresholds`, computed on the first request; nullptr when the frame has no
    // daily series.
    [[nodiscard]] std::shared_ptr<const LossAnalysis> analysis(const LossThresholds& thresholds);

private:
    struct Balance;
    const RegionFrame& frame_;
    std::mutex mutex_;  // guards balances_ (the list, not the results)
    std::once_flag series_once_;
    std::shared_ptr<const LossSeries> series_;        // set under series_once_
    std::vector<std::unique_ptr<Balance>> balances_;  // one per thresholds asked for
};

// The analysis a LOSS rule works on: from the context's cache when it has one made for the
// context's frame, computed afresh otherwise (a rule evaluated alone, as the tests and the rule
// cases do). nullptr when the frame has no daily series. Thread safety: as LossAnalysisCache.
[[nodiscard]] std::shared_ptr<const LossAnalysis> shared_loss_analysis(const RuleContext& context,
                                                                       const LossThresholds& thresholds);

[[nodiscard]] BalanceLevel balance_level(NodeKind kind);

}  // namespace gridaudit
