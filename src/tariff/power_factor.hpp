// The power-factor adjustment of electricity charges (功率因数调整电费, 1983 rules; REFERENCE.md
// section 5): the month's power factor from active and reactive energy, and the three adjustment
// tables (standards 0.90, 0.85, 0.80), complete at every 0.01 from 0.00 to 1.00.
//
// The tables are data (power_factor.cpp), in hundredths of a percent ("basis points"): -75 is a
// 0.75 % rebate, +1400 a 14 % surcharge. Adjustment = (basic charge + energy charge) x percentage;
// funds and surcharges are not in the base.
// Thread safety: immutable tables and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/fixed_point.hpp"

namespace gridaudit {

enum class PowerFactorStandard : std::uint8_t {
    pf_0_90,  // high-voltage industrial >= 160 kVA
    pf_0_85,  // other industrial and non-industrial >= 100 kVA
    pf_0_80,  // agricultural and wholesale >= 100 kVA
};

// "0.90", "0.9", "0.85", "0.80", "0.8" (the customers.csv pf_standard values).
[[nodiscard]] std::optional<PowerFactorStandard> parse_power_factor_standard(std::string_view text);
// "0.90", "0.85", "0.80".
[[nodiscard]] std::string_view power_factor_standard_name(PowerFactorStandard standard);
// 90, 85, 80.
[[nodiscard]] int power_factor_standard_hundredths(PowerFactorStandard standard);

// PF = P / sqrt(P^2 + Q^2) rounded half-up to 2 decimals, returned in hundredths (0..100). Exact:
// the rounding is decided with integer arithmetic, so a PF of exactly x.xx5 rounds up. Nullopt when
// P and Q are both zero (no power factor), or when either is negative.
[[nodiscard]] std::optional<int> power_factor_hundredths(Quantity active_kwh, Quantity reactive_kvarh);

// The adjustment percentage in hundredths of a percent for a power factor in hundredths.
// Negative: rebate; positive: surcharge. REQUIRES: 0 <= pf_hundredths <= 100.
[[nodiscard]] int power_factor_adjustment_basis_points(PowerFactorStandard standard, int pf_hundredths);

}  // namespace gridaudit
