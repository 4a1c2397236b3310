// The one usage derivation of a frame's registers: the days a meter is installed on, and the two
// rules for the first day's advance (the balance's zero at installation, VEE's previous register).
#include "analysis/meter_usage.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace gridaudit {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

// Two meters over 10 days: M1 installed before the window, M2 installed on day 3 and removed on day 8.
RegionFrame two_meters() {
    RegionFrame frame;
    const CivilDate first = CivilDate::from_ymd(2026, 3, 1);
    frame.meters.id = {"M1", "M2"};
    frame.meters.multiplier = {1, 2};
    frame.meters.installed_on = {first - 30, first + 3};
    frame.meters.removed_on = {std::nullopt, first + 8};
    frame.daily.meter_ids = frame.meters.id;
    frame.daily.first_day = first;
    frame.daily.day_count = 10;
    for (int d = 0; d < 10; ++d) frame.daily.import_register.push_back(100 + 5.0 * d);
    for (int d = 0; d < 10; ++d) frame.daily.import_register.push_back(d >= 3 && d < 8 ? 7 + 1.0 * (d - 3) : nan_value);
    return frame;
}

TEST(MeterUsageTest, InstalledDaysAreClampedToTheWindowAndTheMeter) {
    const RegionFrame frame = two_meters();
    const InstalledDays m1 = installed_days(frame, 0, 0, 10);
    EXPECT_EQ(m1.begin, 0);
    EXPECT_EQ(m1.end, 10);
    const InstalledDays m2 = installed_days(frame, 1, 0, 10);
    EXPECT_EQ(m2.begin, 3);
    EXPECT_EQ(m2.end, 8);  // removed on day 8: installed through day 7
    EXPECT_EQ(m2.size(), 5u);
    EXPECT_TRUE(installed_days(frame, 1, 8, 10).empty());
    EXPECT_EQ(installed_days(frame, 1, 4, 6).begin, 4);
    EXPECT_EQ(installed_days(frame, 1, 4, 6).end, 6);
}

TEST(MeterUsageTest, ABalanceStartsANewMeterFromZeroAndVeeFromThePreviousRegister) {
    const RegionFrame frame = two_meters();
    std::vector<VeeException> exceptions;
    const InstalledDays m2 = installed_days(frame, 1, 0, 10);
    const DailyUsage from_zero = meter_daily_usage(frame, 1, frame.daily.import_register, m2,
                                                   UsageStart::zero_at_installation, VeeSettings{}, exceptions);
    ASSERT_EQ(from_zero.kwh.size(), 5u);
    EXPECT_DOUBLE_EQ(from_zero.kwh[0], 14.0);  // first read 7 from 0, x multiplier 2
    EXPECT_DOUBLE_EQ(from_zero.kwh[1], 2.0);
    const DailyUsage previous = meter_daily_usage(frame, 1, frame.daily.import_register, m2,
                                                  UsageStart::previous_register, VeeSettings{}, exceptions);
    EXPECT_TRUE(std::isnan(previous.kwh[0]));  // the register before installation is missing
    EXPECT_EQ(previous.quality[0], ValueQuality::missing);
    EXPECT_DOUBLE_EQ(previous.kwh[1], 2.0);
    // A meter installed before the window: both rules take the register of the day before, none on day 0.
    const InstalledDays later = installed_days(frame, 0, 4, 10);
    for (const UsageStart start : {UsageStart::zero_at_installation, UsageStart::previous_register}) {
        const DailyUsage usage =
            meter_daily_usage(frame, 0, frame.daily.import_register, later, start, VeeSettings{}, exceptions);
        EXPECT_DOUBLE_EQ(usage.kwh[0], 5.0);
    }
    const DailyUsage whole = meter_daily_usage(frame, 0, frame.daily.import_register, installed_days(frame, 0, 0, 10),
                                               UsageStart::zero_at_installation, VeeSettings{}, exceptions);
    EXPECT_TRUE(std::isnan(whole.kwh[0]));
    EXPECT_TRUE(exceptions.empty());
}

}  // namespace
}  // namespace gridaudit
