// The statistics of one customer's day of interval readings (suspect_day_shape.hpp).
#include "analysis/suspect_day_shape.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace gridaudit {

std::string_view suspect_signal_name(SuspectSignal signal) {
    switch (signal) {
        case SuspectSignal::loss_correlation:
            return "loss-correlation";
        case SuspectSignal::level_drop:
            return "level-drop";
        case SuspectSignal::zero_intervals:
            return "zero-intervals";
        case SuspectSignal::flat_day:
            return "flat-day";
        case SuspectSignal::plateau:
            return "plateau";
        case SuspectSignal::reversed_day:
            return "reversed-day";
        case SuspectSignal::profile_mismatch:
            return "profile-mismatch";
        case SuspectSignal::night_drop:
            return "night-drop";
        case SuspectSignal::tamper_events:
            return "tamper-events";
    }
    return "unknown";
}

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Pearson r of day[i] with profile[reversed ? n - 1 - i : i]; NaN without spread.
double profile_correlation(std::span<const double> day, std::span<const double> profile, bool reversed) {
    const std::size_t n = day.size();
    double sa = 0, sb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sa += day[i];
        sb += profile[i];
    }
    const double ma = sa / static_cast<double>(n), mb = sb / static_cast<double>(n);
    double caa = 0, cbb = 0, cab = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double a = day[i] - ma;
        const double b = profile[reversed ? n - 1 - i : i] - mb;
        caa += a * a;
        cbb += b * b;
        cab += a * b;
    }
    if (!(caa > 1e-18 * sa * sa) || !(cbb > 0)) return nan;
    return cab / std::sqrt(caa * cbb);
}

}  // namespace

DayShape day_shape(std::span<const double> day, std::span<const double> profile) {
    assert(day.size() == profile.size());
    DayShape shape;
    const std::size_t n = day.size();
    if (n == 0) return shape;
    double largest = -std::numeric_limits<double>::infinity();
    double night = 0;
    for (std::size_t i = 0; i < n; ++i) {
        shape.energy += day[i];
        largest = std::max(largest, day[i]);
        if (day[i] <= zero_reading_kwh) ++shape.zero_count;
        const double hour = 24.0 * static_cast<double>(i) / static_cast<double>(n);
        if (hour >= 23.0 || hour < 7.0) night += day[i];
    }
    const double mean = shape.energy / static_cast<double>(n);
    double squares = 0;
    for (double v : day) {
        squares += (v - mean) * (v - mean);
        if (largest > zero_reading_kwh && v >= largest * (1 - 1e-9)) ++shape.ties_at_max;
    }
    shape.variation = mean > 0 ? std::sqrt(squares / static_cast<double>(n)) / mean : nan;
    shape.night_share = shape.energy > 0 ? night / shape.energy : nan;
    shape.profile_r = profile_correlation(day, profile, false);
    shape.reversed_r = profile_correlation(day, profile, true);
    return shape;
}

}  // namespace gridaudit
