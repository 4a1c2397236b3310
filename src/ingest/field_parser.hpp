// Parsing one CSV field into the FieldValue its column's type (ColumnSpec) calls for.
//
// Syntax is strict (see docs/import.md): integers `-?[0-9]+`; decimals `-?[0-9]+(.[0-9]+)?`
// (no exponent, inf, nan, hex, leading '+', spaces or grouping); money as decimals with at most
// four places; ISO dates, months and instants with offset; ratios `200/5` or `1` of positive
// numbers; flags as '|'-separated codes. Ranges and code lists of the contract are checked here
// too. An empty field is std::monostate: whether that is allowed is the caller's question.
// The series parsers use parse_decimal and DateParser directly, so both paths accept exactly
// the same text and give the same values.
// Thread safety: free functions are pure; a DateParser is used by one thread.
#pragma once

#include <cstdint>
#include <cstring>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "model/import_contract.hpp"
#include "model/rows.hpp"

namespace gridaudit {

// A field's value, or what is wrong with its text ("not a date (YYYY-MM-DD)").
using FieldResult = std::expected<FieldValue, std::string>;

[[nodiscard]] FieldResult parse_field(const ColumnSpec& column, std::string_view text);

// Why `value` is outside the column's range, or nullopt when it is inside.
[[nodiscard]] std::optional<std::string> range_problem(const ColumnSpec& column, double value);

// `-?[0-9]+` in the int64 range.
[[nodiscard]] std::optional<std::int64_t> parse_integer(std::string_view text);

// Bits of a flags field: bit i set when column.codes[i] is listed. Empty text gives 0.
[[nodiscard]] std::expected<std::uint32_t, std::string> parse_flag_bits(const ColumnSpec& column,
                                                                        std::string_view text);

// Slow path of parse_decimal for long mantissas (fast_float, correctly rounded).
[[nodiscard]] double parse_decimal_slow(std::string_view text);

// `-?[0-9]+(\.[0-9]+)?` as the nearest double. Short mantissas (up to 19 digits, value below
// 2^53, at most 22 decimals) take the exact fast path m / 10^k; others go to fast_float. Both
// are correctly rounded, so the result does not depend on the path.
[[nodiscard]] inline std::optional<double> parse_decimal(std::string_view text) {
    static constexpr double powers_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char* p = text.data();
    const char* const end = p + text.size();
    const bool negative = p != end && *p == '-';
    p += negative;
    std::uint64_t mantissa = 0;
    const char* const whole_begin = p;
    while (p != end && static_cast<unsigned>(*p - '0') < 10)
        mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
    const auto whole_digits = static_cast<std::size_t>(p - whole_begin);
    if (whole_digits == 0) return std::nullopt;
    std::size_t fraction_digits = 0;
    if (p != end && *p == '.') {
        const char* const fraction_begin = ++p;
        while (p != end && static_cast<unsigned>(*p - '0') < 10)
            mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
        fraction_digits = static_cast<std::size_t>(p - fraction_begin);
        if (fraction_digits == 0) return std::nullopt;
    }
    if (p != end) return std::nullopt;
    if (whole_digits + fraction_digits <= 19 && mantissa <= (std::uint64_t{1} << 53) && fraction_digits <= 22) {
        // Whole numbers (a register at "0", say) need no division.
        const double value = fraction_digits == 0 ? static_cast<double>(mantissa)
                                                  : static_cast<double>(mantissa) / powers_of_ten[fraction_digits];
        return negative ? -value : value;
    }
    return parse_decimal_slow(text);
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
[[nodiscard]] constexpr std::int32_t days_from_civil(int year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const int era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int32_t>(day_of_era) - 719468;
}

// Strict "YYYY-MM-DD" (as CivilDate::parse) to days since the epoch, remembering the last month
// seen: consecutive dates of one month then cost a compare and two digits.
class DateParser {
public:
    [[nodiscard]] std::optional<std::int32_t> parse(std::string_view text) {
        if (text.size() != 10) return std::nullopt;
        const char* s = text.data();
        if (std::memcmp(s, month_prefix_, 8) != 0 && !load_month(s)) return std::nullopt;
        const auto tens = static_cast<unsigned>(s[8] - '0');
        const auto ones = static_cast<unsigned>(s[9] - '0');
        if (tens > 9 || ones > 9) return std::nullopt;
        const unsigned day = tens * 10 + ones;
        if (day == 0 || day > month_length_) return std::nullopt;
        return month_start_ + static_cast<std::int32_t>(day) - 1;
    }

private:
    bool load_month(const char* s);

    char month_prefix_[8] = {};  // "YYYY-MM-" of the remembered month
    std::int32_t month_start_ = 0;
    unsigned month_length_ = 0;  // 0 until a month was remembered
};

}  // namespace gridaudit
