// Fixed-point quantities, prices and exact amounts: parsing, products, scaling, rounding, formatting.
#include "core/fixed_point.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gridaudit {
namespace {

TEST(FixedPointTest, ParsesDecimalsExactlyOrRefuses) {
    EXPECT_EQ(parse_scaled_decimal("0.5653", 8, DecimalFit::exact, Int128(1) << 62), Int128(56'530'000));
    EXPECT_EQ(parse_scaled_decimal("-12.5", 4, DecimalFit::exact, Int128(1) << 62), Int128(-125'000));
    EXPECT_EQ(parse_scaled_decimal("1e2", 4, DecimalFit::exact, Int128(1) << 62), Int128(1'000'000));
    EXPECT_EQ(parse_scaled_decimal("2.5E-1", 4, DecimalFit::exact, Int128(1) << 62), Int128(2'500));
    EXPECT_EQ(parse_scaled_decimal("0.000", 4, DecimalFit::exact, Int128(1) << 62), Int128(0));
    EXPECT_FALSE(parse_scaled_decimal("0.00001", 4, DecimalFit::exact, Int128(1) << 62));
    EXPECT_FALSE(parse_scaled_decimal("1.23456", 4, DecimalFit::exact, Int128(1) << 62));
    for (const char* bad : {"", "-", ".5", "5.", "1e", "1x", "+1", "0x10", "1,5", " 1"})
        EXPECT_FALSE(parse_scaled_decimal(bad, 4, DecimalFit::exact, Int128(1) << 62)) << bad;
    EXPECT_FALSE(parse_scaled_decimal("1e+38", 4, DecimalFit::exact, Int128(1) << 62));  // overflow
}

TEST(FixedPointTest, HalfUpFitRoundsAwayFromZero) {
    EXPECT_EQ(parse_scaled_decimal("0.07076899707317352", 8, DecimalFit::half_up, Int128(1) << 62), Int128(7'076'900));
    EXPECT_EQ(parse_scaled_decimal("19.538999557495117", 8, DecimalFit::half_up, Int128(1) << 62),
              Int128(1'953'899'956));
    EXPECT_EQ(parse_scaled_decimal("0.00005", 4, DecimalFit::half_up, Int128(1) << 62), Int128(1));
    EXPECT_EQ(parse_scaled_decimal("0.000049", 4, DecimalFit::half_up, Int128(1) << 62), Int128(0));
    EXPECT_EQ(parse_scaled_decimal("-0.00005", 4, DecimalFit::half_up, Int128(1) << 62), Int128(-1));
    EXPECT_EQ(parse_scaled_decimal("0.000005", 4, DecimalFit::half_up, Int128(1) << 62), Int128(0));
}

TEST(FixedPointTest, QuantityFromDoubleIsTheNamedQuantityRounding) {
    EXPECT_EQ(Quantity::from_double(1.23456)->units(), 12'346);
    EXPECT_EQ(Quantity::from_double(0.40864765644073486)->units(), 4'086);
    EXPECT_EQ(Quantity::from_double(-2.5)->units(), -25'000);
    EXPECT_FALSE(Quantity::from_double(std::nan("")));
    EXPECT_FALSE(Quantity::from_double(1e15));
    EXPECT_EQ(Quantity::parse("2760")->to_string(), "2760");
    EXPECT_EQ(Quantity::parse("0.40")->to_string(), "0.4");
    EXPECT_EQ(Quantity::unbounded().to_string(), "unbounded");
}

TEST(FixedPointTest, PricesHoldEightDecimals) {
    EXPECT_EQ(UnitPrice::parse("0.0196875", DecimalFit::exact)->units(), 1'968'750);
    EXPECT_FALSE(UnitPrice::parse("0.123456789", DecimalFit::exact));
    EXPECT_EQ(UnitPrice::parse("0.123456789", DecimalFit::half_up)->units(), 12'345'679);
    EXPECT_EQ(UnitPrice::parse("19.539", DecimalFit::exact)->to_string(), "19.539");
    EXPECT_EQ(UnitPrice::of(Money::from_units(352'800)).to_string(), "35.28");
}

TEST(FixedPointTest, ProductsAreExactAndRoundOnlyWhenAsked) {
    const ExactAmount a =
        ExactAmount::product(*Quantity::parse("5400"), *UnitPrice::parse("0.1972", DecimalFit::exact));
    const ExactAmount b =
        ExactAmount::product(*Quantity::parse("1620"), *UnitPrice::parse("0.3242", DecimalFit::exact));
    EXPECT_EQ((a + b).to_string(), "1590.084");
    EXPECT_EQ((a + b).rounded(2, Rounding::half_up), Money::parse("1590.08"));
    EXPECT_EQ(((a + b) * 2).rounded(2, Rounding::half_up), Money::parse("3180.17"));
    EXPECT_EQ((-(a + b) * 2).rounded(2, Rounding::half_up), Money::parse("-3180.17"));
    EXPECT_EQ((a + b).to_money(), Money::parse("1590.084"));
}

TEST(FixedPointTest, ScalingRoundsHalfUpAtTheSixteenthDecimal) {
    const ExactAmount basic = ExactAmount::product(*Quantity::parse("100"), *UnitPrice::parse("25", DecimalFit::exact));
    EXPECT_EQ(basic.scaled(7, 30).to_string(), "583.3333333333333333");
    EXPECT_EQ(basic.scaled(2, 3).to_string(), "1666.6666666666666667");
    EXPECT_EQ((-basic).scaled(2, 3).to_string(), "-1666.6666666666666667");
    EXPECT_EQ(basic.scaled(250, 10'000).rounded(2, Rounding::half_up), Money::parse("62.5"));
}

TEST(FixedPointTest, RoundingModes) {
    const auto amount = [](const char* text) { return *ExactAmount::parse(text); };
    EXPECT_EQ(amount("2.345").rounded(2, Rounding::half_up), Money::parse("2.35"));
    EXPECT_EQ(amount("-2.345").rounded(2, Rounding::half_up), Money::parse("-2.35"));
    EXPECT_EQ(amount("2.345").rounded(2, Rounding::half_even), Money::parse("2.34"));
    EXPECT_EQ(amount("2.355").rounded(2, Rounding::half_even), Money::parse("2.36"));
    EXPECT_EQ(amount("2.3449999999999999").rounded(2, Rounding::half_up), Money::parse("2.34"));
    EXPECT_EQ(amount("2.349").rounded(2, Rounding::truncate), Money::parse("2.34"));
    EXPECT_EQ(amount("-2.349").rounded(2, Rounding::truncate), Money::parse("-2.34"));
    EXPECT_EQ(amount("0.00005").to_money(), Money::parse("0.0001"));
}

TEST(FixedPointTest, FormatsScaledIntegers) {
    EXPECT_EQ(format_scaled(12'345, 4, false), "1.2345");
    EXPECT_EQ(format_scaled(-5, 4, false), "-0.0005");
    EXPECT_EQ(format_scaled(10'000, 4, true), "1");
    EXPECT_EQ(format_scaled(0, 2, false), "0.00");
    EXPECT_EQ(divide_half_up(5, 10), 1);
    EXPECT_EQ(divide_half_up(-5, 10), -1);
    EXPECT_EQ(divide_half_up(4, 10), 0);
}

}  // namespace
}  // namespace gridaudit
