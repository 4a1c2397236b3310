// Tests of exact rational arithmetic: reduction, the four operations, overflow and division by zero.
#include "core/exact_ratio.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

bool same_value(ExactRatio a, ExactRatio b) {
    return a.numerator() * b.denominator() == b.numerator() * a.denominator();
}

TEST(ExactRatioTest, QuantitiesAreExactInLowestTerms) {
    const ExactRatio r = ExactRatio::of(*Quantity::parse("0.25"));
    EXPECT_EQ(r.numerator(), 1);
    EXPECT_EQ(r.denominator(), 4);
    const ExactRatio zero = ExactRatio::of(Quantity());
    EXPECT_EQ(zero.numerator(), 0);
    EXPECT_EQ(zero.denominator(), 1);
    EXPECT_EQ(ExactRatio::reduced(-600, 5).numerator(), -120);
}

TEST(ExactRatioTest, OperationsAreExact) {
    const ExactRatio third{1, 3};
    const ExactRatio half{1, 2};
    EXPECT_TRUE(same_value(*times(third, half), ExactRatio{1, 6}));
    EXPECT_TRUE(same_value(*plus(third, half), ExactRatio{5, 6}));
    EXPECT_TRUE(same_value(*minus(third, half), ExactRatio{-1, 6}));
    EXPECT_TRUE(same_value(*divided(third, half), ExactRatio{2, 3}));
    // A meter running 2.5 % fast: 100 / (100 + 2.5) of 4,100 kWh is 4,000 kWh.
    const ExactRatio registered = *plus(ExactRatio{100, 1}, ExactRatio::of(*Quantity::parse("2.5")));
    const ExactRatio truth = *divided(*times(ExactRatio::of(*Quantity::parse("4100")), ExactRatio{100, 1}), registered);
    EXPECT_EQ(truth.numerator(), 4000);
    EXPECT_EQ(truth.denominator(), 1);
}

TEST(ExactRatioTest, DividingByANegativeKeepsTheDenominatorPositive) {
    const ExactRatio r = *divided(ExactRatio{1, 1}, ExactRatio{-3, 1});
    EXPECT_EQ(r.numerator(), -1);
    EXPECT_EQ(r.denominator(), 3);
}

TEST(ExactRatioTest, OverflowAndDivisionByZeroAreUserErrors) {
    const Int128 huge = Int128(1) << 100;
    const auto product = times(ExactRatio{huge, 1}, ExactRatio{huge, 1});
    ASSERT_FALSE(product.has_value());
    EXPECT_EQ(product.error().message(), "the numbers are too large to compute exactly");
    EXPECT_EQ(product.error().kind(), ErrorClass::user);
    EXPECT_FALSE(plus(ExactRatio{huge, 1}, ExactRatio{1, huge}).has_value());
    const auto quotient = divided(ExactRatio{1, 1}, ExactRatio{});
    ASSERT_FALSE(quotient.has_value());
    EXPECT_EQ(quotient.error().message(), "division by zero");
    EXPECT_FALSE(checked_multiply(huge, huge).has_value());
    EXPECT_EQ(*checked_multiply(-7, 6), -42);
}

}  // namespace
}  // namespace gridaudit
