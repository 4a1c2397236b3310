// Parsing, rounding and formatting of fixed-point money.
#include "core/money.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace gridaudit {

std::optional<Money> Money::parse(std::string_view text) {
    if (text.empty()) return std::nullopt;
    bool negative = false;
    std::size_t i = 0;
    if (text[0] == '-' || text[0] == '+') {
        negative = text[0] == '-';
        i = 1;
    }
    std::int64_t whole = 0;
    std::size_t whole_digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++whole_digits) {
        if (whole > (INT64_MAX / units_per_currency - 9) / 10) return std::nullopt;  // overflow
        whole = whole * 10 + (text[i] - '0');
    }
    std::int64_t fraction = 0;
    std::size_t fraction_digits = 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++fraction_digits) {
            if (fraction_digits == 4) return std::nullopt;  // finer than 0.0001
            fraction = fraction * 10 + (text[i] - '0');
        }
        if (fraction_digits == 0) return std::nullopt;
    }
    if (i != text.size() || whole_digits == 0) return std::nullopt;
    for (std::size_t d = fraction_digits; d < 4; ++d) fraction *= 10;
    const std::int64_t units = whole * units_per_currency + fraction;
    return Money(negative ? -units : units);
}

Money Money::rounded(int decimals, Rounding mode) const {
    if (decimals >= 4) return *this;
    if (decimals < 0) decimals = 0;
    std::int64_t step = 1;
    for (int d = decimals; d < 4; ++d) step *= 10;
    return Money(static_cast<std::int64_t>(divide_rounded(units_, step, mode)) * step);
}

std::string Money::to_string(int decimals) const {
    if (decimals < 0) decimals = 0;
    if (decimals > 4) decimals = 4;
    const Money r = rounded(decimals, Rounding::half_up);
    const std::int64_t magnitude = r.units_ < 0 ? -r.units_ : r.units_;
    const std::int64_t whole = magnitude / units_per_currency;
    std::int64_t fraction = magnitude % units_per_currency;
    for (int d = decimals; d < 4; ++d) fraction /= 10;
    const char* sign = r.units_ < 0 ? "-" : "";
    if (decimals == 0) return fmt::format("{}{}", sign, whole);
    return fmt::format("{}{}.{:0{}}", sign, whole, fraction, decimals);
}

}  // namespace gridaudit
