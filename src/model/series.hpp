// Time series in columnar memory: a dense meters x days matrix of daily register values, and a
// dense meters x days x 96 matrix of 15-minute interval energy.
//
// Row m holds meter_ids[m]; column d is day first_day + d. NaN marks a value that was never
// received (never 0). Thread safety: plain data; concurrent reads are safe.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace gridaudit {

struct DailyMatrix {
    std::vector<std::string> meter_ids;
    CivilDate first_day;
    std::int32_t day_count = 0;
    std::vector<double> import_register;  // meter_ids.size() * day_count, meter-major
    std::vector<double> export_register;

    [[nodiscard]] std::size_t meter_count() const { return meter_ids.size(); }
    [[nodiscard]] double import_at(std::size_t meter, std::int32_t day) const {
        return import_register[meter * static_cast<std::size_t>(day_count) + static_cast<std::size_t>(day)];
    }
    [[nodiscard]] double export_at(std::size_t meter, std::int32_t day) const {
        return export_register[meter * static_cast<std::size_t>(day_count) + static_cast<std::size_t>(day)];
    }
};

// 15-minute interval energy (kWh before the multiplier) of meters over whole civil days at a UTC
// offset: row m holds meter_ids[m]; value (m, d, i) is the interval starting i x 15 minutes after
// local midnight of day first_day + d, at kwh[(m * day_count + d) * values_per_day + i]. NaN marks
// a missing value (never 0); flags beside it hold its IntervalFlag bits (model/rows.hpp).
// Intervals that do not fit a 15-minute slot are not placed but reported per meter: starts off the
// 15-minute grid in off_grid_start (raw unix seconds, by meter then start) and longer intervals
// (30, 60 minutes) in coarse_intervals. Five-minute intervals are summed in threes into their slot
// (NaN unless all three are there, flags combined).
struct IntervalMatrix {
    static constexpr std::int32_t values_per_day = 96;
    static constexpr std::int32_t slot_minutes = 15;

    std::vector<std::string> meter_ids;
    CivilDate first_day;
    std::int32_t day_count = 0;
    int utc_offset_minutes = 0;                 // the civil days' offset east of UTC
    std::vector<double> kwh;                    // meters x days x 96, meter-major then day-major
    std::vector<std::uint8_t> flags;            // same layout, IntervalFlag bits
    std::vector<std::uint16_t> stored;          // meters x days: intervals stored that day (0: none)
    std::vector<std::uint32_t> coarse_intervals;  // per meter: 30/60-minute intervals not placed
    std::vector<std::uint32_t> off_grid_meter;  // meter row of each off-grid start
    std::vector<std::int64_t> off_grid_start;   // unix seconds of intervals starting off the grid

    [[nodiscard]] std::size_t meter_count() const { return meter_ids.size(); }
    [[nodiscard]] std::size_t row_length() const {
        return static_cast<std::size_t>(day_count) * static_cast<std::size_t>(values_per_day);
    }
    [[nodiscard]] bool has_intervals(std::size_t meter) const {
        const auto days = static_cast<std::size_t>(day_count);
        for (std::size_t d = 0; d < days; ++d)
            if (stored[meter * days + d] != 0) return true;
        return false;
    }
    [[nodiscard]] std::span<const double> meter_kwh(std::size_t meter) const {
        return {kwh.data() + meter * row_length(), row_length()};
    }
    [[nodiscard]] std::span<const std::uint8_t> meter_flags(std::size_t meter) const {
        return {flags.data() + meter * row_length(), row_length()};
    }
    [[nodiscard]] double kwh_at(std::size_t meter, std::int32_t day, std::int32_t slot) const {
        return kwh[meter * row_length() + static_cast<std::size_t>(day) * values_per_day + static_cast<std::size_t>(slot)];
    }
    [[nodiscard]] std::uint8_t flags_at(std::size_t meter, std::int32_t day, std::int32_t slot) const {
        return flags[meter * row_length() + static_cast<std::size_t>(day) * values_per_day + static_cast<std::size_t>(slot)];
    }
};

}  // namespace gridaudit
