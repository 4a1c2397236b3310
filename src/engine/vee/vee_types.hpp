// Vocabulary of validation, estimation and editing (VEE): value quality, the checks, their
// exceptions and the settings every check reads its thresholds from.
//
// A VEE exception records one failed check with the values involved; raw data is never modified.
// Thread safety: plain data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gridaudit {

// Quality of a derived or validated value; a higher value is worse when values are combined.
enum class ValueQuality : std::uint8_t { actual = 0, edited = 1, estimated = 2, missing = 3 };

[[nodiscard]] std::string_view value_quality_name(ValueQuality quality);

// How an estimate was made (none: the value is not an estimate made by VEE).
enum class EstimateMethod : std::uint8_t { none = 0, interpolation, register_spread, like_day };
[[nodiscard]] std::string_view estimate_method_name(EstimateMethod method);  // "interpolation", ...
[[nodiscard]] std::optional<EstimateMethod> parse_estimate_method(std::string_view name);
[[nodiscard]] inline ValueQuality worse(ValueQuality a, ValueQuality b) { return a > b ? a : b; }

enum class VeeCheck : std::uint8_t {
    gap,                         // a run of missing values
    duplicate,                   // two values for the same interval
    register_decrease,           // a register going backwards (not a rollover)
    spike_neighbours,            // a value far above its neighbours
    spike_history,               // a value far above the same interval on other days
    zero_consumption,            // a run of zero days on an active meter
    negative_consumption,        // a negative interval value
    high_usage,                  // a day far above the meter's average daily usage
    low_usage,                   // a day far below it
    register_interval_mismatch,  // register advance of a day differs from the sum of its intervals
    inactive_consumption,        // energy on a removed or inactive meter
    prolonged_estimation,        // a long run of values the meter itself flagged estimated
    clock_problem,               // interval timestamps off the grid or clock-adjusted
};
inline constexpr std::size_t vee_check_count = 13;

[[nodiscard]] std::string_view vee_check_name(VeeCheck check);
[[nodiscard]] std::optional<VeeCheck> parse_vee_check(std::string_view name);

// One failed check. `index` is the position of the first value involved in the meter's series
// (day * values_per_day + interval); `count` how many values the exception covers.
struct VeeException {
    VeeCheck check = VeeCheck::gap;
    std::uint32_t meter = 0;  // caller's meter index
    std::int32_t index = 0;
    std::int32_t count = 1;
    double value = 0;      // the offending value (sum, delta, run length...)
    double reference = 0;  // what it was compared with (neighbour mean, average, register delta...)
};

// Thresholds of every check and the estimation method limits (gridaudit.toml `[vee]`).
struct VeeSettings {
    std::array<bool, vee_check_count> enabled = [] {
        std::array<bool, vee_check_count> all{};
        all.fill(true);
        return all;
    }();
    double spike_neighbour_factor = 8.0;   // value > factor x mean of the two neighbours
    double spike_history_factor = 6.0;     // value > factor x mean of the same interval on other days
    double spike_min_value = 0.5;          // values below this (register units) are never spikes
    int zero_consumption_days = 3;         // zero days in a row on an active meter
    double high_usage_factor = 4.0;        // day > factor x average daily usage
    double low_usage_factor = 0.05;        // day < factor x average daily usage (and average > min)
    double usage_min_average = 1.0;        // below this average, high/low usage is not judged
    double register_tolerance = 0.02;      // |register delta - interval sum| allowed, absolute ...
    double register_tolerance_fraction = 0.01;  // ... plus this fraction of the delta
    int prolonged_estimation_values = 8;   // estimated-flagged values in a row
    int max_interpolation_values = 4;      // gaps up to this length are interpolated linearly
    int like_days = 3;                     // same day-type days averaged for longer gaps
    int like_day_search_days = 35;         // how far to look for them, each side
    int register_digits = 6;               // integer digits of a register (rollover at 10^digits)
    double rollover_max_fraction = 0.1;    // a decrease is a rollover when the wrapped advance is below this x 10^digits

    [[nodiscard]] bool on(VeeCheck check) const { return enabled[static_cast<std::size_t>(check)]; }
};

}  // namespace gridaudit
