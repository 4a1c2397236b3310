// Tests of register advance over a window with gaps.
#include "engine/register_usage.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gridaudit {
namespace {

TEST(RegisterUsageTest, UsesFirstAndLastValidValues) {
    const double nan = std::nan("");
    const double with_gaps[] = {nan, 10.0, nan, 14.5, 20.0, nan};
    EXPECT_DOUBLE_EQ(registered_delta(with_gaps, 6), 10.0);
    const double one_value[] = {nan, 3.0, nan};
    EXPECT_TRUE(std::isnan(registered_delta(one_value, 3)));
    EXPECT_TRUE(std::isnan(registered_delta(one_value, 0)));
}

}  // namespace
}  // namespace gridaudit
