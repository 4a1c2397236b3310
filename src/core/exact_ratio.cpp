// Exact rational arithmetic with overflow checks.
#include "core/exact_ratio.hpp"

namespace gridaudit {

Int128 greatest_common_divisor(Int128 a, Int128 b) {
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b != 0) {
        const Int128 r = a % b;
        a = b;
        b = r;
    }
    return a == 0 ? 1 : a;
}

ExactRatio ExactRatio::reduced(Int128 numerator, Int128 denominator) {
    const Int128 g = greatest_common_divisor(numerator, denominator);
    return {numerator / g, denominator / g};
}

Result<Int128> checked_multiply(Int128 a, Int128 b) {
    Int128 product = 0;
    if (__builtin_mul_overflow(a, b, &product)) return user_error("the numbers are too large to compute exactly");
    return product;
}

Result<ExactRatio> times(ExactRatio a, ExactRatio b) {
    const Int128 g1 = greatest_common_divisor(a.numerator(), b.denominator());
    const Int128 g2 = greatest_common_divisor(b.numerator(), a.denominator());
    GA_ASSIGN_OR_RETURN(const Int128 numerator, checked_multiply(a.numerator() / g1, b.numerator() / g2));
    GA_ASSIGN_OR_RETURN(const Int128 denominator, checked_multiply(a.denominator() / g2, b.denominator() / g1));
    return ExactRatio(numerator, denominator);
}

Result<ExactRatio> divided(ExactRatio a, ExactRatio b) {
    if (b.numerator() == 0) return user_error("division by zero");
    const ExactRatio inverse =
        b.numerator() < 0 ? ExactRatio(-b.denominator(), -b.numerator()) : ExactRatio(b.denominator(), b.numerator());
    return times(a, inverse);
}

Result<ExactRatio> plus(ExactRatio a, ExactRatio b) {
    GA_ASSIGN_OR_RETURN(const Int128 left, checked_multiply(a.numerator(), b.denominator()));
    GA_ASSIGN_OR_RETURN(const Int128 right, checked_multiply(b.numerator(), a.denominator()));
    GA_ASSIGN_OR_RETURN(const Int128 denominator, checked_multiply(a.denominator(), b.denominator()));
    Int128 sum = 0;
    if (__builtin_add_overflow(left, right, &sum)) return user_error("the numbers are too large to compute exactly");
    return ExactRatio::reduced(sum, denominator);
}

Result<ExactRatio> minus(ExactRatio a, ExactRatio b) {
    return plus(a, ExactRatio(-b.numerator(), b.denominator()));
}

}  // namespace gridaudit
