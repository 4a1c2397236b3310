// Fixed-point money: an integer count of 0.0001 currency units. Never binary floating point.
//
// Parsing is exact ("1590.0840" -> 15900840 units); more than four decimals is an error, not a
// silent rounding. Rounding to fewer decimals is always explicit and names its mode.
// Thread safety: a value type.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/rounding.hpp"

namespace gridaudit {

class Money {
public:
    static constexpr std::int64_t units_per_currency = 10'000;

    constexpr Money() = default;
    static constexpr Money from_units(std::int64_t units) { return Money(units); }

    // Parses "-12.5", "3180.168", "0". At most four decimals; no exponent, no grouping.
    static std::optional<Money> parse(std::string_view text);

    [[nodiscard]] constexpr std::int64_t units() const { return units_; }

    // Rounds to `decimals` (0..4) places with the given mode.
    [[nodiscard]] Money rounded(int decimals, Rounding mode) const;

    // Formats with exactly `decimals` places (0..4), rounding half-up; e.g. "1590.08".
    [[nodiscard]] std::string to_string(int decimals = 2) const;

    constexpr Money operator+(Money other) const { return Money(units_ + other.units_); }
    constexpr Money operator-(Money other) const { return Money(units_ - other.units_); }
    constexpr Money operator-() const { return Money(-units_); }
    constexpr Money operator*(std::int64_t factor) const { return Money(units_ * factor); }
    constexpr Money& operator+=(Money other) {
        units_ += other.units_;
        return *this;
    }
    constexpr Money& operator-=(Money other) {
        units_ -= other.units_;
        return *this;
    }
    constexpr auto operator<=>(const Money&) const = default;

private:
    constexpr explicit Money(std::int64_t units) : units_(units) {}
    std::int64_t units_ = 0;
};

}  // namespace gridaudit
