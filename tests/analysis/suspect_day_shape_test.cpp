// The statistics of one day of interval readings (analysis/suspect_day_shape.hpp) on handmade
// days: zero windows, a flattened day, a ceiling, a reversed day, the night share.
#include "analysis/suspect_day_shape.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace gridaudit {
namespace {

// An evening-peaked day of 48 half-hours: 0.1 kWh at night rising to 0.5 kWh at 19:00-20:00.
std::vector<double> evening_day() {
    std::vector<double> day(48);
    for (std::size_t i = 0; i < day.size(); ++i) {
        const double hour = static_cast<double>(i) / 2;
        day[i] = 0.1 + 0.4 * std::exp(-(hour - 19.5) * (hour - 19.5) / 8) + 0.01 * static_cast<double>(i % 3);
    }
    return day;
}

TEST(SuspectDayShapeTest, AnOrdinaryDayFollowsItsProfile) {
    const std::vector<double> day = evening_day();
    const DayShape shape = day_shape(day, day);
    EXPECT_EQ(shape.zero_count, 0);
    EXPECT_EQ(shape.ties_at_max, 1);
    EXPECT_NEAR(shape.profile_r, 1.0, 1e-12);
    EXPECT_LT(shape.reversed_r, 0.2);
    EXPECT_GT(shape.variation, 0.3);
    double night = 0, total = 0;
    for (std::size_t i = 0; i < day.size(); ++i) {
        total += day[i];
        if (i >= 46 || i < 14) night += day[i];
    }
    EXPECT_NEAR(shape.night_share, night / total, 1e-12);
    EXPECT_NEAR(shape.energy, total, 1e-12);
}

TEST(SuspectDayShapeTest, TheAttacksLeaveTheirMarks) {
    const std::vector<double> profile = evening_day();
    std::vector<double> zeroed = profile;  // h3: zero from 08:00 to 14:00
    std::fill(zeroed.begin() + 16, zeroed.begin() + 28, 0.0);
    EXPECT_EQ(day_shape(zeroed, profile).zero_count, 12);

    std::vector<double> flat(48, 0.2);  // h5
    const DayShape flat_shape = day_shape(flat, profile);
    EXPECT_NEAR(flat_shape.variation, 0.0, 1e-12);
    EXPECT_TRUE(std::isnan(flat_shape.profile_r));

    std::vector<double> capped = profile;  // a ceiling at 0.3 kWh
    for (double& v : capped) v = std::min(v, 0.3);
    const auto above = std::count_if(profile.begin(), profile.end(), [](double v) { return v >= 0.3; });
    EXPECT_EQ(day_shape(capped, profile).ties_at_max, above);
    EXPECT_GE(above, 3);

    std::vector<double> reversed(profile.rbegin(), profile.rend());  // h6
    const DayShape reversed_shape = day_shape(reversed, profile);
    EXPECT_NEAR(reversed_shape.reversed_r, 1.0, 1e-12);
    EXPECT_LT(reversed_shape.profile_r, 0.2);
}

TEST(SuspectDayShapeTest, SignalsHaveNames) {
    EXPECT_EQ(suspect_signal_name(SuspectSignal::loss_correlation), "loss-correlation");
    EXPECT_EQ(suspect_signal_name(SuspectSignal::night_drop), "night-drop");
}

}  // namespace
}  // namespace gridaudit
