// The shared LOSS analysis: one derivation and balance per frame content and thresholds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "rules/loss/loss_analysis.hpp"

namespace gridaudit {
namespace {

// One area with a gateway and two customers, 40 days of registers growing by 10, 4 and 5 kWh a day.
RegionFrame small_frame() {
    RegionFrame frame;
    frame.substation_id = "S1";
    frame.network.id = {"A1"};
    frame.network.parent = {NodeIndex()};
    frame.network.kind = {NodeKind::area};
    frame.network.name = {"Area 1"};
    frame.network.rated_kva = {100};
    frame.network.gateway_meter = {MeterIndex(0)};
    frame.customers.id = {"C1", "C2"};
    frame.customers.node = {NodeIndex(0), NodeIndex(0)};
    MeterColumns& meters = frame.meters;
    meters.id = {"G1", "M1", "M2"};
    meters.customer = {CustomerIndex(), CustomerIndex(0), CustomerIndex(1)};
    meters.node = {NodeIndex(0), NodeIndex(0), NodeIndex(0)};
    meters.is_gateway = {true, false, false};
    meters.multiplier = {1, 1, 1};
    meters.ct_ratio = {1, 1, 1};
    meters.pt_ratio = {1, 1, 1};
    const CivilDate first = CivilDate::from_ymd(2026, 9, 1);
    meters.installed_on = {first - 100, first - 100, first - 100};
    meters.removed_on = {std::nullopt, std::nullopt, std::nullopt};
    frame.daily.meter_ids = meters.id;
    frame.daily.first_day = first;
    frame.daily.day_count = 40;
    const double per_day[] = {10, 4, 5};
    for (std::size_t m = 0; m < 3; ++m)
        for (int d = 0; d < 40; ++d) {
            frame.daily.import_register.push_back(1000 + per_day[m] * d);
            frame.daily.export_register.push_back(std::numeric_limits<double>::quiet_NaN());
        }
    return frame;
}

TEST(LossAnalysisTest, SharedAnalysisIsComputedOncePerFrameAndThresholds) {
    RegionFrame frame = small_frame();
    const LossThresholds thresholds;
    const auto first = shared_loss_analysis(frame, thresholds, "LOSS-AREA-HIGH");
    ASSERT_TRUE(first);
    const auto again = shared_loss_analysis(frame, thresholds, "LOSS-SUSPECT");
    EXPECT_EQ(first.get(), again.get());
    // Other thresholds: another balance over the same derived series.
    LossThresholds feeder = thresholds;
    feeder.high_rate = 0.05;
    const auto other = shared_loss_analysis(frame, feeder, "LOSS-FEEDER-HIGH");
    ASSERT_TRUE(other);
    EXPECT_NE(first.get(), other.get());
    EXPECT_EQ(first->series.get(), other->series.get());
    // The same as a fresh analysis.
    const auto fresh = analyse_loss(frame, thresholds);
    ASSERT_TRUE(fresh);
    // Day 0 is NaN (no previous register value); compare the rest exactly.
    EXPECT_TRUE(std::isnan(first->balance.daily.supply[0]));
    EXPECT_TRUE(std::equal(fresh->balance.daily.sales.begin() + 1, fresh->balance.daily.sales.end(),
                           first->balance.daily.sales.begin() + 1));
    EXPECT_EQ(fresh->balance.daily.loss_class, first->balance.daily.loss_class);
    EXPECT_EQ(fresh->balance.monthly.loss_class, first->balance.monthly.loss_class);
    EXPECT_DOUBLE_EQ(first->balance.daily.loss(0, 5), 1.0);  // 10 in, 4 + 5 sold
}

TEST(LossAnalysisTest, AChangedFrameAtTheSameAddressIsAnalysedAfresh) {
    RegionFrame frame = small_frame();
    const auto before = shared_loss_analysis(frame, LossThresholds{}, "LOSS-TOPOLOGY");
    ASSERT_TRUE(before);
    EXPECT_DOUBLE_EQ(before->balance.daily.supply[5], 10.0);
    // The gateway registers now advance 12 a day: same address, same sizes, other content.
    for (int d = 0; d < 40; ++d) frame.daily.import_register[static_cast<std::size_t>(d)] = 1000 + 12.0 * d;
    const auto after = shared_loss_analysis(frame, LossThresholds{}, "LOSS-TOPOLOGY");
    ASSERT_TRUE(after);
    EXPECT_NE(before.get(), after.get());
    EXPECT_DOUBLE_EQ(after->balance.daily.supply[5], 12.0);
    EXPECT_DOUBLE_EQ(before->balance.daily.supply[5], 10.0) << "an analysis handed out stays valid";
}

TEST(LossAnalysisTest, AFrameWithoutDailySeriesHasNoAnalysis) {
    RegionFrame frame = small_frame();
    frame.daily = DailyMatrix{};
    EXPECT_EQ(shared_loss_analysis(frame, LossThresholds{}, "LOSS-AREA-HIGH"), nullptr);
    EXPECT_FALSE(analyse_loss(frame, LossThresholds{}));
}

}  // namespace
}  // namespace gridaudit
