// Facts about a meter's service life shared by the METER rules.
#pragma once

#include "core/time.hpp"
#include "frame/region_frame.hpp"

namespace gridaudit {

// True when meter m was installed on or before `day` and not removed by then.
[[nodiscard]] inline bool in_service(const MeterColumns& meters, std::size_t m, CivilDate day) {
    if (meters.installed_on[m] > day) return false;
    return !meters.removed_on[m] || *meters.removed_on[m] > day;
}

// The same month and day `years` later; 29 February becomes 28 February in a common year.
[[nodiscard]] inline CivilDate add_years(CivilDate date, int years) {
    const int year = date.year() + years;
    unsigned day = date.day();
    if (date.month() == 2 && day == 29 && !std::chrono::year(year).is_leap()) day = 28;
    return CivilDate::from_ymd(year, date.month(), day);
}

}  // namespace gridaudit
