// Facts read off a meter's daily register row, shared by METER-STOPPED and METER-REVERSED.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>

#include "frame/region_frame.hpp"

namespace gridaudit {

// Index of the frame day `day` (clamped to the matrix), or -1 before its first day.
[[nodiscard]] inline std::int32_t daily_index(const DailyMatrix& daily, CivilDate day) {
    const std::int32_t index = day - daily.first_day;
    if (index < 0) return -1;
    return std::min(index, daily.day_count - 1);
}

// Advance of a register row between the first valid value at or after `from` and the last valid
// value at or before `to` (register units); NaN when fewer than two valid values lie between.
[[nodiscard]] inline double row_advance(const double* row, std::int32_t from, std::int32_t to) {
    while (from <= to && std::isnan(row[from])) ++from;
    while (to > from && std::isnan(row[to])) --to;
    if (from >= to) return std::nan("");
    return row[to] - row[from];
}

// True when the customer of a customer meter is active on `day` (status active, supply started
// and not ended).
[[nodiscard]] inline bool customer_active(const CustomerColumns& customers, CustomerIndex c, CivilDate day) {
    const auto i = c.value();
    if (customers.status[i] != "active") return false;
    if (customers.supply_start[i] > day) return false;
    return !customers.supply_end[i] || *customers.supply_end[i] >= day;
}

// True when meter m is installed on `day` and not removed by then.
[[nodiscard]] inline bool meter_installed(const MeterColumns& meters, std::size_t m, CivilDate day) {
    if (meters.installed_on[m] > day) return false;
    return !meters.removed_on[m] || *meters.removed_on[m] > day;
}

}  // namespace gridaudit
