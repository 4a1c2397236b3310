// Chinese holiday tables and working-day arithmetic for the synthetic utility.
#include "generator/china_calendar.hpp"

#include <array>

namespace gridaudit {
namespace {

struct MonthDay {
    unsigned month;
    unsigned day;
};

// Lunar new-year day, 2015..2035.
constexpr int spring_festival_first_year = 2015;
constexpr std::array<MonthDay, 21> spring_festival_days{{
    {2, 19}, {2, 8},  {1, 28}, {2, 16}, {2, 5},  {1, 25}, {2, 12}, {2, 1},  {1, 22}, {2, 10}, {1, 29},
    {2, 17}, {2, 6},  {1, 26}, {2, 13}, {2, 3},  {1, 23}, {2, 11}, {1, 31}, {2, 19}, {2, 8},
}};

// Dragon Boat and Mid-Autumn festival days, 2020..2030.
constexpr int festival_first_year = 2020;
constexpr std::array<MonthDay, 11> dragon_boat_days{{
    {6, 25}, {6, 14}, {6, 3}, {6, 22}, {6, 10}, {5, 31}, {6, 19}, {6, 9}, {5, 28}, {6, 16}, {6, 5},
}};
constexpr std::array<MonthDay, 11> mid_autumn_days{{
    {10, 1}, {9, 21}, {9, 10}, {9, 29}, {9, 17}, {10, 6}, {9, 25}, {9, 15}, {10, 3}, {9, 22}, {9, 12},
}};

template <std::size_t N>
MonthDay lookup(const std::array<MonthDay, N>& table, int first_year, int year, MonthDay fallback) {
    const int i = year - first_year;
    if (i < 0 || i >= static_cast<int>(N)) return fallback;
    return table[static_cast<std::size_t>(i)];
}

CivilDate spring_festival(int year) {
    const MonthDay md = lookup(spring_festival_days, spring_festival_first_year, year, MonthDay{2, 5});
    return CivilDate::from_ymd(year, md.month, md.day);
}

bool within(CivilDate date, CivilDate first, std::int32_t length) {
    return date >= first && date - first < length;
}

bool is_public_holiday(CivilDate date) {
    const int year = date.year();
    const unsigned month = date.month();
    const unsigned day = date.day();
    if (month == 1 && day == 1) return true;                     // New Year
    if (month == 4 && day >= 4 && day <= 6) return true;         // Qingming
    if (month == 5 && day >= 1 && day <= 5) return true;         // Labour Day
    if (month == 10 && day >= 1 && day <= 7) return true;        // National Day
    const MonthDay dragon = lookup(dragon_boat_days, festival_first_year, year, MonthDay{6, 10});
    if (within(date, CivilDate::from_ymd(year, dragon.month, dragon.day), 3)) return true;
    const MonthDay autumn = lookup(mid_autumn_days, festival_first_year, year, MonthDay{9, 20});
    if (within(date, CivilDate::from_ymd(year, autumn.month, autumn.day), 3)) return true;
    return false;
}

}  // namespace

HolidayKind holiday_kind(CivilDate date) {
    // The festival of this year and of the next (a late-December date may be in next year's shoulder).
    for (int year = date.year(); year <= date.year() + 1; ++year) {
        const CivilDate new_year = spring_festival(year);
        if (within(date, new_year - 1, 8)) return HolidayKind::spring_festival;
        if (within(date, new_year - 11, 10) || within(date, new_year + 7, 8))
            return HolidayKind::spring_festival_shoulder;
    }
    return is_public_holiday(date) ? HolidayKind::public_holiday : HolidayKind::none;
}

bool is_working_day(CivilDate date) {
    if (date.weekday_from_monday() >= 5) return false;
    const HolidayKind kind = holiday_kind(date);
    return kind == HolidayKind::none || kind == HolidayKind::spring_festival_shoulder;
}

int working_days_between(CivilDate from, CivilDate to) {
    int count = 0;
    for (CivilDate d = from + 1; d <= to; d = d + 1)
        if (is_working_day(d)) ++count;
    return count;
}

CivilDate add_working_days(CivilDate from, int count) {
    CivilDate d = from;
    const int step = count >= 0 ? 1 : -1;
    for (int remaining = count >= 0 ? count : -count; remaining > 0;) {
        d = d + step;
        if (is_working_day(d)) --remaining;
    }
    return d;
}

}  // namespace gridaudit
