// The interval theft scenario (generator/theft_scenario.hpp): each attack does what the
// literature defines, and the scenario is deterministic for a seed and within its ranges.
#include "generator/theft_scenario.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

namespace gridaudit {
namespace {

std::vector<double> rising_day() {
    std::vector<double> day(48);
    for (std::size_t i = 0; i < day.size(); ++i) day[i] = 1.0 + static_cast<double>(i) / 10;
    return day;
}

double total(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0);
}

TEST(TheftScenarioTest, EachAttackDoesWhatItsDefinitionSays) {
    GeneratorRng rng(1, RandomStream::theft_scenario, 99);
    const std::vector<double> original = rising_day();
    auto day = original;
    apply_theft_attack({TheftAttack::constant_factor, 0.5}, day, rng);
    for (std::size_t i = 0; i < day.size(); ++i) EXPECT_DOUBLE_EQ(day[i], 0.5 * original[i]);

    day = original;
    apply_theft_attack({TheftAttack::random_factor, 0}, day, rng);
    for (std::size_t i = 0; i < day.size(); ++i) {
        EXPECT_GE(day[i], 0.1 * original[i]);
        EXPECT_LE(day[i], 0.8 * original[i]);
    }

    day = original;
    apply_theft_attack({TheftAttack::on_off_window, 0}, day, rng);
    const auto zeros = std::count(day.begin(), day.end(), 0.0);
    EXPECT_GE(zeros, 8);   // at least 4 hours
    EXPECT_LE(zeros, 32);  // at most two thirds of the day
    const auto first = std::find(day.begin(), day.end(), 0.0) - day.begin();
    for (auto i = first; i < first + zeros; ++i) EXPECT_EQ(day[static_cast<std::size_t>(i)], 0.0);  // one window

    const double mean = total(original) / 48;
    day = original;
    apply_theft_attack({TheftAttack::share_of_mean, 0}, day, rng);
    for (double v : day) {
        EXPECT_GE(v, 0.1 * mean - 1e-12);
        EXPECT_LE(v, 0.8 * mean + 1e-12);
    }

    day = original;
    apply_theft_attack({TheftAttack::flattened, 0}, day, rng);
    for (double v : day) EXPECT_NEAR(v, mean, 1e-12);
    EXPECT_NEAR(total(day), total(original), 1e-9);

    day = original;
    apply_theft_attack({TheftAttack::reversed, 0}, day, rng);
    for (std::size_t i = 0; i < day.size(); ++i) EXPECT_DOUBLE_EQ(day[i], original[47 - i]);

    day = original;
    apply_theft_attack({TheftAttack::capped, 3.0}, day, rng);
    for (std::size_t i = 0; i < day.size(); ++i) EXPECT_DOUBLE_EQ(day[i], std::min(3.0, original[i]));

    day = original;
    apply_theft_attack({TheftAttack::minus_constant, 2.0}, day, rng);
    for (std::size_t i = 0; i < day.size(); ++i) EXPECT_DOUBLE_EQ(day[i], std::max(0.0, original[i] - 2.0));

    day = original;
    apply_theft_attack({TheftAttack::night_bypass, 0.25}, day, rng);
    for (std::size_t i = 0; i < day.size(); ++i) {
        const bool night = i < 14 || i >= 46;  // 00:00-07:00 and 23:00-24:00
        EXPECT_DOUBLE_EQ(day[i], night ? 0.25 * original[i] : original[i]) << i;
    }
}

TEST(TheftScenarioTest, DeterministicForASeedAndWithinItsRanges) {
    TheftScenarioOptions options;
    options.seed = 5;
    options.areas = 4;
    const TheftScenario a = generate_theft_scenario(options);
    const TheftScenario b = generate_theft_scenario(options);
    ASSERT_EQ(a.areas.size(), 4u);
    options.seed = 6;
    const TheftScenario other = generate_theft_scenario(options);
    EXPECT_NE(a.areas[0].area_intervals, other.areas[0].area_intervals);
    for (std::size_t k = 0; k < a.areas.size(); ++k) {
        const TheftArea& area = a.areas[k];
        EXPECT_EQ(area.area_intervals, b.areas[k].area_intervals);
        EXPECT_EQ(area.customer_daily, b.areas[k].customer_daily);
        EXPECT_GE(area.customers, 30);
        EXPECT_LE(area.customers, 300);
        int tampered = 0;
        for (int c = 0; c < area.customers; ++c) {
            const auto ci = static_cast<std::size_t>(c);
            const TheftTruth& truth = area.truth[ci];
            EXPECT_EQ(area.customer_intervals[ci].size(), area.has_intervals[ci] != 0 ? 30u * 48u : 0u);
            if (!truth.tampered) continue;
            ++tampered;
            EXPECT_GE(truth.days.size(), 2u);
            EXPECT_TRUE(std::is_sorted(truth.days.begin(), truth.days.end()));
            // Energy-keeping attacks only where intervals are metered; the others take energy.
            if (theft_attack_keeps_energy(truth.attack)) {
                EXPECT_NE(area.has_intervals[ci], 0);
                EXPECT_NEAR(truth.unmetered_kwh, 0, 1e-6);
            } else {
                EXPECT_GE(truth.unmetered_kwh, 0);
            }
        }
        EXPECT_GE(tampered, 1);
        EXPECT_LE(tampered, 5);
        // The area meter sees the true load plus 0.5-20 % technical loss: more than it bills.
        double supplied = std::accumulate(area.area_intervals.begin(), area.area_intervals.end(), 0.0);
        double metered = std::accumulate(area.customer_daily.begin(), area.customer_daily.end(), 0.0);
        EXPECT_GT(supplied, metered);
        EXPECT_LT(supplied, metered * 1.5);
    }
}

}  // namespace
}  // namespace gridaudit
