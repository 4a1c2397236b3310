// Fixed-point numbers of exact pricing (tariff engine, recovery): quantities, unit prices, exact amounts.
//
// A bill is computed without binary floating point once the quantities are known:
//   Quantity     kWh, kvarh, kW, kVA, ratios, in units of 0.0001 (int64);
//   UnitPrice    currency per unit (per kWh, per kW-month, per kVA-month), in units of 1e-8 (int64);
//   ExactAmount  currency in units of 1e-16 (int128): a quantity times a price is exact, sums are
//                exact; only a division (a share, a proration, a percentage) rounds, half-up at 1e-16.
// Each bill component is rounded once from its ExactAmount to Money (see RoundingRule in tariff.hpp);
// these are the named rounding steps of docs/tariffs.md.
// Thread safety: value types.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "core/money.hpp"
#include "core/rounding.hpp"

namespace gridaudit {

// How a decimal text or a double is brought to a fixed number of decimals.
enum class DecimalFit {
    exact,    // more decimals than the type holds is an error
    half_up,  // rounded half away from zero
};

// Parses a JSON-style decimal ("-12.5", "0.0708", "1e+38") into an integer count of 10^-decimals.
// Returns nullopt for malformed text, for too many decimals with DecimalFit::exact, or on overflow
// of `limit` (absolute value).
[[nodiscard]] std::optional<Int128> parse_scaled_decimal(std::string_view text, int decimals, DecimalFit fit,
                                                         Int128 limit);

// Formats a count of 10^-decimals with all `decimals` places, or trimmed of trailing zeros.
[[nodiscard]] std::string format_scaled(Int128 units, int decimals, bool trim_zeros);

// A non-negative or negative quantity in units of 0.0001 (kWh, kvarh, kW, kVA, a ratio).
class Quantity {
public:
    static constexpr std::int64_t units_per_one = 10'000;
    static constexpr int decimals = 4;

    constexpr Quantity() = default;
    static constexpr Quantity from_units(std::int64_t units) { return Quantity(units); }
    static constexpr Quantity whole(std::int64_t value) { return Quantity(value * units_per_one); }
    // The upper bound of a last tier: larger than any quantity.
    static constexpr Quantity unbounded() { return Quantity(std::numeric_limits<std::int64_t>::max()); }
    // Named rounding step "quantity": a measured double to 0.0001, half-up. Nullopt for NaN,
    // infinities and magnitudes of 1e14 or more.
    static std::optional<Quantity> from_double(double value);
    // Exact decimal text, at most four decimals ("2760", "0.4", "105.25").
    static std::optional<Quantity> parse(std::string_view text);

    [[nodiscard]] constexpr std::int64_t units() const { return units_; }
    [[nodiscard]] constexpr bool is_unbounded() const { return units_ == std::numeric_limits<std::int64_t>::max(); }
    [[nodiscard]] double to_double() const { return static_cast<double>(units_) / units_per_one; }
    // "2760", "0.4", "105.25" (trailing zeros trimmed); "unbounded" for the sentinel.
    [[nodiscard]] std::string to_string() const;

    constexpr Quantity operator+(Quantity other) const { return Quantity(units_ + other.units_); }
    constexpr Quantity operator-(Quantity other) const { return Quantity(units_ - other.units_); }
    constexpr Quantity& operator+=(Quantity other) {
        units_ += other.units_;
        return *this;
    }
    constexpr auto operator<=>(const Quantity&) const = default;

private:
    constexpr explicit Quantity(std::int64_t units) : units_(units) {}
    std::int64_t units_ = 0;
};

// A price per unit in units of 1e-8 currency.
class UnitPrice {
public:
    static constexpr std::int64_t units_per_currency = 100'000'000;
    static constexpr int decimals = 8;

    constexpr UnitPrice() = default;
    static constexpr UnitPrice from_units(std::int64_t units) { return UnitPrice(units); }
    static constexpr UnitPrice of(Money money) { return UnitPrice(money.units() * 10'000); }
    // Decimal text; DecimalFit::exact refuses more than eight decimals.
    static std::optional<UnitPrice> parse(std::string_view text, DecimalFit fit);

    [[nodiscard]] constexpr std::int64_t units() const { return units_; }
    // "0.5653", "19.539" (trailing zeros trimmed, at least one decimal kept only if present).
    [[nodiscard]] std::string to_string() const;

    constexpr UnitPrice operator+(UnitPrice other) const { return UnitPrice(units_ + other.units_); }
    constexpr UnitPrice operator-(UnitPrice other) const { return UnitPrice(units_ - other.units_); }
    constexpr UnitPrice operator*(std::int64_t factor) const { return UnitPrice(units_ * factor); }
    constexpr auto operator<=>(const UnitPrice&) const = default;

private:
    constexpr explicit UnitPrice(std::int64_t units) : units_(units) {}
    std::int64_t units_ = 0;
};

// An exact amount of money in units of 1e-16 currency.
class ExactAmount {
public:
    static constexpr int decimals = 16;

    constexpr ExactAmount() = default;
    static constexpr ExactAmount from_units(Int128 units) { return ExactAmount(units); }
    static constexpr ExactAmount of(Money money) { return ExactAmount(Int128(money.units()) * 1'000'000'000'000); }
    // quantity x price, exact (1e-4 x 1e-8 = 1e-12, kept at 1e-16).
    static constexpr ExactAmount product(Quantity quantity, UnitPrice price) {
        return ExactAmount(Int128(quantity.units()) * price.units() * 10'000);
    }
    // Exact decimal text with up to 16 decimals ("1590.084"); nullopt otherwise.
    static std::optional<ExactAmount> parse(std::string_view text);

    [[nodiscard]] constexpr Int128 units() const { return units_; }
    // this x numerator / denominator, rounded half-up at 1e-16 (the only rounding below a component).
    // REQUIRES: denominator > 0.
    [[nodiscard]] ExactAmount scaled(std::int64_t numerator, std::int64_t denominator) const;
    // Named rounding step "component": to `decimals` (0..4) places with `mode`, as Money.
    [[nodiscard]] Money rounded(int decimals, Rounding mode) const;
    // Named rounding step "line display": to 0.0001, half-up (an itemised line's printed amount).
    [[nodiscard]] Money to_money() const { return rounded(4, Rounding::half_up); }
    // The exact decimal, trailing zeros trimmed ("1590.084", "0").
    [[nodiscard]] std::string to_string() const;

    constexpr ExactAmount operator+(ExactAmount other) const { return ExactAmount(units_ + other.units_); }
    constexpr ExactAmount operator-(ExactAmount other) const { return ExactAmount(units_ - other.units_); }
    constexpr ExactAmount operator-() const { return ExactAmount(-units_); }
    constexpr ExactAmount operator*(std::int64_t factor) const { return ExactAmount(units_ * factor); }
    constexpr ExactAmount& operator+=(ExactAmount other) {
        units_ += other.units_;
        return *this;
    }
    constexpr auto operator<=>(const ExactAmount&) const = default;

private:
    constexpr explicit ExactAmount(Int128 units) : units_(units) {}
    Int128 units_ = 0;
};

}  // namespace gridaudit
