// Field parsing per column type, with the exact complaint for each kind of bad text.
#include "ingest/field_parser.hpp"

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/money.hpp"
#include "core/time.hpp"
#include "text/utf8_text.hpp"

namespace gridaudit {
namespace {

constexpr std::string_view no_leading_plus = "a leading '+' is not allowed";

std::string allowed_codes(const ColumnSpec& column) {
    return fmt::format("{}", fmt::join(column.codes, ", "));
}

bool is_code(const ColumnSpec& column, std::string_view text) {
    return std::find(column.codes.begin(), column.codes.end(), text) != column.codes.end();
}

FieldResult check_range(const ColumnSpec& column, double value, FieldValue result) {
    if (auto problem = range_problem(column, value)) return std::unexpected(std::move(*problem));
    return result;
}

// A ratio "primary/secondary" or a single number; every number positive.
bool is_ratio(std::string_view text) {
    const auto slash = text.find('/');
    const auto positive = [](std::string_view part) {
        const auto value = parse_decimal(part);
        return value && *value > 0 && part.front() != '-';
    };
    if (slash == std::string_view::npos) return positive(text);
    return positive(text.substr(0, slash)) && positive(text.substr(slash + 1));
}

unsigned days_in_month(int year, unsigned month) {
    static constexpr unsigned lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : lengths[month - 1];
}

}  // namespace

std::optional<std::string> range_problem(const ColumnSpec& column, double value) {
    if (column.minimum && value < *column.minimum) {
        if (*column.minimum == 0) return std::string("negative value not allowed");
        return fmt::format("below the minimum {}", *column.minimum);
    }
    if (column.maximum && value > *column.maximum) return fmt::format("above the maximum {}", *column.maximum);
    return std::nullopt;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    if (text.empty() || text.front() == '+') return std::nullopt;
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

double parse_decimal_slow(std::string_view text) {
    double value = 0;
    fast_float::from_chars(text.data(), text.data() + text.size(), value, fast_float::chars_format::fixed);
    return value;
}

std::expected<std::uint32_t, std::string> parse_flag_bits(const ColumnSpec& column, std::string_view text) {
    std::uint32_t bits = 0;
    if (text.empty()) return bits;
    std::size_t start = 0;
    for (;;) {
        const auto bar = text.find('|', start);
        const auto flag = text.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
        if (flag.empty()) return std::unexpected(std::string("empty flag between '|' separators"));
        const auto found = std::find(column.codes.begin(), column.codes.end(), flag);
        if (found == column.codes.end())
            return std::unexpected(fmt::format("unknown flag '{}', allowed: {}", flag, allowed_codes(column)));
        bits |= 1u << static_cast<unsigned>(found - column.codes.begin());
        if (bar == std::string_view::npos) return bits;
        start = bar + 1;
    }
}

FieldResult parse_field(const ColumnSpec& column, std::string_view text) {
    if (text.empty()) return FieldValue{};
    switch (column.type) {
        case ColumnType::text:
            if (!is_valid_utf8(text)) return std::unexpected(std::string("not valid UTF-8 text"));
            if (const std::size_t at = find_control_character(text); at != std::string_view::npos) {
                const auto c = static_cast<unsigned char>(text[at]);
                const unsigned code = c == 0xC2 ? static_cast<unsigned char>(text[at + 1]) : c;
                return std::unexpected(
                    fmt::format("control character U+{:04X} not allowed in text (tab, line breaks, escape and "
                                "other control characters are refused)",
                                code));
            }
            return FieldValue{std::string(text)};
        case ColumnType::code:
            if (!is_code(column, text))
                return std::unexpected(fmt::format("unknown code, allowed: {}", allowed_codes(column)));
            return FieldValue{std::string(text)};
        case ColumnType::integer: {
            const auto value = parse_integer(text);
            if (!value) {
                if (text.front() == '+') return std::unexpected(std::string(no_leading_plus));
                return std::unexpected(std::string("not a whole number"));
            }
            if (!column.codes.empty() && !is_code(column, fmt::format("{}", *value)))
                return std::unexpected(fmt::format("not an allowed value, allowed: {}", allowed_codes(column)));
            return check_range(column, static_cast<double>(*value), FieldValue{*value});
        }
        case ColumnType::decimal: {
            const auto value = parse_decimal(text);
            if (!value) {
                if (text.front() == '+') return std::unexpected(std::string(no_leading_plus));
                return std::unexpected(std::string("not a decimal number (digits with '.' as decimal point)"));
            }
            return check_range(column, *value, FieldValue{*value});
        }
        case ColumnType::money: {
            if (text.front() == '+') return std::unexpected(std::string(no_leading_plus));
            const auto value = Money::parse(text);
            if (!value) return std::unexpected(std::string("not an amount (a decimal number with at most 4 decimals)"));
            return check_range(column, static_cast<double>(value->units()) / Money::units_per_currency,
                               FieldValue{*value});
        }
        case ColumnType::date: {
            const auto value = CivilDate::parse(text);
            if (!value) return std::unexpected(std::string("not a date (YYYY-MM-DD)"));
            return FieldValue{*value};
        }
        case ColumnType::period: {
            const auto value = Period::parse(text);
            if (!value) return std::unexpected(std::string("not a month (YYYY-MM)"));
            return FieldValue{*value};
        }
        case ColumnType::instant: {
            const auto value = Instant::parse(text);
            if (!value)
                return std::unexpected(std::string("not an instant (YYYY-MM-DDTHH:MM[:SS] with Z or +HH:MM offset)"));
            return FieldValue{*value};
        }
        case ColumnType::ratio:
            if (!is_ratio(text))
                return std::unexpected(std::string("not a ratio of positive numbers (such as 200/5, or 1)"));
            return FieldValue{std::string(text)};
        case ColumnType::flags: {
            auto bits = parse_flag_bits(column, text);
            if (!bits) return std::unexpected(std::move(bits).error());
            return FieldValue{std::string(text)};
        }
    }
    return std::unexpected(std::string("unsupported column type"));
}

bool DateParser::load_month(const char* s) {
    for (const int i : {0, 1, 2, 3, 5, 6})
        if (static_cast<unsigned>(s[i] - '0') > 9) return false;
    if (s[4] != '-' || s[7] != '-') return false;
    const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    const auto month = static_cast<unsigned>((s[5] - '0') * 10 + (s[6] - '0'));
    if (month < 1 || month > 12) return false;
    std::memcpy(month_prefix_, s, 8);
    month_start_ = days_from_civil(year, month, 1);
    month_length_ = days_in_month(year, month);
    return true;
}

}  // namespace gridaudit
