// Power-factor rounding and table lookups beyond the data-driven rows: shape of the tables,
// exactness of the rounding against a brute-force reference.
#include "tariff/power_factor.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gridaudit {
namespace {

// The reference rounding, straight from the definition, in exact integers.
int reference_pf(std::int64_t p, std::int64_t q) {
    const Int128 s = Int128(p) * p + Int128(q) * q;
    int k = 0;
    for (int candidate = 1; candidate <= 100; ++candidate)
        if (Int128(40000) * p * p >= Int128(2 * candidate - 1) * (2 * candidate - 1) * s) k = candidate;
    return k;
}

TEST(PowerFactorTest, RoundingAgreesWithTheExactDefinitionOnAGrid) {
    int checked = 0;
    for (std::int64_t p = 0; p <= 2'000'000; p += 37'313) {
        for (std::int64_t q = 0; q <= 2'000'000; q += 29'989) {
            if (p == 0 && q == 0) continue;
            const auto pf = power_factor_hundredths(Quantity::from_units(p), Quantity::from_units(q));
            ASSERT_TRUE(pf);
            EXPECT_EQ(*pf, reference_pf(p, q)) << p << " " << q;
            ++checked;
        }
    }
    EXPECT_GT(checked, 2000);
}

TEST(PowerFactorTest, NoPowerFactorWithoutEnergyOrWithNegativeEnergy) {
    EXPECT_FALSE(power_factor_hundredths(Quantity(), Quantity()));
    EXPECT_FALSE(power_factor_hundredths(Quantity::whole(-1), Quantity::whole(1)));
    EXPECT_FALSE(power_factor_hundredths(Quantity::whole(1), Quantity::whole(-1)));
    EXPECT_EQ(power_factor_hundredths(Quantity::whole(1'000'000'000), Quantity::whole(1)), 100);
}

TEST(PowerFactorTest, HugeQuantitiesStayExactEnough) {
    // 10^10 kWh: scaled inside, still the right hundredth.
    EXPECT_EQ(power_factor_hundredths(Quantity::whole(40'000'000'000), Quantity::whole(25'000'000'000)), 85);
}

TEST(PowerFactorTest, TablesAreZeroAtTheStandardAndMonotone) {
    for (const auto standard :
         {PowerFactorStandard::pf_0_90, PowerFactorStandard::pf_0_85, PowerFactorStandard::pf_0_80}) {
        const int at = power_factor_standard_hundredths(standard);
        EXPECT_EQ(power_factor_adjustment_basis_points(standard, at), 0);
        for (int pf = 1; pf <= 100; ++pf)
            EXPECT_LE(power_factor_adjustment_basis_points(standard, pf),
                      power_factor_adjustment_basis_points(standard, pf - 1))
                << power_factor_standard_name(standard) << " at " << pf;
        EXPECT_LT(power_factor_adjustment_basis_points(standard, at + 1), 0);
        EXPECT_GT(power_factor_adjustment_basis_points(standard, at - 1), 0);
    }
}

TEST(PowerFactorTest, StandardNames) {
    EXPECT_EQ(parse_power_factor_standard("0.9"), PowerFactorStandard::pf_0_90);
    EXPECT_EQ(parse_power_factor_standard("0.85"), PowerFactorStandard::pf_0_85);
    EXPECT_EQ(parse_power_factor_standard("0.80"), PowerFactorStandard::pf_0_80);
    EXPECT_FALSE(parse_power_factor_standard("0.95"));
    EXPECT_EQ(power_factor_standard_name(PowerFactorStandard::pf_0_80), "0.80");
}

}  // namespace
}  // namespace gridaudit
