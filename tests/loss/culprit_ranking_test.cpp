// The loss jump of an area, and the fits of a customer moved to another area or metered with a wrong
// multiplier (the culprits themselves: loss_decomposition_test.cpp).
#include "engine/balance/culprit_ranking.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace gridaudit {
namespace {

// A seeded linear congruential generator: deterministic noise in 0..1.
struct Noise {
    std::uint64_t state;
    double next() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) / static_cast<double>(1ULL << 53);
    }
};

// An area of `customers` customers over `days` days; customer `culprit` registers only `kept` of
// its consumption from day `from`. Supply = true consumption / (1 - 4 %).
struct Area {
    std::int32_t days;
    std::vector<float> usage;  // registered
    std::vector<double> supply, sales;
    Area(int customers, std::int32_t day_count, int culprit, std::int32_t from, double kept) : days(day_count) {
        Noise noise{42};
        usage.resize(static_cast<std::size_t>(customers * days));
        supply.assign(static_cast<std::size_t>(days), 0);
        sales.assign(static_cast<std::size_t>(days), 0);
        std::vector<double> weather(static_cast<std::size_t>(days));
        for (auto& w : weather) w = 0.8 + 0.4 * noise.next();
        for (int c = 0; c < customers; ++c) {
            const double mean = c == culprit ? 30 : 4 + 6 * noise.next();
            for (std::int32_t d = 0; d < days; ++d) {
                const double truth = mean * weather[static_cast<std::size_t>(d)] * (0.7 + 0.6 * noise.next());
                const double registered = c == culprit && d >= from ? truth * kept : truth;
                usage[static_cast<std::size_t>(c * days + d)] = static_cast<float>(registered);
                supply[static_cast<std::size_t>(d)] += truth / 0.96;
                sales[static_cast<std::size_t>(d)] += static_cast<float>(registered);
            }
        }
    }
    UsageMatrix matrix(std::size_t rows) const { return {usage.data(), rows, days}; }
};

TEST(CulpritRankingTest, FindsTheDayTheLossJumped) {
    const Area area(20, 90, 7, 50, 0.4);
    const LossChange change = find_loss_change(area.supply, area.sales, LossChangeOptions{});
    EXPECT_EQ(change.day, 50);
    EXPECT_NEAR(change.rate_before, 0.04, 0.005);
    EXPECT_GT(change.rate_after, 0.10);
}

TEST(CulpritRankingTest, NoJumpInACleanArea) {
    const Area area(20, 90, -1, 0, 1.0);
    const LossChange change = find_loss_change(area.supply, area.sales, LossChangeOptions{});
    EXPECT_EQ(change.day, -1);
    EXPECT_NEAR(change.rate_after, 0.04, 0.001);
}

// Two CT customers of one area billed at half and at 1.5x their true multiplier, their usages moving
// together (a common weekday pattern): fitted jointly, each coefficient is its own (k - 1).
TEST(CulpritRankingTest, JointFitSeparatesTwoWrongMultipliersThatMoveTogether) {
    Noise noise{7};
    const std::int32_t days = 300;
    std::vector<float> a(days), b(days);
    std::vector<double> supply(days), sales(days);
    for (std::int32_t d = 0; d < days; ++d) {
        const double common = (d % 7 >= 5 ? 0.5 : 1.0) * (0.9 + 0.2 * noise.next());
        const double true_a = 200 * common * (0.9 + 0.2 * noise.next()), true_b = 150 * common * (0.9 + 0.2 * noise.next());
        const double others = 1000 * (0.95 + 0.1 * noise.next());
        a[static_cast<std::size_t>(d)] = static_cast<float>(true_a / 2);          // billed at half: k = 2
        b[static_cast<std::size_t>(d)] = static_cast<float>(true_b / 1.5);  // billed at 2/3: k = 1.5
        supply[static_cast<std::size_t>(d)] = (true_a + true_b + others) / 0.96 + 3 * (noise.next() - 0.5);
        sales[static_cast<std::size_t>(d)] = a[static_cast<std::size_t>(d)] + b[static_cast<std::size_t>(d)] + others;
    }
    const AreaChanges changes = area_changes(supply, sales, 0.04);
    const std::vector<const float*> usages{a.data(), b.data()};
    const auto fits = fit_joint_usage_changes(usages, changes, 0, days);
    ASSERT_EQ(fits.size(), 2u);
    EXPECT_NEAR(fits[0].coefficient, 1.0, 0.05);
    EXPECT_NEAR(fits[1].coefficient, 0.5, 0.05);
    EXPECT_GT(fits[0].t, 10);
    EXPECT_GT(fits[1].t, 10);
    // One suspect only: it cannot be fitted with fewer days than parameters.
    EXPECT_EQ(fit_joint_usage_changes(usages, changes, 0, 5)[0].coefficient, 0.0);
}

}  // namespace
}  // namespace gridaudit
