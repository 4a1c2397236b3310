// Tests of the one rounding routine and the rounding modes' names.
#include "core/rounding.hpp"

#include <gtest/gtest.h>

namespace gridaudit {
namespace {

TEST(RoundingTest, HalfUpRoundsTheRegulationExamplesAwayFromZero) {
    // REFERENCE.md section 2, in units of 0.001 to 0.01: 1,590.084 -> 1,590.08; 3,180.168 -> 3,180.17.
    EXPECT_EQ(divide_rounded(1'590'084, 10, Rounding::half_up), 159'008);
    EXPECT_EQ(divide_rounded(3'180'168, 10, Rounding::half_up), 318'017);
    EXPECT_EQ(divide_rounded(2'345, 10, Rounding::half_up), 235);
    EXPECT_EQ(divide_rounded(-2'345, 10, Rounding::half_up), -235);
    EXPECT_EQ(divide_rounded(2'344, 10, Rounding::half_up), 234);
    EXPECT_EQ(divide_half_up(-5, 10), -1);
    EXPECT_EQ(divide_half_up(4, 10), 0);
}

TEST(RoundingTest, HalfEvenRoundsATieToTheEvenNeighbour) {
    EXPECT_EQ(divide_rounded(2'345, 10, Rounding::half_even), 234);
    EXPECT_EQ(divide_rounded(2'355, 10, Rounding::half_even), 236);
    EXPECT_EQ(divide_rounded(-2'355, 10, Rounding::half_even), -236);
    EXPECT_EQ(divide_rounded(2'346, 10, Rounding::half_even), 235);  // not a tie
}

TEST(RoundingTest, TruncateDropsTowardZero) {
    EXPECT_EQ(divide_rounded(2'349, 10, Rounding::truncate), 234);
    EXPECT_EQ(divide_rounded(-7'999, 1'000, Rounding::truncate), -7);
    EXPECT_EQ(divide_rounded(0, 10, Rounding::truncate), 0);
}

TEST(RoundingTest, RoundsBeyondSixtyFourBits) {
    const Int128 big = (Int128(1) << 100) * 10 + 5;  // a tie above 2^64
    EXPECT_EQ(divide_rounded(big, 10, Rounding::half_up), (Int128(1) << 100) + 1);
    EXPECT_EQ(divide_rounded(big, 10, Rounding::half_even), Int128(1) << 100);
    EXPECT_EQ(divide_rounded(-big, 10, Rounding::half_up), -((Int128(1) << 100) + 1));
}

TEST(RoundingTest, NamesRoundTripAndNothingElseParses) {
    for (const Rounding mode : {Rounding::half_up, Rounding::half_even, Rounding::truncate})
        EXPECT_EQ(parse_rounding(rounding_name(mode)), mode);
    EXPECT_EQ(rounding_name(Rounding::half_even), "half_even");
    for (const char* bad : {"", "HALF_UP", "half-up", "half_up ", "round", "ceil"})
        EXPECT_FALSE(parse_rounding(bad).has_value()) << bad;
    EXPECT_EQ(rounding_choices, R"("half_up", "half_even" or "truncate")");
}

}  // namespace
}  // namespace gridaudit
