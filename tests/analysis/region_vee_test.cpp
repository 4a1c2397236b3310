// run_region_vee over a small hand-filled frame with 15-minute intervals: interval counts apart
// from the daily ones, the register delta from the daily registers (register spread, register /
// interval mismatch), off-grid starts as clock problems, gateways validated too.
#include "analysis/region_vee.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "model/rows.hpp"

namespace gridaudit {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
const CivilDate first_day = *CivilDate::parse("2026-10-01");     // daily registers: 14 days
const CivilDate interval_day = *CivilDate::parse("2026-10-08");  // intervals: 7 days
constexpr int china = 480;

std::uint64_t check(const VeeCounts& counts, VeeCheck c) {
    return counts.exceptions[static_cast<std::size_t>(c)];
}

// Area A1 with gateway G1 (meter 0); customer C1 with meters M1 (1, intervals) and M2 (2, none).
RegionFrame make_frame() {
    RegionFrame frame;
    frame.substation_id = "S1";
    frame.network.id = {"A1"};
    frame.network.parent = {NodeIndex{}};
    frame.network.kind = {NodeKind::area};
    frame.network.name = {"A1"};
    frame.network.rated_kva = {400};
    frame.network.gateway_meter = {MeterIndex{0}};
    auto& c = frame.customers;
    c.id = {"C1"};
    c.node = {NodeIndex{0}};
    c.category = {"commercial"};
    c.voltage_kv = {0.4};
    c.contracted_kva = {50};
    c.tariff_id = {"T1"};
    c.pf_standard = {nan};
    c.status = {"active"};
    c.supply_start = {*CivilDate::parse("2026-01-01")};
    c.supply_end = {std::nullopt};
    auto& m = frame.meters;
    m.id = {"G1", "M1", "M2"};
    m.customer = {CustomerIndex{}, CustomerIndex{0}, CustomerIndex{0}};
    m.node = {NodeIndex{0}, NodeIndex{0}, NodeIndex{0}};
    m.is_gateway = {true, false, false};
    m.multiplier = {1, 1, 1};
    m.installed_on = {*CivilDate::parse("2026-01-01"), *CivilDate::parse("2026-01-01"),
                      *CivilDate::parse("2026-01-01")};
    m.removed_on = {std::nullopt, std::nullopt, std::nullopt};

    frame.daily.meter_ids = m.id;
    frame.daily.first_day = first_day;
    frame.daily.day_count = 14;
    for (int meter = 0; meter < 3; ++meter)
        for (int d = 0; d < 14; ++d) {
            // M1 advances 24 a day, 30 on 2026-10-10 (d = 9); M2 10 a day; the gateway has no registers.
            const double m1 = 1000 + 24.0 * d + (d >= 9 ? 6 : 0);
            frame.daily.import_register.push_back(meter == 0 ? nan : meter == 1 ? m1 : 500 + 10.0 * d);
            frame.daily.export_register.push_back(meter == 0 ? nan : 0);
        }

    IntervalMatrix& intervals = frame.intervals;
    intervals.first_day = interval_day;
    intervals.day_count = 7;
    intervals.utc_offset_minutes = china;
    intervals.meter_ids = {"M1", "G1"};
    frame.interval_meter = {MeterIndex{1}, MeterIndex{0}};
    const std::size_t length = intervals.row_length();
    intervals.kwh.assign(2 * length, nan);
    intervals.flags.assign(2 * length, 0);
    intervals.stored.assign(2 * 7, 0);
    intervals.coarse_intervals = {0, 1};
    for (int d = 0; d < 7; ++d) {
        // M1: 0.25 per interval = 24 a day.
        for (int i = 0; i < 96; ++i) intervals.kwh[static_cast<std::size_t>(d * 96 + i)] = 0.25;
        intervals.stored[static_cast<std::size_t>(d)] = 96;
        // G1: 1.0 per interval on 2026-10-10 .. 2026-10-14 only.
        if (d < 2) continue;
        for (int i = 0; i < 96; ++i) intervals.kwh[length + static_cast<std::size_t>(d * 96 + i)] = 1.0;
        intervals.stored[static_cast<std::size_t>(7 + d)] = 96;
    }
    // M1: 2 missing on 2026-10-09 (interpolated), 10 missing on 2026-10-11 (register spread).
    intervals.kwh[1 * 96 + 40] = intervals.kwh[1 * 96 + 41] = nan;
    for (int i = 10; i < 20; ++i) intervals.kwh[static_cast<std::size_t>(3 * 96 + i)] = nan;
    // M1: an interval starting at 10:07 local on 2026-10-12, off the grid.
    const std::int64_t local =
        static_cast<std::int64_t>((interval_day + 4).days_since_epoch()) * 86'400 + 10 * 3600 + 7 * 60;
    intervals.off_grid_meter = {0};
    intervals.off_grid_start = {local - china * 60};
    return frame;
}

TEST(RegionVeeTest, IntervalsAreValidatedAndEstimatedApartFromTheDailyValues) {
    const RegionFrame frame = make_frame();
    ASSERT_TRUE(frame.has_daily());
    ASSERT_TRUE(frame.has_intervals());
    const RegionVeeResult result = run_region_vee(frame, VeeSettings{}, first_day, first_day + 13);

    // Daily: the two customer meters over 14 days; the interval values are not in these counts.
    EXPECT_EQ(result.meters, 2u);
    EXPECT_EQ(result.counts.values, 28u);
    EXPECT_EQ(check(result.counts, VeeCheck::register_interval_mismatch), 0u);
    EXPECT_EQ(check(result.counts, VeeCheck::clock_problem), 0u);

    // Intervals: M1 over 7 days, G1 over its 5 days with intervals.
    const VeeCounts& counts = result.interval_counts;
    EXPECT_EQ(result.interval_meters, 2u);
    EXPECT_EQ(counts.values, (7u + 5u) * 96u);
    EXPECT_EQ(counts.missing, 12u);
    EXPECT_EQ(counts.interpolated, 2u);
    EXPECT_EQ(counts.register_spread, 10u);
    EXPECT_EQ(counts.like_day, 0u);
    EXPECT_EQ(counts.unestimated, 0u);
    EXPECT_EQ(check(counts, VeeCheck::gap), 2u);
    EXPECT_EQ(check(counts, VeeCheck::register_interval_mismatch), 1u);  // 2026-10-10: 24 vs 30
    EXPECT_EQ(check(counts, VeeCheck::clock_problem), 1u);
    EXPECT_EQ(result.coarse_intervals, 1u);

    std::uint64_t total = 0;
    for (const auto n : counts.exceptions) total += n;
    ASSERT_EQ(result.interval_exceptions.size(), total);
    for (const auto& e : result.interval_exceptions) {
        EXPECT_EQ(e.meter_id, "M1");
        switch (e.exception.check) {
            case VeeCheck::register_interval_mismatch:
                EXPECT_EQ(e.day, interval_day + 2);
                EXPECT_DOUBLE_EQ(e.exception.value, 24.0);
                EXPECT_DOUBLE_EQ(e.exception.reference, 30.0);
                break;
            case VeeCheck::clock_problem:
                EXPECT_EQ(e.day, interval_day + 4);
                EXPECT_EQ(e.exception.value, 7 * 60);  // seconds off the grid
                break;
            case VeeCheck::gap:
                EXPECT_TRUE(e.day == interval_day + 1 || e.day == interval_day + 3) << e.day.to_string();
                break;
            default:
                ADD_FAILURE() << vee_check_name(e.exception.check);
        }
    }
}

TEST(RegionVeeTest, IntervalDaysFollowTheRequestedDays) {
    const RegionFrame frame = make_frame();
    // Only 2026-10-10: both meters, the mismatch, nothing missing.
    const RegionVeeResult one = run_region_vee(frame, VeeSettings{}, interval_day + 2, interval_day + 2);
    EXPECT_EQ(one.interval_meters, 2u);
    EXPECT_EQ(one.interval_counts.values, 2u * 96u);
    EXPECT_EQ(one.interval_counts.missing, 0u);
    EXPECT_EQ(check(one.interval_counts, VeeCheck::register_interval_mismatch), 1u);
    EXPECT_EQ(check(one.interval_counts, VeeCheck::clock_problem), 0u);
    // Before the gateway's first interval: M1 only.
    const RegionVeeResult early = run_region_vee(frame, VeeSettings{}, first_day, interval_day + 1);
    EXPECT_EQ(early.interval_meters, 1u);
    EXPECT_EQ(early.interval_counts.values, 2u * 96u);
    // Without daily registers there is no register delta: the 10-value gap is estimated like-day.
    RegionFrame no_daily = make_frame();
    no_daily.daily = DailyMatrix{};
    const RegionVeeResult spread = run_region_vee(no_daily, VeeSettings{}, first_day, first_day + 13);
    EXPECT_EQ(spread.counts.values, 0u);
    EXPECT_EQ(spread.interval_counts.register_spread, 0u);
    EXPECT_EQ(spread.interval_counts.like_day, 10u);
    EXPECT_EQ(check(spread.interval_counts, VeeCheck::register_interval_mismatch), 0u);
    // A disabled check is not counted.
    VeeSettings settings;
    settings.enabled[static_cast<std::size_t>(VeeCheck::clock_problem)] = false;
    EXPECT_EQ(
        check(run_region_vee(frame, settings, first_day, first_day + 13).interval_counts, VeeCheck::clock_problem), 0u);
}

}  // namespace
}  // namespace gridaudit
