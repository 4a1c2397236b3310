// Rounding, named and done in one place: the modes (half-up, half-even, truncate), the one routine
// that rounds an integer count of units to a coarser unit, and the modes' names as policies and
// tariff files spell them ("half_up", "half_even", "truncate").
//
// Money, the fixed-point types and recovery all round through divide_rounded, so a mode means the
// same everywhere (REFERENCE.md section 2: 1,590.084 -> 1,590.08; 3,180.168 -> 3,180.17).
// Thread safety: pure functions over values.
#pragma once

#include <optional>
#include <string_view>

namespace gridaudit {

// The wide integer of exact arithmetic. GCC and Clang; __extension__ keeps -Wpedantic quiet.
__extension__ using Int128 = __int128;

enum class Rounding {
    half_up,    // away from zero at exactly half: 2.345 -> 2.35, -2.345 -> -2.35 (regulation practice)
    half_even,  // banker's rounding: 2.345 -> 2.34, 2.355 -> 2.36
    truncate,   // toward zero
};

// numerator / denominator rounded to an integer with `mode` (symmetric about zero: the magnitude is
// rounded, the sign kept). Rounding units of 10^-4 to 10^-2 is divide_rounded(units, 100, mode).
// REQUIRES: denominator > 0; |numerator| < 2^126.
[[nodiscard]] Int128 divide_rounded(Int128 numerator, Int128 denominator, Rounding mode);

// numerator / denominator, half away from zero. REQUIRES: denominator > 0.
[[nodiscard]] inline Int128 divide_half_up(Int128 numerator, Int128 denominator) {
    return divide_rounded(numerator, denominator, Rounding::half_up);
}

// "half_up", "half_even", "truncate".
[[nodiscard]] std::string_view rounding_name(Rounding mode);

// The mode named `name` exactly as rounding_name spells it; nullopt for anything else.
[[nodiscard]] std::optional<Rounding> parse_rounding(std::string_view name);

// The names a user may write, for messages: "half_up", "half_even" or "truncate" (quoted).
inline constexpr std::string_view rounding_choices = R"("half_up", "half_even" or "truncate")";

}  // namespace gridaudit
