// Every customer of an area ranked as a theft suspect (docs/suspects.md). Two kinds of evidence:
// the balance (its usage deficit, the gap between what it metered and what it would have drawn
// at its own day-type level moved by its peer group's factor of the day, correlated with the
// area's excess loss, daily and at interval resolution where the area meter and the customer
// both have intervals) and its own days (each day's level against its usual level, and the shape
// of its interval days against its usual profile: zero windows, flattened days, plateaus,
// reversed days, shape mismatch, a night drop; analysis/suspect_day_shape.hpp). The score adds
// the correlations above chance and the square root of the days' evidence; the reason is the
// signal with the most evidence.
// Thread safety: pure function over its input.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "analysis/loss_analysis.hpp"
#include "analysis/meter_event_indicators.hpp"
#include "analysis/suspect_day_shape.hpp"

namespace gridaudit {

struct SuspectCustomerSeries {
    std::span<const double> daily;      // days values, metered kWh (NaN missing)
    std::span<const double> intervals;  // days x intervals_per_day, empty when the meter has none
    std::uint8_t group = 0;             // peer group (e.g. the customer category): peers move together
    // Weighted count of its meters' tamper-indicating events in the window and the 30 days before
    // it (analysis/meter_event_indicators.hpp); 0 without events.
    double tamper_score = 0;
};

struct SuspectAreaInput {
    std::int32_t days = 0;
    std::int32_t intervals_per_day = 0;        // 0 when nothing has intervals
    std::span<const double> supply_daily;      // area meter kWh per day (NaN missing)
    std::span<const double> supply_intervals;  // days x intervals_per_day, empty when the area meter has none
    std::span<const std::uint8_t> day_type;    // per day: 0 working day, 1 weekend or holiday
    std::vector<SuspectCustomerSeries> customers;
};

struct SuspectScore {
    std::uint32_t customer = 0;       // index into SuspectAreaInput::customers
    double score = 0;                 // 0 and up, higher is more suspect
    double daily_correlation = 0;     // deficit vs excess loss, days (NaN when too few days)
    double interval_correlation = 0;  // deficit vs excess loss, intervals (NaN without intervals)
    double loss_share = 0;            // part of the excess loss's variation its deficit accounts for
    std::int32_t first_day = -1;      // first day of a significant deficit on a day of excess loss, -1 none
    double unmetered_kwh = 0;         // sum of its significant daily deficits
    std::int32_t deficit_days = 0;    // days counted in unmetered_kwh
    // Its own days against its own usual day and the area's spread (docs/suspects.md): per
    // signal, the sum over days of how far the day's z value exceeds suspect_day_threshold;
    // loss_correlation's entry is the daily correlation's Fisher z when positive.
    std::array<double, suspect_signal_count> evidence{};
    double shape_evidence = 0;             // per day the strongest signal's excess over the threshold, summed
    std::int32_t anomalous_days = 0;       // days whose strongest signal exceeds the threshold
    std::int32_t first_anomalous_day = -1; // the first of them, -1 none
    double anomaly_loss_correlation = 0;   // the days' strongest signal vs the excess loss (NaN when undefined)
    SuspectSignal reason = SuspectSignal::loss_correlation;  // the signal with the most evidence
    double mean_daily_kwh = 0;             // its mean metered kWh per day with a value (NaN when none)
    bool has_intervals = false;            // its interval readings were used
    // With a learned model (analysis/suspect_model.hpp, apply_suspect_model): the ranking's own
    // score above kept as ranking_score, the model's margin (log-odds of theft) and each feature's
    // contribution to it (XGBoost's, the bias last; they sum to the margin); score is then the
    // combined score. Without: ranking_score == score, model_margin NaN, contributions empty.
    double ranking_score = 0;
    double model_margin = std::numeric_limits<double>::quiet_NaN();
    std::vector<float> contributions;
};

// A day's signal counts as evidence above this z value.
inline constexpr double suspect_day_threshold = 2.5;

// One score per customer, most suspect first (ties by customer index).
// REQUIRES: supply_daily and day_type have `days` values, each customer's daily too; interval
// spans empty or days x intervals_per_day.
[[nodiscard]] std::vector<SuspectScore> rank_suspects(const SuspectAreaInput& input);

// What one customer's tamper events add to its score: nothing up to one event of weight 1 (a
// spurious alarm), then 2 x sqrt(score - 1).
[[nodiscard]] double tamper_event_term(double tamper_score);

// The customers of `node` in a region's loss analysis ranked over days [first, last) of its
// window; `customer` in each score is the frame's CustomerIndex. Day type: Saturday and Sunday
// are weekends (holidays are left to the peer factor). With `frame` (the region the analysis was
// made from), each customer's category is its peer group, and the frame's 15-minute intervals
// (times the meter's multiplier) are used where they cover the days, and the tamper-indicating
// events of its meters from 30 days before the window to its end are weighed: the node's one gateway
// meter as the area meter's, each customer's one meter as its own (a day with a missing interval
// is left out of the interval signals). Empty when the node has no customers or fewer than 7
// days are asked for.
// `intervals_used`, when given, says what of the intervals the ranking used.
// REQUIRES: node < analysis.graph().size(), 0 <= first <= last <= analysis.days.
struct SuspectIntervalsUsed {
    bool area_meter = false;       // the area meter's intervals
    std::size_t customers = 0;     // customers whose own intervals were used
};
[[nodiscard]] std::vector<SuspectScore> rank_node_suspects(const LossAnalysis& analysis, std::size_t node,
                                                           std::int32_t first, std::int32_t last,
                                                           const RegionFrame* frame = nullptr,
                                                           SuspectIntervalsUsed* intervals_used = nullptr);

}  // namespace gridaudit
