// Decimal parsing, scaling, rounding and formatting of the fixed-point types.
#include "core/fixed_point.hpp"

#include <array>
#include <cmath>
#include <string>

namespace gridaudit {
namespace {

constexpr int max_power_of_ten = 38;  // 10^38 < 2^127
constexpr std::array<Int128, max_power_of_ten + 1> powers_of_ten = [] {
    std::array<Int128, max_power_of_ten + 1> powers{};
    powers[0] = 1;
    for (std::size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 10;
    return powers;
}();

// 10^exponent from a table (rounding every bill component needs two; a loop of 128-bit products
// per call was most of the pricing engine's time).
constexpr Int128 pow10(int exponent) {
    if (exponent >= 0 && exponent <= max_power_of_ten) return powers_of_ten[static_cast<std::size_t>(exponent)];
    Int128 value = 1;
    for (int i = 0; i < exponent; ++i) value *= 10;
    return value;
}

constexpr Int128 int128_max = (((Int128(1) << 126) - 1) << 1) + 1;

Int128 magnitude(Int128 value) {
    return value < 0 ? -value : value;
}

}  // namespace

std::optional<Int128> parse_scaled_decimal(std::string_view text, int decimals, DecimalFit fit, Int128 limit) {
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && text[i] == '-') {
        negative = true;
        ++i;
    }
    std::string digits;
    int fraction_digits = 0;
    std::size_t integer_digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++integer_digits) digits += text[i];
    if (integer_digits == 0) return std::nullopt;
    if (i < text.size() && text[i] == '.') {
        ++i;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++fraction_digits) digits += text[i];
        if (fraction_digits == 0) return std::nullopt;
    }
    int exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool exponent_negative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) exponent_negative = text[i++] == '-';
        int exponent_digits = 0;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++exponent_digits) {
            if (exponent_digits == 5) return std::nullopt;
            exponent = exponent * 10 + (text[i] - '0');
        }
        if (exponent_digits == 0) return std::nullopt;
        if (exponent_negative) exponent = -exponent;
    }
    if (i != text.size()) return std::nullopt;

    // value = digits x 10^(exponent - fraction_digits); units = value x 10^decimals.
    const std::size_t first_nonzero = digits.find_first_not_of('0');
    if (first_nonzero == std::string::npos) return Int128(0);
    digits.erase(0, first_nonzero);
    const long shift = static_cast<long>(exponent) - fraction_digits + decimals;
    std::size_t kept_count = digits.size();
    bool round_up = false;
    if (shift < 0) {
        const long dropped = -shift;
        if (static_cast<std::size_t>(dropped) >= digits.size()) {
            kept_count = 0;
            if (fit == DecimalFit::exact) return std::nullopt;  // a non-zero value below the resolution
            round_up = static_cast<std::size_t>(dropped) == digits.size() && digits[0] >= '5';
        } else {
            kept_count = digits.size() - static_cast<std::size_t>(dropped);
            if (fit == DecimalFit::exact && digits.find_first_not_of('0', kept_count) != std::string::npos)
                return std::nullopt;
            round_up = digits[kept_count] >= '5';
        }
    }
    Int128 units = 0;
    for (std::size_t d = 0; d < kept_count; ++d) {
        const int digit = digits[d] - '0';
        if (units > (limit - digit) / 10) return std::nullopt;
        units = units * 10 + digit;
    }
    if (round_up) {
        if (units == limit) return std::nullopt;
        ++units;
    }
    for (long s = 0; s < shift; ++s) {
        if (units > limit / 10) return std::nullopt;
        units *= 10;
    }
    if (units > limit) return std::nullopt;
    return negative ? -units : units;
}

std::string format_scaled(Int128 units, int decimals, bool trim_zeros) {
    const bool negative = units < 0;
    Int128 size = magnitude(units);
    const Int128 scale = pow10(decimals);
    Int128 whole = size / scale;
    Int128 fraction = size % scale;
    std::string whole_text;
    do {
        whole_text.insert(whole_text.begin(), static_cast<char>('0' + static_cast<int>(whole % 10)));
        whole /= 10;
    } while (whole > 0);
    std::string fraction_text(static_cast<std::size_t>(decimals), '0');
    for (int d = decimals - 1; d >= 0; --d) {
        fraction_text[static_cast<std::size_t>(d)] = static_cast<char>('0' + static_cast<int>(fraction % 10));
        fraction /= 10;
    }
    if (trim_zeros) {
        while (!fraction_text.empty() && fraction_text.back() == '0') fraction_text.pop_back();
    }
    std::string text = negative && (size != 0) ? "-" : "";
    text += whole_text;
    if (!fraction_text.empty()) text += "." + fraction_text;
    return text;
}

std::optional<Quantity> Quantity::from_double(double value) {
    if (!std::isfinite(value) || std::fabs(value) >= 1e14) return std::nullopt;
    return Quantity(static_cast<std::int64_t>(std::llround(value * units_per_one)));
}

std::optional<Quantity> Quantity::parse(std::string_view text) {
    const auto units = parse_scaled_decimal(text, decimals, DecimalFit::exact, Int128(1) << 62);
    if (!units) return std::nullopt;
    return Quantity(static_cast<std::int64_t>(*units));
}

std::string Quantity::to_string() const {
    if (is_unbounded()) return "unbounded";
    return format_scaled(units_, decimals, true);
}

std::optional<UnitPrice> UnitPrice::parse(std::string_view text, DecimalFit fit) {
    const auto units = parse_scaled_decimal(text, decimals, fit, Int128(1) << 62);
    if (!units) return std::nullopt;
    return UnitPrice(static_cast<std::int64_t>(*units));
}

std::string UnitPrice::to_string() const {
    return format_scaled(units_, decimals, true);
}

std::optional<ExactAmount> ExactAmount::parse(std::string_view text) {
    const auto units = parse_scaled_decimal(text, decimals, DecimalFit::exact, int128_max / 100);
    if (!units) return std::nullopt;
    return ExactAmount(*units);
}

ExactAmount ExactAmount::scaled(std::int64_t numerator, std::int64_t denominator) const {
    return ExactAmount(divide_half_up(units_ * numerator, denominator));
}

Money ExactAmount::rounded(int places, Rounding mode) const {
    if (places < 0) places = 0;
    if (places > 4) places = 4;
    const Int128 at_places = divide_rounded(units_, pow10(decimals - places), mode);
    return Money::from_units(static_cast<std::int64_t>(at_places * pow10(4 - places)));
}

std::string ExactAmount::to_string() const {
    return format_scaled(units_, decimals, true);
}

}  // namespace gridaudit
