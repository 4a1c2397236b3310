// Strict ISO 8601 parsing and formatting of dates, periods and instants (Howard Hinnant's date
// algorithms through <chrono>, which GCC 12 has for civil calendars).
#include "core/time.hpp"

#include <fmt/format.h>

namespace gridaudit {
namespace {

// Reads exactly `count` ASCII digits at text[at...]; returns -1 on anything else.
int read_digits(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) return -1;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<std::int32_t> parse_days(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const int year = read_digits(text, 0, 4);
    const int month = read_digits(text, 5, 2);
    const int day = read_digits(text, 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                          std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok()) return std::nullopt;
    return std::chrono::sys_days(ymd).time_since_epoch().count();
}

std::chrono::year_month_day ymd_of(std::int32_t days) {
    return std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(days)));
}

}  // namespace

CivilDate CivilDate::from_ymd(int year, unsigned month, unsigned day) {
    const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
    return CivilDate(static_cast<std::int32_t>(std::chrono::sys_days(ymd).time_since_epoch().count()));
}

std::optional<CivilDate> CivilDate::parse(std::string_view text) {
    const auto days = parse_days(text);
    if (!days) return std::nullopt;
    return CivilDate(*days);
}

int CivilDate::year() const { return static_cast<int>(ymd_of(days_).year()); }
unsigned CivilDate::month() const { return static_cast<unsigned>(ymd_of(days_).month()); }
unsigned CivilDate::day() const { return static_cast<unsigned>(ymd_of(days_).day()); }

unsigned CivilDate::weekday_from_monday() const {
    // 1970-01-01 was a Thursday (3 counting from Monday = 0).
    const std::int32_t shifted = (days_ + 3) % 7;
    return static_cast<unsigned>(shifted < 0 ? shifted + 7 : shifted);
}

std::string CivilDate::to_string() const {
    const auto ymd = ymd_of(days_);
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
}

std::optional<Period> Period::parse(std::string_view text) {
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    const int year = read_digits(text, 0, 4);
    const int month = read_digits(text, 5, 2);
    if (year < 0 || month < 1 || month > 12) return std::nullopt;
    return Period::from_year_month(year, static_cast<unsigned>(month));
}

std::string Period::to_string() const { return fmt::format("{:04}-{:02}", year(), month()); }

std::optional<Instant> Instant::parse(std::string_view text) {
    if (text.size() < 17) return std::nullopt;
    const auto days = parse_days(text.substr(0, 10));
    if (!days || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
    const int hour = read_digits(text, 11, 2);
    if (hour < 0 || hour > 23 || text[13] != ':') return std::nullopt;
    const int minute = read_digits(text, 14, 2);
    if (minute < 0 || minute > 59) return std::nullopt;
    std::size_t at = 16;
    int second = 0;
    if (at < text.size() && text[at] == ':') {
        second = read_digits(text, at + 1, 2);
        if (second < 0 || second > 59) return std::nullopt;
        at += 3;
    }
    int offset_minutes = 0;
    if (at < text.size() && text[at] == 'Z') {
        ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        const int sign = text[at] == '-' ? -1 : 1;
        const int offset_hours = read_digits(text, at + 1, 2);
        if (offset_hours < 0 || offset_hours > 14 || at + 3 >= text.size() || text[at + 3] != ':') return std::nullopt;
        const int offset_mins = read_digits(text, at + 4, 2);
        if (offset_mins < 0 || offset_mins > 59) return std::nullopt;
        offset_minutes = sign * (offset_hours * 60 + offset_mins);
        at += 6;
    } else {
        return std::nullopt;  // an instant without an offset is ambiguous
    }
    if (at != text.size()) return std::nullopt;
    const std::int64_t local = static_cast<std::int64_t>(*days) * 86400 + hour * 3600 + minute * 60 + second;
    return Instant(local - static_cast<std::int64_t>(offset_minutes) * 60);
}

CivilDate Instant::civil_date(int utc_offset_minutes) const {
    const std::int64_t local = seconds_ + static_cast<std::int64_t>(utc_offset_minutes) * 60;
    const std::int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    return CivilDate::from_days(static_cast<std::int32_t>(days));
}

std::string Instant::to_string(int utc_offset_minutes) const {
    const std::int64_t local = seconds_ + static_cast<std::int64_t>(utc_offset_minutes) * 60;
    const CivilDate date = civil_date(utc_offset_minutes);
    const std::int64_t in_day = local - static_cast<std::int64_t>(date.days_since_epoch()) * 86400;
    const int hour = static_cast<int>(in_day / 3600);
    const int minute = static_cast<int>(in_day / 60 % 60);
    const int second = static_cast<int>(in_day % 60);
    if (utc_offset_minutes == 0) return fmt::format("{}T{:02}:{:02}:{:02}Z", date.to_string(), hour, minute, second);
    const int magnitude = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
    return fmt::format("{}T{:02}:{:02}:{:02}{}{:02}:{:02}", date.to_string(), hour, minute, second,
                       utc_offset_minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

}  // namespace gridaudit
