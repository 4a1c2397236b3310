// Validation and estimation of interval and daily series: every check fires on its case, and
// estimation never overwrites an actual value.
#include "engine/vee/series_vee.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "model/rows.hpp"

namespace gridaudit {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

struct VeeRun {
    std::vector<double> estimate;
    std::vector<ValueQuality> quality;
    std::vector<VeeException> exceptions;
    VeeCounts counts;
    [[nodiscard]] int count(VeeCheck check) const {
        int n = 0;
        for (const auto& e : exceptions) n += e.check == check;
        return n;
    }
};

VeeRun run(const SeriesView& view, const VeeSettings& settings = VeeSettings{}) {
    VeeRun r;
    r.estimate.resize(view.values.size());
    r.quality.resize(view.values.size());
    SeriesWorkspace workspace;
    validate_and_estimate(view, settings, 3, {r.estimate, r.quality, /*method=*/{}}, workspace, r.exceptions, r.counts);
    return r;
}

// days x 4 values a day, value 1 + slot/10 everywhere.
std::vector<double> flat_days(int days) {
    std::vector<double> values;
    for (int d = 0; d < days; ++d)
        for (int s = 0; s < 4; ++s) values.push_back(1.0 + s / 10.0);
    return values;
}

TEST(SeriesVeeTest, CleanSeriesHasNoException) {
    const auto values = flat_days(14);
    const VeeRun r = run({values, {}, 4, {}, {}, {}});
    EXPECT_TRUE(r.exceptions.empty());
    for (ValueQuality q : r.quality) EXPECT_EQ(q, ValueQuality::actual);
    EXPECT_EQ(r.counts.values, 56u);
}

TEST(SeriesVeeTest, ShortGapIsInterpolatedLinearly) {
    auto values = flat_days(14);
    values[9] = 5;  // day 2 slot 1 ... make neighbours distinct
    values[8] = 2;
    values[10] = nan_value;  // gap of 2 between 2 ... wait: 8=2, 9=5 -> put the gap after 9
    values[11] = nan_value;
    values[12] = 8;
    VeeSettings settings;
    settings.max_interpolation_values = 2;
    settings.enabled[static_cast<std::size_t>(VeeCheck::spike_history)] = false;
    settings.enabled[static_cast<std::size_t>(VeeCheck::spike_neighbours)] = false;
    const VeeRun r = run({values, {}, 4, {}, {}, {}}, settings);
    EXPECT_DOUBLE_EQ(r.estimate[10], 6);
    EXPECT_DOUBLE_EQ(r.estimate[11], 7);
    EXPECT_EQ(r.quality[10], ValueQuality::estimated);
    EXPECT_EQ(r.counts.interpolated, 2u);
    ASSERT_EQ(r.count(VeeCheck::gap), 1);
    EXPECT_EQ(r.exceptions.front().index, 10);
    EXPECT_EQ(r.exceptions.front().count, 2);
    EXPECT_TRUE(std::isnan(values[10])) << "raw values are never modified";
}

TEST(SeriesVeeTest, LongGapInsideABracketedDaySpreadsTheRegisterRemainder) {
    auto values = flat_days(10);  // a day sums to 4.6
    std::vector<double> delta(10, 4.6);
    delta[3] = 6.0;
    values[13] = values[14] = values[15] = nan_value;  // day 3: slot 0 = 1.0 known, 3 missing
    VeeSettings settings;
    settings.max_interpolation_values = 2;
    const VeeRun r = run({values, {}, 4, delta, {}, {}}, settings);
    for (int i = 13; i <= 15; ++i) EXPECT_NEAR(r.estimate[static_cast<std::size_t>(i)], (6.0 - 1.0) / 3, 1e-12);
    EXPECT_EQ(r.counts.register_spread, 3u);
    EXPECT_EQ(r.count(VeeCheck::register_interval_mismatch), 0) << "an incomplete day is not compared";
}

TEST(SeriesVeeTest, LongGapWithoutRegistersUsesThreeNearestLikeDays) {
    // 15 days, value = day number at every slot; day type = weekday parity.
    std::vector<double> values;
    std::vector<std::uint8_t> type;
    std::vector<std::uint8_t> flags(15 * 4, 0);
    for (int d = 0; d < 15; ++d) {
        for (int s = 0; s < 4; ++s) values.push_back(1.0 + d * 0.01);
        type.push_back(static_cast<std::uint8_t>(d % 2));
    }
    for (int s = 0; s < 4; ++s) values[7 * 4 + s] = nan_value;  // all of day 7 (type 1)
    flags[5 * 4 + 2] = interval_power_out;                       // day 5 slot 2 is not usable
    VeeSettings settings;
    settings.max_interpolation_values = 2;
    const VeeRun r = run({values, flags, 4, {}, {}, type}, settings);
    // Same-type neighbours: 5, 9, 3 (then 11). Slot 2 skips day 5: 9, 3, 11.
    EXPECT_NEAR(r.estimate[7 * 4 + 0], 1.0 + (5 + 9 + 3) * 0.01 / 3, 1e-12);
    EXPECT_NEAR(r.estimate[7 * 4 + 2], 1.0 + (9 + 3 + 11) * 0.01 / 3, 1e-12);
    EXPECT_EQ(r.counts.like_day, 4u);
}

TEST(SeriesVeeTest, EachCheckFiresOnItsCase) {
    auto values = flat_days(20);
    std::vector<std::uint8_t> flags(values.size(), 0);
    std::vector<std::uint8_t> active(20, 1);
    std::vector<double> delta(20, 4.6);
    values[5 * 4 + 1] = -0.3;                                        // negative
    values[6 * 4 + 2] = 40;                                          // spike (neighbours and history)
    for (int d = 9; d < 12; ++d)
        for (int s = 0; s < 4; ++s) values[static_cast<std::size_t>(d * 4 + s)] = 0;  // 3 zero days
    for (int s = 0; s < 4; ++s) values[static_cast<std::size_t>(14 * 4 + s)] = 7;    // high day (28 vs 4.6)
    delta[16] = 9.0;                                                 // register advanced more than the intervals
    active[18] = 0;                                                  // consumption while inactive
    for (int i = 0; i < 3; ++i) flags[static_cast<std::size_t>(17 * 4 + i)] = interval_estimated;
    flags[19 * 4 + 3] = interval_clock_adjusted;
    VeeSettings settings;
    settings.prolonged_estimation_values = 3;
    settings.spike_history_factor = 10;
    settings.high_usage_factor = 3;
    const VeeRun r = run({values, flags, 4, delta, active, {}}, settings);
    EXPECT_EQ(r.count(VeeCheck::negative_consumption), 1);
    EXPECT_EQ(r.count(VeeCheck::spike_neighbours), 1);
    EXPECT_EQ(r.count(VeeCheck::spike_history), 1);
    EXPECT_EQ(r.count(VeeCheck::zero_consumption), 1);
    EXPECT_EQ(r.count(VeeCheck::high_usage), 2) << "the spike day and the high day";
    EXPECT_EQ(r.count(VeeCheck::inactive_consumption), 1);
    EXPECT_EQ(r.count(VeeCheck::prolonged_estimation), 1);
    EXPECT_EQ(r.count(VeeCheck::clock_problem), 1);
    // Register mismatches: day 5 (negative), 6 (spike), 9-11 (zero), 14 (high), 16 (delta); not 17 (meter-estimated).
    EXPECT_EQ(r.count(VeeCheck::register_interval_mismatch), 7);
    EXPECT_EQ(r.count(VeeCheck::gap), 0);
    for (const auto& e : r.exceptions) EXPECT_EQ(e.meter, 3u);
    EXPECT_EQ(r.quality[17 * 4], ValueQuality::estimated);
}

TEST(SeriesVeeTest, DisabledChecksStaySilent) {
    auto values = flat_days(10);
    values[7] = -1;
    VeeSettings settings;
    settings.enabled.fill(false);
    const VeeRun r = run({values, {}, 4, {}, {}, {}}, settings);
    EXPECT_TRUE(r.exceptions.empty());
}

TEST(SeriesVeeTest, DuplicatesAndOffGridTimestamps) {
    const std::vector<std::int64_t> starts = {0, 900, 900, 1800 + 7, 2700};
    std::vector<VeeException> exceptions;
    VeeCounts counts;
    check_interval_timestamps(starts, 15, VeeSettings{}, 1, exceptions, counts);
    ASSERT_EQ(exceptions.size(), 2u);
    EXPECT_EQ(exceptions[0].check, VeeCheck::duplicate);
    EXPECT_EQ(exceptions[0].index, 2);
    EXPECT_EQ(exceptions[1].check, VeeCheck::clock_problem);
    EXPECT_DOUBLE_EQ(exceptions[1].value, 7);
}

// Property: whatever the gaps, an actual value is never given an estimate, and every missing
// value is either estimated or counted as left missing.
TEST(SeriesVeeTest, EstimationNeverOverwritesAnActualValue) {
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::uint32_t>(state >> 33);
    };
    for (int trial = 0; trial < 50; ++trial) {
        const int days = 10 + static_cast<int>(next() % 20);
        std::vector<double> values;
        std::vector<std::uint8_t> type;
        for (int d = 0; d < days; ++d) {
            type.push_back(static_cast<std::uint8_t>(d % 7 >= 5));
            for (int s = 0; s < 96; ++s) values.push_back((next() % 1000) / 100.0);
        }
        for (int g = 0; g < 20; ++g) {
            const std::size_t at = next() % values.size();
            const std::size_t length = 1 + next() % 40;
            for (std::size_t k = at; k < std::min(values.size(), at + length); ++k) values[k] = nan_value;
        }
        std::vector<double> delta(static_cast<std::size_t>(days), 480.0);
        const VeeRun r = run({values, {}, 96, delta, {}, type});
        std::uint64_t missing = 0;
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (!std::isnan(values[i])) {
                EXPECT_TRUE(std::isnan(r.estimate[i])) << "trial " << trial << " value " << i;
                EXPECT_EQ(r.quality[i], ValueQuality::actual);
            } else {
                ++missing;
                EXPECT_EQ(std::isnan(r.estimate[i]), r.quality[i] == ValueQuality::missing);
            }
        }
        EXPECT_EQ(r.counts.missing, missing);
        EXPECT_EQ(r.counts.interpolated + r.counts.register_spread + r.counts.like_day + r.counts.unestimated, missing);
    }
}

}  // namespace
}  // namespace gridaudit
