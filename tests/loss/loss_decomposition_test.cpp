// The decomposition of an area's loss into culprits: one bypass, several culprits with different
// start days beside an honest customer who went away, a theft that ended, a theft older than the
// window, a clean area, a spike from a shared gap, and the candidate roles.
#include "engine/balance/loss_decomposition.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace gridaudit {
namespace {

// A seeded linear congruential generator: deterministic noise.
struct Noise {
    std::uint64_t state;
    double uniform() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) / static_cast<double>(1ULL << 53);
    }
    double normal() {  // sum of 12 uniforms: close enough to a standard normal
        double sum = 0;
        for (int i = 0; i < 12; ++i) sum += uniform();
        return sum - 6;
    }
};

// What a customer's meter does to its consumption from `from` until `to` (exclusive).
struct Anomaly {
    enum Kind { bypass, stopped, reversed } kind = bypass;
    std::int32_t from = 0, to = 1 << 30;
    double fraction = 0.5;  // bypass: share taken unmetered
};

// An area over `days` days: customers with their own mean, a shared weather factor and their own
// day-to-day noise; technical loss 4 % of supply with 0.3 % daily noise on the rate, as the
// generator makes it. Usage rows are registered net usage (negative when registered backwards).
class Area {
public:
    Area(std::int32_t days, std::uint64_t seed) : days_(days), noise_{seed}, weather_(static_cast<std::size_t>(days)) {
        for (std::int32_t d = 0; d < days; ++d)
            weather_[static_cast<std::size_t>(d)] = 1 + 0.25 * std::sin(d * 2 * 3.14159 / 365) + (d % 7 >= 5 ? 0.08 : 0);
    }

    // Adds a customer; returns its row.
    std::uint32_t add(double mean, std::optional<Anomaly> anomaly = std::nullopt, double away_from_day = -1,
                      double away_share = 1) {
        std::vector<double> truth(static_cast<std::size_t>(days_)), registered(static_cast<std::size_t>(days_));
        double level = 0;
        for (std::int32_t d = 0; d < days_; ++d) {
            level = 0.6 * level + 0.15 * noise_.normal();
            double consumption = mean * weather_[static_cast<std::size_t>(d)] * std::max(0.1, 1 + level);
            if (away_from_day >= 0 && d >= away_from_day) consumption *= away_share;  // honest: away, less used
            double metered = consumption;
            if (anomaly && d >= anomaly->from && d < anomaly->to) {
                switch (anomaly->kind) {
                    case Anomaly::bypass: metered = consumption * (1 - anomaly->fraction); break;
                    case Anomaly::stopped: metered = 0; break;
                    case Anomaly::reversed: metered = -consumption; break;
                }
            }
            truth[static_cast<std::size_t>(d)] = consumption;
            registered[static_cast<std::size_t>(d)] = metered;
        }
        truth_.push_back(std::move(truth));
        registered_.push_back(std::move(registered));
        return static_cast<std::uint32_t>(registered_.size() - 1);
    }

    // Energy the customer's meter left out over the whole window (what the loss holds for it).
    [[nodiscard]] double unmetered(std::uint32_t row) const {
        double sum = 0;
        for (std::int32_t d = 0; d < days_; ++d)
            sum += truth_[row][static_cast<std::size_t>(d)] - registered_[row][static_cast<std::size_t>(d)];
        return sum;
    }

    // Builds the matrix and the balance (supply = true consumption / (1 - rate)). A row in
    // `not_supplied` is sold here but supplied elsewhere; a row in `not_sold` is supplied here and
    // sold elsewhere (both: records that put a customer under the wrong area).
    void close(std::vector<std::uint32_t> not_supplied = {}, std::vector<std::uint32_t> not_sold = {}) {
        const std::size_t rows = registered_.size(), days = static_cast<std::size_t>(days_);
        auto in = [](const std::vector<std::uint32_t>& list, std::size_t r) {
            return std::find(list.begin(), list.end(), r) != list.end();
        };
        usage_.assign(rows * days, 0.0f);
        supply_.assign(days, 0.0);
        sales_.assign(days, 0.0);
        for (std::size_t d = 0; d < days; ++d) {
            double consumed = 0;
            for (std::size_t r = 0; r < rows; ++r) {
                usage_[r * days + d] = static_cast<float>(registered_[r][d]);
                if (!in(not_sold, r)) sales_[d] += static_cast<float>(registered_[r][d]);
                if (!in(not_supplied, r)) consumed += truth_[r][d];
            }
            supply_[d] = consumed / (1 - (0.04 + 0.003 * noise_.normal()));
        }
    }

    [[nodiscard]] LossDecomposition decompose(std::vector<CandidateRole> roles = {},
                                              const DecompositionOptions& options = {}) const {
        return decompose_rows(static_cast<std::uint32_t>(registered_.size()), roles, {}, options);
    }

    // The node's customers are rows [0, end); `misfiled` may name rows beyond.
    [[nodiscard]] LossDecomposition decompose_rows(std::uint32_t end, std::vector<CandidateRole> roles,
                                                   std::vector<MisfiledCustomer> misfiled,
                                                   const DecompositionOptions& options = {}) const {
        const UsageMatrix matrix{usage_.data(), registered_.size(), days_};
        return decompose_loss(matrix, 0, end, supply_, sales_, roles, options, misfiled);
    }

    std::vector<double>& supply() { return supply_; }

private:
    std::int32_t days_;
    Noise noise_;
    std::vector<double> weather_;
    std::vector<std::vector<double>> truth_, registered_;
    std::vector<float> usage_;
    std::vector<double> supply_, sales_;
};

const CulpritTerm* term_of(const LossDecomposition& decomposition, std::uint32_t row) {
    for (const CulpritTerm& term : decomposition.terms)
        if (term.row == row) return &term;
    return nullptr;
}

// Households of 3-12 kWh a day and a few shops of 20-40.
void add_households(Area& area, int count, std::uint64_t seed) {
    Noise noise{seed};
    for (int i = 0; i < count; ++i) area.add(i % 10 == 0 ? 20 + 20 * noise.uniform() : 3 + 9 * noise.uniform());
}

TEST(LossDecompositionTest, OneBypassIsTheOnlyTermWithTheEnergyItTook) {
    Area area(300, 1);
    add_households(area, 40, 2);
    const std::uint32_t thief = area.add(60, Anomaly{Anomaly::bypass, 120, 1 << 30, 0.6});
    area.close();
    const LossDecomposition result = area.decompose();
    ASSERT_EQ(result.terms.size(), 1u);
    const CulpritTerm& term = result.terms[0];
    EXPECT_EQ(term.row, thief);
    EXPECT_NE(term.signal, CulpritSignal::level);
    EXPECT_NEAR(term.from, 120, 2);
    EXPECT_EQ(term.to, -1);
    EXPECT_NEAR(term.drop, 0.6, 0.1);
    EXPECT_NEAR(term.estimated_kwh, area.unmetered(thief), 0.1 * area.unmetered(thief));
    EXPECT_NEAR(result.base_rate, 0.04, 0.004);
    EXPECT_GT(term.t, 20);
}

TEST(LossDecompositionTest, SeveralCulpritsWithDifferentStartDaysAreToldApartFromAnHonestFall) {
    Area area(360, 3);
    add_households(area, 60, 4);
    const std::uint32_t bypass = area.add(80, Anomaly{Anomaly::bypass, 80, 1 << 30, 0.5});
    const std::uint32_t stopped = area.add(25, Anomaly{Anomaly::stopped, 150});
    const std::uint32_t reversed = area.add(15, Anomaly{Anomaly::reversed, 220});
    // Away from day 100: registers 30 % of before, and nothing is missing from the balance.
    const std::uint32_t away = area.add(40, std::nullopt, 100, 0.3);
    area.close();
    const LossDecomposition result = area.decompose();
    ASSERT_NE(term_of(result, bypass), nullptr);
    ASSERT_NE(term_of(result, stopped), nullptr);
    ASSERT_NE(term_of(result, reversed), nullptr);
    EXPECT_EQ(term_of(result, away), nullptr);
    EXPECT_EQ(result.terms.size(), 3u);
    EXPECT_NEAR(term_of(result, stopped)->from, 150, 2);
    EXPECT_NEAR(term_of(result, reversed)->from, 220, 2);
    EXPECT_GT(term_of(result, reversed)->drop, 1.5);  // registered backwards: more than all of it missing
    for (const std::uint32_t row : {bypass, stopped, reversed})
        EXPECT_NEAR(term_of(result, row)->estimated_kwh, area.unmetered(row), 0.2 * area.unmetered(row)) << row;
}

TEST(LossDecompositionTest, ATheftThatEndedIsCreditedWithTheDaysBeforeItsRise) {
    Area area(300, 5);
    add_households(area, 40, 6);
    const std::uint32_t thief = area.add(50, Anomaly{Anomaly::bypass, 0, 170, 0.7});
    area.close();
    const LossDecomposition result = area.decompose();
    const CulpritTerm* term = term_of(result, thief);
    ASSERT_NE(term, nullptr);
    EXPECT_EQ(term->from, 0);
    EXPECT_NEAR(term->to, 170, 2);
    EXPECT_NEAR(term->estimated_kwh, area.unmetered(thief), 0.15 * area.unmetered(thief));
}

TEST(LossDecompositionTest, ATheftOlderThanTheWindowIsALevelTermWithItsShare) {
    Area area(300, 7);
    add_households(area, 40, 8);
    // Half of the consumption taken throughout: one kWh lost per kWh registered.
    const std::uint32_t thief = area.add(70, Anomaly{Anomaly::bypass, 0, 1 << 30, 0.5});
    area.close();
    const LossDecomposition result = area.decompose();
    const CulpritTerm* term = term_of(result, thief);
    ASSERT_NE(term, nullptr);
    EXPECT_EQ(term->signal, CulpritSignal::level);
    EXPECT_NEAR(term->coefficient, 1.0, 0.25);
    EXPECT_EQ(result.terms.size(), 1u);
}

TEST(LossDecompositionTest, ACleanAreaHasNoTerm) {
    for (std::uint64_t seed = 10; seed < 15; ++seed) {
        Area area(300, seed);
        add_households(area, 50, seed + 100);
        area.add(30, std::nullopt, 150, 0.2);  // one went away: no loss follows
        area.close();
        const LossDecomposition result = area.decompose();
        EXPECT_TRUE(result.terms.empty()) << "seed " << seed << ": row " << result.terms.front().row;
        EXPECT_NEAR(result.base_rate, 0.04, 0.003);
    }
}

TEST(LossDecompositionTest, ASpikeFromASharedGapDoesNotHideASmallCulprit) {
    Area area(300, 21);
    add_households(area, 40, 22);
    const std::uint32_t stopped = area.add(12, Anomaly{Anomaly::stopped, 140});
    area.close();
    // The gateway's gap of three days shared evenly: supply on the wrong days.
    area.supply()[60] *= 1.3;
    area.supply()[61] *= 0.8;
    area.supply()[62] *= 0.9;
    const LossDecomposition result = area.decompose();
    ASSERT_EQ(result.terms.size(), 1u);
    EXPECT_EQ(result.terms[0].row, stopped);
    EXPECT_LT(result.days, 300);  // the spike's days were left out
    EXPECT_GE(result.days, 290);
}

TEST(LossDecompositionTest, MisfiledCustomersTakeTheEnergyTheirRecordsMisplace) {
    Area area(300, 41);
    add_households(area, 40, 42);
    // Row 40: recorded here, supplied by another area (sold here, not in this supply). Row 41:
    // recorded under another area, supplied here (in this supply, sold there): the node is rows 0-40.
    const std::uint32_t recorded_here = area.add(60), supplied_here = area.add(80);
    area.close({recorded_here}, {supplied_here});
    std::vector<CandidateRole> roles(41, CandidateRole::suspect);
    roles[recorded_here] = CandidateRole::none;
    const LossDecomposition result =
        area.decompose_rows(41, roles, {{recorded_here, -1.0}, {supplied_here, 1.0}});
    ASSERT_EQ(result.terms.size(), 2u);
    ASSERT_NE(term_of(result, recorded_here), nullptr);
    ASSERT_NE(term_of(result, supplied_here), nullptr);
    EXPECT_NEAR(term_of(result, recorded_here)->coefficient, 1.0, 0.1);
    EXPECT_NEAR(term_of(result, supplied_here)->coefficient, 1.0, 0.1);
    EXPECT_NEAR(result.base_rate, 0.04, 0.004);
    // Without them the balance is off by both customers' usage and nothing explains it.
    const LossDecomposition blind = area.decompose_rows(41, roles, {});
    EXPECT_EQ(term_of(blind, supplied_here), nullptr);
    EXPECT_GT(std::abs(blind.base_rate - 0.04), 0.01);
}

TEST(LossDecompositionTest, RolesLeaveCustomersOutOrUnbounded) {
    Area area(300, 31);
    add_households(area, 40, 32);
    const std::uint32_t thief = area.add(60, Anomaly{Anomaly::bypass, 120, 1 << 30, 0.6});
    // Registers a twentieth of what it uses throughout (a multiplier recorded 20 times too small).
    const std::uint32_t wrong_multiplier = area.add(40, Anomaly{Anomaly::bypass, 0, 1 << 30, 0.95});
    area.close();
    std::vector<CandidateRole> roles(42, CandidateRole::suspect);
    // Without a bound on its coefficient, the multiplier error is its own term (about 19).
    roles[wrong_multiplier] = CandidateRole::unbounded;
    LossDecomposition result = area.decompose(roles);
    ASSERT_NE(term_of(result, wrong_multiplier), nullptr);
    EXPECT_NEAR(term_of(result, wrong_multiplier)->coefficient, 19, 3);
    ASSERT_NE(term_of(result, thief), nullptr);
    EXPECT_EQ(result.terms.size(), 2u);
    // A customer that is no candidate is never a term.
    roles[thief] = CandidateRole::none;
    result = area.decompose(roles);
    EXPECT_EQ(term_of(result, thief), nullptr);
}

}  // namespace
}  // namespace gridaudit

namespace gridaudit {
namespace {

TEST(LossDecompositionTest, DegenerateInputsGiveNoTermAndNoCrash) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // Too few columns for a step on each side.
    {
        std::vector<float> usage(3 * 20, 1.0f);
        std::vector<double> supply(20, 3.2), sales(20, 3.0);
        const LossDecomposition result = decompose_loss({usage.data(), 3, 20}, 0, 3, supply, sales, {}, {});
        EXPECT_TRUE(result.terms.empty());
        EXPECT_TRUE(result.indicators.empty());
    }
    // No customers; a balance that is never computable; customers that never have data.
    {
        std::vector<float> usage(2 * 100, std::numeric_limits<float>::quiet_NaN());
        std::vector<double> supply(100, nan), sales(100, nan);
        EXPECT_TRUE(decompose_loss({usage.data(), 2, 100}, 0, 0, supply, sales, {}, {}).terms.empty());
        EXPECT_TRUE(decompose_loss({usage.data(), 2, 100}, 0, 2, supply, sales, {}, {}).terms.empty());
        std::fill(supply.begin(), supply.end(), 10.0);
        std::fill(sales.begin(), sales.end(), 9.5);
        const LossDecomposition result = decompose_loss({usage.data(), 2, 100}, 0, 2, supply, sales, {}, {});
        EXPECT_TRUE(result.terms.empty());
        EXPECT_NEAR(result.base_rate, 0.05, 1e-9);
    }
    // Every customer registers exactly the same every day: nothing moves, nothing to fit.
    {
        std::vector<float> usage(4 * 100, 2.0f);
        std::vector<double> supply(100, 8.4), sales(100, 8.0);
        const LossDecomposition result = decompose_loss({usage.data(), 4, 100}, 0, 4, supply, sales, {}, {});
        EXPECT_TRUE(result.terms.empty());
        EXPECT_EQ(result.days, 100);
    }
}

}  // namespace
}  // namespace gridaudit
