// The words the GridAudit tariff and calendar JSON documents share (docs/tariffs.md), read and
// written alike: the weekday names, the day types in the documents' order, a 15-minute slot as
// "HH:MM".
// Thread safety: constants and a pure function.
#pragma once

#include <fmt/format.h>

#include <array>
#include <string>
#include <string_view>

#include "tariff/tariff.hpp"

namespace gridaudit {

// Bit i of TariffCalendar::weekend_days is weekday_names[i].
inline constexpr std::array<std::string_view, 7> weekday_names{"monday", "tuesday",  "wednesday", "thursday",
                                                               "friday", "saturday", "sunday"};

inline constexpr std::array<DayType, day_type_count> all_day_types{DayType::workday, DayType::weekend,
                                                                   DayType::holiday};

// The clock time a slot starts at, "08:30". REQUIRES: 0 <= slot < slots_per_day.
[[nodiscard]] inline std::string slot_time(int slot) {
    const int minutes = slot * slot_minutes;
    return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60);
}

}  // namespace gridaudit
