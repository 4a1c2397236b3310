// Usage derivation from registers: delta x multiplier, rollover, exchanges, multiplier changes.
#include "engine/vee/usage_derivation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace gridaudit {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

TEST(UsageDerivationTest, RolloverIsRecognisedByDigitCount) {
    const RegisterAdvance wrapped = register_advance(99990.0, 15.0, 5, 0.1);
    EXPECT_TRUE(wrapped.rollover);
    EXPECT_FALSE(wrapped.decrease);
    EXPECT_DOUBLE_EQ(wrapped.advance, 25.0);
    // The same values on a 6-digit register would need 900,025 units in a day: a decrease.
    const RegisterAdvance backwards = register_advance(99990.0, 15.0, 6, 0.1);
    EXPECT_TRUE(backwards.decrease);
    EXPECT_TRUE(std::isnan(backwards.advance));
    // No digits: never a rollover.
    EXPECT_TRUE(register_advance(10.0, 9.0, 0, 0.1).decrease);
}

TEST(UsageDerivationTest, DailyUsageSpreadsMissingDaysAndFlagsThem) {
    VeeSettings settings;
    std::vector<VeeException> exceptions;
    const std::vector<double> registers = {100, 102, nan_value, nan_value, 108, 107, 109};
    const DailyUsage usage = derive_daily_usage(registers, 99, 40, settings, 7, exceptions);
    ASSERT_EQ(usage.kwh.size(), 7u);
    EXPECT_DOUBLE_EQ(usage.kwh[0], 40);
    EXPECT_EQ(usage.quality[0], ValueQuality::actual);
    EXPECT_DOUBLE_EQ(usage.kwh[1], 80);
    for (int d : {2, 3, 4}) {
        EXPECT_DOUBLE_EQ(usage.kwh[d], 80) << d;  // 6 units over 3 days x 40
        EXPECT_EQ(usage.quality[d], ValueQuality::estimated) << d;
    }
    EXPECT_TRUE(std::isnan(usage.kwh[5]));
    EXPECT_EQ(usage.quality[5], ValueQuality::missing);
    EXPECT_DOUBLE_EQ(usage.kwh[6], 80);
    ASSERT_EQ(exceptions.size(), 1u);
    EXPECT_EQ(exceptions[0].check, VeeCheck::register_decrease);
    EXPECT_EQ(exceptions[0].meter, 7u);
    EXPECT_EQ(exceptions[0].index, 5);
    EXPECT_DOUBLE_EQ(exceptions[0].value, 107);
    EXPECT_DOUBLE_EQ(exceptions[0].reference, 108);
}

TEST(UsageDerivationTest, UnknownStartLeavesLeadingDaysMissing) {
    VeeSettings settings;
    std::vector<VeeException> exceptions;
    const DailyUsage usage = derive_daily_usage(std::vector<double>{nan_value, 5, 6}, nan_value, 1, settings, 0, exceptions);
    EXPECT_EQ(usage.quality[0], ValueQuality::missing);
    EXPECT_EQ(usage.quality[1], ValueQuality::missing);
    EXPECT_EQ(usage.quality[2], ValueQuality::actual);
    EXPECT_TRUE(exceptions.empty());
}

TEST(UsageDerivationTest, DailyRolloverCountsAsAdvance) {
    VeeSettings settings;
    settings.register_digits = 4;
    std::vector<VeeException> exceptions;
    const DailyUsage usage = derive_daily_usage(std::vector<double>{9998, 3}, 9990, 2, settings, 0, exceptions);
    EXPECT_DOUBLE_EQ(usage.kwh[0], 16);
    EXPECT_DOUBLE_EQ(usage.kwh[1], 10);
    EXPECT_EQ(usage.rollovers, 1);
    EXPECT_TRUE(exceptions.empty());
}

TEST(UsageDerivationTest, MeterExchangeAddsOldAndNewMeter) {
    // Old meter 1200 -> final read 1250 (x 40), new meter 0 -> 30.5 (x 60) in the same month.
    const std::vector<RegisterSegment> segments = {
        {1200, 1250, 40, 0, ValueQuality::actual, ValueQuality::actual},
        {0, 30.5, 60, 0, ValueQuality::actual, ValueQuality::actual},
    };
    const PeriodUsage usage = period_usage(segments, 0.1);
    EXPECT_DOUBLE_EQ(usage.kwh, 50 * 40 + 30.5 * 60);
    EXPECT_EQ(usage.quality, ValueQuality::actual);
}

TEST(UsageDerivationTest, MultiplierChangeAndQualityOfTheWorstRead) {
    const std::vector<RegisterSegment> segments = {
        {500, 520, 30, 0, ValueQuality::actual, ValueQuality::edited},
        {520, 600, 40, 0, ValueQuality::edited, ValueQuality::estimated},
    };
    const PeriodUsage usage = period_usage(segments, 0.1);
    EXPECT_DOUBLE_EQ(usage.kwh, 20 * 30 + 80 * 40);
    EXPECT_EQ(usage.quality, ValueQuality::estimated);
}

TEST(UsageDerivationTest, ExportRegisterWithRolloverAndABackwardsStretch) {
    const std::vector<RegisterSegment> rolled = {{99999.5, 0.5, 1, 5, ValueQuality::actual, ValueQuality::actual}};
    const PeriodUsage usage = period_usage(rolled, 0.1);
    EXPECT_TRUE(usage.rollover);
    EXPECT_DOUBLE_EQ(usage.kwh, 1.0);
    const std::vector<RegisterSegment> backwards = {{300, 200, 1, 5, ValueQuality::actual, ValueQuality::actual}};
    const PeriodUsage bad = period_usage(backwards, 0.1);
    EXPECT_TRUE(bad.decrease);
    EXPECT_TRUE(std::isnan(bad.kwh));
    EXPECT_EQ(bad.quality, ValueQuality::missing);
    EXPECT_EQ(period_usage({}, 0.1).quality, ValueQuality::missing);
}

}  // namespace
}  // namespace gridaudit
