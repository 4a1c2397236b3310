// Meter events as theft indicators (analysis/meter_event_indicators.hpp): codes map to indicators
// and back, outages count for nothing, an alarm repeated within a day is one event, durations are
// summed, and the weighted score follows the weights.
#include "analysis/meter_event_indicators.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace gridaudit {
namespace {

CivilDate day(int d) {
    return CivilDate::from_ymd(2026, 9, d);
}

TEST(MeterEventIndicatorsTest, CodesMapToIndicatorsAndOutagesToNone) {
    for (int k = 0; k < tamper_indicator_count; ++k) {
        const auto indicator = static_cast<TamperIndicator>(k);
        EXPECT_EQ(tamper_indicator_of(tamper_indicator_code(indicator)), indicator);
    }
    EXPECT_EQ(tamper_indicator_code(TamperIndicator::clock_change), "clock_drift");
    EXPECT_FALSE(tamper_indicator_of("power_off"));
    EXPECT_FALSE(tamper_indicator_of("power_on"));
    EXPECT_FALSE(tamper_indicator_of("meter_stopped"));
}

TEST(MeterEventIndicatorsTest, RepeatsWithinADayCountOnceAndDurationsAddUp) {
    const std::vector<TamperEventRecord> events{{day(3), "current_loss", 3600}, {day(3), "current_loss", 1800},
                                                {day(2), "cover_open", 600},    {day(5), "power_off", 7200},
                                                {day(9), "current_loss", 900},  {day(9), "clock_drift", std::nan("")}};
    const TamperEvents e = tamper_events_of(events);
    const auto at = [](TamperIndicator i) { return static_cast<std::size_t>(i); };
    EXPECT_EQ(e.count[at(TamperIndicator::current_loss)], 2);  // days 3 and 9
    EXPECT_DOUBLE_EQ(e.duration_s[at(TamperIndicator::current_loss)], 6300);
    EXPECT_EQ(e.count[at(TamperIndicator::cover_open)], 1);
    EXPECT_EQ(e.count[at(TamperIndicator::clock_change)], 1);
    EXPECT_DOUBLE_EQ(e.duration_s[at(TamperIndicator::clock_change)], 0);
    EXPECT_EQ(e.days, 3);  // 2, 3 and 9: the outage is none
    EXPECT_EQ(e.first_day, day(2));
    EXPECT_EQ(e.last_day, day(9));
    EXPECT_DOUBLE_EQ(e.score, 2 * 1.0 + 1.0 + 0.5);  // current loss 1, cover 1, clock 0.5
}

TEST(MeterEventIndicatorsTest, TheWeightsDecideTheScore) {
    const std::vector<TamperEventRecord> events{{day(3), "magnetic_field", 60}, {day(4), "voltage_loss", 60}};
    EXPECT_DOUBLE_EQ(tamper_events_of(events).score, 2.5);
    TamperWeights weights;
    weights.weight[static_cast<std::size_t>(TamperIndicator::magnetic_field)] = 0;
    EXPECT_DOUBLE_EQ(tamper_events_of(events, weights).score, 0.5);
    EXPECT_EQ(tamper_events_of({}).score, 0);
    EXPECT_FALSE(tamper_events_of({}).first_day);
}

}  // namespace
}  // namespace gridaudit
