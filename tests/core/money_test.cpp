// Tests of fixed-point money: exact parsing, explicit rounding, formatting.
#include "core/money.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

TEST(MoneyTest, ParsesExactlyToTenThousandths) {
    EXPECT_EQ(Money::parse("1590.084")->units(), 15'900'840);
    EXPECT_EQ(Money::parse("-0.5")->units(), -5'000);
    EXPECT_EQ(Money::parse("+3")->units(), 30'000);
    EXPECT_EQ(Money::parse("0.0001")->units(), 1);
}

TEST(MoneyTest, RejectsWhatIsNotAPlainDecimal) {
    for (const char* bad : {"", "-", ".5", "1.", "1.23456", "1e3", "1,000", " 1", "1 ", "abc", "--1", "1.2.3"})
        EXPECT_FALSE(Money::parse(bad).has_value()) << bad;
}

TEST(MoneyTest, RoundsHalfUpAwayFromZeroAsTheRegulationExamples) {
    // REFERENCE.md section 2: difference charge 1,590.084 -> 1,590.08; penalty 3,180.168 -> 3,180.17.
    EXPECT_EQ(Money::parse("1590.084")->rounded(2, Rounding::half_up), *Money::parse("1590.08"));
    EXPECT_EQ(Money::parse("3180.168")->rounded(2, Rounding::half_up), *Money::parse("3180.17"));
    EXPECT_EQ(Money::parse("2.345")->rounded(2, Rounding::half_up), *Money::parse("2.35"));
    EXPECT_EQ(Money::parse("-2.345")->rounded(2, Rounding::half_up), *Money::parse("-2.35"));
}

TEST(MoneyTest, RoundsHalfEvenAndTruncates) {
    EXPECT_EQ(Money::parse("2.345")->rounded(2, Rounding::half_even), *Money::parse("2.34"));
    EXPECT_EQ(Money::parse("2.355")->rounded(2, Rounding::half_even), *Money::parse("2.36"));
    EXPECT_EQ(Money::parse("2.3499")->rounded(2, Rounding::half_even), *Money::parse("2.35"));
    EXPECT_EQ(Money::parse("-7.999")->rounded(0, Rounding::truncate), *Money::parse("-7"));
}

TEST(MoneyTest, FormatsWithTheRequestedDecimals) {
    EXPECT_EQ(Money::parse("1590.084")->to_string(), "1590.08");
    EXPECT_EQ(Money::parse("-0.005")->to_string(), "-0.01");
    EXPECT_EQ(Money::parse("12")->to_string(4), "12.0000");
    EXPECT_EQ(Money::parse("12.5")->to_string(0), "13");
}

TEST(MoneyTest, ArithmeticIsExact) {
    const Money a = *Money::parse("0.1");
    Money sum;
    for (int i = 0; i < 10; ++i) sum += a;
    EXPECT_EQ(sum, *Money::parse("1"));
    EXPECT_EQ((a * 3 - *Money::parse("0.3")).units(), 0);
}

}  // namespace
}  // namespace gridaudit
