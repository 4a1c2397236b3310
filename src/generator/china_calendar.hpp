// The synthetic utility's calendar: Chinese public holidays and working days.
//
// Spring Festival (from a table of lunar new-year dates, 2015-2035), Dragon Boat and Mid-Autumn
// (tables 2020-2030) and the fixed-date holidays (New Year, Qingming, Labour Day, National Day).
// Outside the tables the lunar holidays fall back to a typical date. The generator uses it for
// load shapes and for the service time limits of work orders, which count working days
// (Monday-Friday that are not holidays; make-up working weekends are not modelled).
// Thread safety: pure functions.
#pragma once

#include "core/time.hpp"

namespace gridaudit {

enum class HolidayKind {
    none,
    spring_festival,           // eve - 1 .. new-year day + 6
    spring_festival_shoulder,  // the ten days before and the eight days after: factories ramp down and up
    public_holiday,            // any other statutory holiday
};

[[nodiscard]] HolidayKind holiday_kind(CivilDate date);

// Monday-Friday and not a holiday (shoulder days are working days).
[[nodiscard]] bool is_working_day(CivilDate date);

// Working days in (from, to]; 0 when to <= from.
[[nodiscard]] int working_days_between(CivilDate from, CivilDate to);

// The day `count` working days after `from` (count >= 0) or before it (count < 0).
[[nodiscard]] CivilDate add_working_days(CivilDate from, int count);

}  // namespace gridaudit
