// Civil dates, billing periods and UTC instants.
//
// CivilDate is a day in the utility's time zone (no time of day); Period is a billing month;
// Instant is a UTC point in time with one-second resolution. Parsing is strict ISO 8601:
// "2026-10-31", "2026-10", "2026-10-31T00:15:00+08:00" (an instant must carry Z or an offset).
// Thread safety: value types.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gridaudit {

class CivilDate {
public:
    constexpr CivilDate() = default;
    static constexpr CivilDate from_days(std::int32_t days_since_epoch) { return CivilDate(days_since_epoch); }
    static CivilDate from_ymd(int year, unsigned month, unsigned day);
    // Strict "YYYY-MM-DD"; rejects impossible dates such as 2026-02-30.
    static std::optional<CivilDate> parse(std::string_view text);

    [[nodiscard]] constexpr std::int32_t days_since_epoch() const { return days_; }
    [[nodiscard]] std::chrono::sys_days sys_days() const { return std::chrono::sys_days(std::chrono::days(days_)); }
    [[nodiscard]] int year() const;
    [[nodiscard]] unsigned month() const;
    [[nodiscard]] unsigned day() const;
    // 0 = Monday ... 6 = Sunday.
    [[nodiscard]] unsigned weekday_from_monday() const;
    [[nodiscard]] std::string to_string() const;

    constexpr CivilDate operator+(std::int32_t days) const { return CivilDate(days_ + days); }
    constexpr CivilDate operator-(std::int32_t days) const { return CivilDate(days_ - days); }
    constexpr std::int32_t operator-(CivilDate other) const { return days_ - other.days_; }
    constexpr auto operator<=>(const CivilDate&) const = default;

private:
    constexpr explicit CivilDate(std::int32_t days) : days_(days) {}
    std::int32_t days_ = 0;
};

// A billing month, stored as months since 1970-01.
class Period {
public:
    constexpr Period() = default;
    static constexpr Period from_index(std::int32_t months_since_epoch) { return Period(months_since_epoch); }
    static Period of(CivilDate date) { return Period((date.year() - 1970) * 12 + static_cast<int>(date.month()) - 1); }
    static Period from_year_month(int year, unsigned month) { return Period((year - 1970) * 12 + static_cast<int>(month) - 1); }
    // Strict "YYYY-MM".
    static std::optional<Period> parse(std::string_view text);

    [[nodiscard]] constexpr std::int32_t index() const { return months_; }
    [[nodiscard]] int year() const { return 1970 + floor_div(months_, 12); }
    [[nodiscard]] unsigned month() const { return static_cast<unsigned>(months_ - floor_div(months_, 12) * 12) + 1; }
    [[nodiscard]] CivilDate first_day() const { return CivilDate::from_ymd(year(), month(), 1); }
    [[nodiscard]] CivilDate last_day() const { return (*this + 1).first_day() - 1; }
    [[nodiscard]] int day_count() const { return (*this + 1).first_day() - first_day(); }
    [[nodiscard]] std::string to_string() const;

    constexpr Period operator+(std::int32_t months) const { return Period(months_ + months); }
    constexpr Period operator-(std::int32_t months) const { return Period(months_ - months); }
    constexpr std::int32_t operator-(Period other) const { return months_ - other.months_; }
    constexpr auto operator<=>(const Period&) const = default;

private:
    static constexpr std::int32_t floor_div(std::int32_t a, std::int32_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
    constexpr explicit Period(std::int32_t months) : months_(months) {}
    std::int32_t months_ = 0;
};

class Instant {
public:
    constexpr Instant() = default;
    static constexpr Instant from_unix_seconds(std::int64_t seconds) { return Instant(seconds); }
    // Strict "YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|-HH:MM)"; a space may stand for the "T".
    static std::optional<Instant> parse(std::string_view text);

    [[nodiscard]] constexpr std::int64_t unix_seconds() const { return seconds_; }
    // The civil date of this instant at the given UTC offset (minutes east of UTC).
    [[nodiscard]] CivilDate civil_date(int utc_offset_minutes) const;
    // ISO 8601 at the given offset, e.g. "2026-10-31T00:15:00+08:00".
    [[nodiscard]] std::string to_string(int utc_offset_minutes = 0) const;

    constexpr Instant operator+(std::int64_t seconds) const { return Instant(seconds_ + seconds); }
    constexpr std::int64_t operator-(Instant other) const { return seconds_ - other.seconds_; }
    constexpr auto operator<=>(const Instant&) const = default;

private:
    constexpr explicit Instant(std::int64_t seconds) : seconds_(seconds) {}
    std::int64_t seconds_ = 0;
};

}  // namespace gridaudit
