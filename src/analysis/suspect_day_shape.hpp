// The shape of one customer's day of interval readings, as the theft-detection literature's
// attacks change it (Jokar, Arianpoo and Leung, IEEE Trans. Smart Grid 7(1), 2016: h1-h6): zero
// windows, a flattened day, a plateau at a ceiling, a day in reverse order, a shape unlike the
// customer's own, less energy at night. The suspect ranking (suspect_ranking.hpp) compares each
// day's statistics with the customer's own typical day and the area's spread (docs/suspects.md).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace gridaudit {

// The signals a suspect's reasons name, in the order they are reported.
enum class SuspectSignal : std::uint8_t {
    loss_correlation,  // its daily deficit follows the area's excess loss
    level_drop,        // days far below its own usual level (peers' day factor applied)
    zero_intervals,    // intervals read as zero inside a day with consumption
    flat_day,          // a day with (nearly) the same value in every interval
    plateau,           // several intervals exactly at the day's maximum (a ceiling)
    reversed_day,      // the day matches its own usual profile reversed better than the profile
    profile_mismatch,  // the day's shape far less like its own usual profile than usual
    night_drop,        // a much smaller share of the day's energy between 23:00 and 07:00
    tamper_events,     // meter events indicating tampering (analysis/meter_event_indicators.hpp)
};
inline constexpr int suspect_signal_count = 9;

// "loss-correlation", "level-drop", ... as printed in reasons.
[[nodiscard]] std::string_view suspect_signal_name(SuspectSignal signal);

struct DayShape {
    double energy = 0;             // sum of the day's intervals, kWh
    std::int32_t zero_count = 0;   // intervals at or below zero_reading_kwh
    double variation = 0;          // coefficient of variation over the day's intervals (NaN with no energy)
    std::int32_t ties_at_max = 0;  // intervals within 1e-9 relative of the day's largest value (the largest included)
    double profile_r = 0;          // Pearson r with the usual profile (NaN without spread)
    double reversed_r = 0;         // Pearson r with the usual profile reversed (NaN without spread)
    double night_share = 0;        // share of the day's energy between 23:00 and 07:00 (NaN with no energy)
};

// A reading at or below this is counted as zero (half of a 0.001 kWh register resolution).
inline constexpr double zero_reading_kwh = 0.0005;

// The statistics of one day. `profile` is the customer's usual profile (same length as `day`);
// intervals are local time from 00:00.
// REQUIRES: profile.size() == day.size(), every value finite.
[[nodiscard]] DayShape day_shape(std::span<const double> day, std::span<const double> profile);

}  // namespace gridaudit
