// Validation and estimation of one meter's series: interval values (96 a day at 15 minutes) or
// daily usage (1 a day), laid out day-major.
//
// Validation runs every enabled check of VeeSettings and appends one VeeException per failure;
// the raw values are never modified. Estimation fills the missing values into a separate array
// beside the raw ones: linear interpolation for gaps up to max_interpolation_values, the flat
// spread of the day's register delta minus its interval sum when the registers bracket the gap,
// otherwise the mean of the `like_days` nearest days of the same day type whose value there is
// actual (not estimated by the meter, not in an outage). Actual values are never estimated over,
// so an estimate disappears as soon as the actual value arrives and the series is run again.
//
// Thread safety: a SeriesWorkspace belongs to one thread; the function is otherwise stateless.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/vee/vee_types.hpp"

namespace gridaudit {

struct SeriesView {
    std::span<const double> values;         // days x values_per_day, NaN when missing
    std::span<const std::uint8_t> flags;    // IntervalFlag bits per value (model/rows.hpp), or empty
    std::int32_t values_per_day = 96;
    std::span<const double> register_delta;  // per day: register advance (same units), NaN unknown; or empty
    std::span<const std::uint8_t> active;    // per day: 1 when the meter should register energy; empty: all
    std::span<const std::uint8_t> day_type;  // per day: e.g. 0 workday, 1 rest day; empty: all alike
};

struct SeriesOutput {
    std::span<double> estimate;       // same size as values: the estimate, NaN where none was made
    std::span<ValueQuality> quality;  // actual, estimated (by the meter or here) or missing
    std::span<EstimateMethod> method;  // same size as values, or empty: how each estimate was made
};

struct VeeCounts {
    std::uint64_t values = 0;
    std::uint64_t missing = 0;         // raw values missing
    std::uint64_t interpolated = 0;
    std::uint64_t register_spread = 0;
    std::uint64_t like_day = 0;
    std::uint64_t unestimated = 0;     // missing and left missing (no method applied)
    std::array<std::uint64_t, vee_check_count> exceptions{};

    void add(const VeeCounts& other);
};

// Scratch memory reused across meters.
struct SeriesWorkspace {
    std::vector<double> slot_sum;
    std::vector<double> slot_threshold;
    std::vector<std::uint32_t> slot_count;
    std::vector<double> day_sum;
    std::vector<std::int32_t> day_missing;
    std::vector<std::uint8_t> day_estimated;
};

// REQUIRES: values.size() is a multiple of values_per_day; per-day spans are empty or hold one
// entry per day; flags is empty or the size of values; output spans are the size of values.
void validate_and_estimate(const SeriesView& series, const VeeSettings& settings, std::uint32_t meter,
                           const SeriesOutput& output, SeriesWorkspace& workspace,
                           std::vector<VeeException>& exceptions, VeeCounts& counts);

// Duplicates and clock problems of raw interval timestamps (unix seconds) of one meter, sorted
// ascending: equal starts are duplicates, starts off the `minutes` grid are clock problems.
void check_interval_timestamps(std::span<const std::int64_t> starts, int minutes, const VeeSettings& settings,
                               std::uint32_t meter, std::vector<VeeException>& exceptions, VeeCounts& counts);

}  // namespace gridaudit
