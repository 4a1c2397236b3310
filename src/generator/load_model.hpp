// Load shapes of the synthetic utility: how much each category of customer consumes when.
//
// A customer's energy on day d is
//   daily_kwh x (1 + sensitivity x (season(d) - 1)) x calendar(d) x weather(d) x (1 + noise(d))
// where season interpolates a monthly table between mid-months, calendar multiplies a weekday
// factor by a holiday factor (Spring Festival week, its shoulders, other public holidays), weather
// is a county-wide AR(1) temperature anomaly felt by residential and commercial load in summer and
// winter, and noise is a per-customer AR(1) process. Hourly profiles split a day into 15-minute
// intervals and into the peak / flat / valley time-of-use periods. The tables are plain data.
// Thread safety: immutable tables and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/time.hpp"

namespace gridaudit {

enum class LoadCategory : std::uint8_t { residential, commercial, industrial, large_industrial, agricultural, temporary };
inline constexpr int load_category_count = 6;

// The customers.csv `category` code.
[[nodiscard]] std::string_view load_category_code(LoadCategory category);

struct CategoryLoadShape {
    std::array<double, 12> monthly_season;  // January..December, mean about 1
    std::array<double, 7> weekday;          // Monday..Sunday
    double spring_festival = 1;             // factor during the Spring Festival holiday
    double spring_festival_shoulder = 1;    // factor in the days around it
    double public_holiday = 1;              // factor on other statutory holidays
    std::array<double, 24> hourly;          // relative load by hour of the day (local time)
    double noise_sigma = 0.1;               // day-to-day relative noise
    double weather_weight = 0;              // how strongly temperature anomalies move the load
    double peak_to_mean = 1.5;              // maximum 15-minute demand over mean daily demand
};

[[nodiscard]] const CategoryLoadShape& category_load_shape(LoadCategory category);

// Seasonal factor of the category on `date`, linearly interpolated between mid-months.
[[nodiscard]] double season_factor(LoadCategory category, CivilDate date);

// Weekday and holiday factor of the category on `date`.
[[nodiscard]] double calendar_factor(LoadCategory category, CivilDate date);

// Time-of-use periods (one common provincial layout): peak 08-11 and 18-23, valley 23-07,
// flat 07-08 and 11-18.
enum class TouPeriod : std::uint8_t { peak, flat, valley };
[[nodiscard]] TouPeriod tou_period_of_hour(int hour);

struct TouShares {
    double peak = 0;
    double flat = 0;
    double valley = 0;
};
// Shares of a day's energy in each period, from the category's hourly profile.
[[nodiscard]] TouShares tou_shares(LoadCategory category);

// Solar yield in kWh per kWp per day for each month (a subtropical county).
[[nodiscard]] double solar_yield(unsigned month);

}  // namespace gridaudit
