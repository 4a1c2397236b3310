// Exact rational arithmetic for computations that divide (recovery's energies: a capacity x hours,
// a meter error's 100 / (100 + error), a month's days / days per month) and round only once, at
// the end, to a fixed-point Quantity.
//
// Products and sums are reduced by their common factors and checked for overflow of 128 bits; an
// overflow or a division by zero is a user error (the inputs were too large), never a wrong number.
// Thread safety: a value type and pure functions.
#pragma once

#include "core/fixed_point.hpp"
#include "core/result.hpp"
#include "core/rounding.hpp"

namespace gridaudit {

// numerator / denominator, kept as given (not reduced on construction).
class ExactRatio {
public:
    constexpr ExactRatio() = default;
    // REQUIRES: denominator > 0.
    constexpr ExactRatio(Int128 numerator, Int128 denominator) : numerator_(numerator), denominator_(denominator) {}
    // numerator / denominator in lowest terms. REQUIRES: denominator > 0.
    [[nodiscard]] static ExactRatio reduced(Int128 numerator, Int128 denominator);
    // A quantity's exact value (units / 10,000 in lowest terms).
    [[nodiscard]] static ExactRatio of(Quantity quantity) { return reduced(quantity.units(), Quantity::units_per_one); }

    [[nodiscard]] constexpr Int128 numerator() const { return numerator_; }
    [[nodiscard]] constexpr Int128 denominator() const { return denominator_; }

private:
    Int128 numerator_ = 0;
    Int128 denominator_ = 1;
};

// The greatest common divisor of |a| and |b|; 1 when both are 0.
[[nodiscard]] Int128 greatest_common_divisor(Int128 a, Int128 b);

// a x b, or a user error when it does not fit in 128 bits.
[[nodiscard]] Result<Int128> checked_multiply(Int128 a, Int128 b);

[[nodiscard]] Result<ExactRatio> times(ExactRatio a, ExactRatio b);
// A user error "division by zero" when b is 0.
[[nodiscard]] Result<ExactRatio> divided(ExactRatio a, ExactRatio b);
[[nodiscard]] Result<ExactRatio> plus(ExactRatio a, ExactRatio b);
[[nodiscard]] Result<ExactRatio> minus(ExactRatio a, ExactRatio b);

}  // namespace gridaudit
