// Tests of the generator's pricing model: the power-factor table of REFERENCE.md section 5,
// tiers, time of use, two-part basic charge and rounding.
#include "generator/synthetic_tariffs.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gridaudit {
namespace {

TEST(SyntheticTariffsTest, PowerFactorAdjustmentMatchesThePublishedSpotValues) {
    // Basis points: hundredths of a percent.
    EXPECT_EQ(power_factor_adjustment_basis_points(66, 90), 1400);
    EXPECT_EQ(power_factor_adjustment_basis_points(64, 90), 1700);
    EXPECT_EQ(power_factor_adjustment_basis_points(60, 90), 2500);
    EXPECT_EQ(power_factor_adjustment_basis_points(30, 90), 8500);
    EXPECT_EQ(power_factor_adjustment_basis_points(66, 85), 950);
    EXPECT_EQ(power_factor_adjustment_basis_points(59, 85), 1700);
    EXPECT_EQ(power_factor_adjustment_basis_points(26, 85), 8300);
    EXPECT_EQ(power_factor_adjustment_basis_points(66, 80), 700);
    EXPECT_EQ(power_factor_adjustment_basis_points(59, 80), 1100);
    EXPECT_EQ(power_factor_adjustment_basis_points(26, 80), 7300);
}

TEST(SyntheticTariffsTest, PowerFactorRebatesFollowTheTable) {
    EXPECT_EQ(power_factor_adjustment_basis_points(90, 90), 0);
    EXPECT_EQ(power_factor_adjustment_basis_points(91, 90), -15);
    EXPECT_EQ(power_factor_adjustment_basis_points(94, 90), -60);
    EXPECT_EQ(power_factor_adjustment_basis_points(95, 90), -75);
    EXPECT_EQ(power_factor_adjustment_basis_points(100, 90), -75);
    EXPECT_EQ(power_factor_adjustment_basis_points(90, 85), -50);
    EXPECT_EQ(power_factor_adjustment_basis_points(91, 85), -65);
    EXPECT_EQ(power_factor_adjustment_basis_points(94, 85), -110);
    EXPECT_EQ(power_factor_adjustment_basis_points(90, 80), -100);
    EXPECT_EQ(power_factor_adjustment_basis_points(91, 80), -115);
    EXPECT_EQ(power_factor_adjustment_basis_points(92, 80), -130);
    EXPECT_EQ(power_factor_adjustment_basis_points(89, 90), 50);
    EXPECT_EQ(power_factor_adjustment_basis_points(70, 90), 1000);
}

TEST(SyntheticTariffsTest, PowerFactorIsRoundedHalfUpFromEnergies) {
    EXPECT_EQ(power_factor_hundredths(100, 0), 100);
    EXPECT_EQ(power_factor_hundredths(0, 0), 100);
    EXPECT_EQ(power_factor_hundredths(3, 4), 60);      // 0.6 exactly
    EXPECT_EQ(power_factor_hundredths(1000, 484), 90);  // 0.90006
    EXPECT_EQ(power_factor_hundredths(1000, 500), 89);  // 0.894
}

TEST(SyntheticTariffsTest, ResidentialTiersSplitAtTheYearlyThresholds) {
    const SyntheticTariff& tariff = synthetic_tariff(TariffCode::residential_tiered);
    BillEnergy energy;
    energy.total = 100'00;  // 100 kWh, of which 60 in tier 1 and 40 in tier 2
    const BillCharges charges = price_bill(tariff, energy, 2700'00, 8, 0);
    // 60 x 0.5080 + 40 x 0.5580 = 30.48 + 22.32 = 52.80; surcharges 100 x 0.03 = 3.00.
    EXPECT_EQ(charges.energy.to_string(2), "52.80");
    EXPECT_EQ(charges.surcharges.to_string(2), "3.00");
    EXPECT_EQ(charges.total.to_string(2), "55.80");
    EXPECT_EQ(charges.basic.units(), 0);
    EXPECT_EQ(charges.power_factor.units(), 0);
    // Beyond tier 2: 10 kWh at 0.8080.
    energy.total = 10'00;
    EXPECT_EQ(price_bill(tariff, energy, 5000'00, 8, 0).energy.to_string(2), "8.08");
}

TEST(SyntheticTariffsTest, TimeOfUsePricesAreOnePointSixOneAndZeroPointFourOfFlat) {
    const SyntheticTariff& tariff = synthetic_tariff(TariffCode::industrial_tou_lv);
    EXPECT_EQ(tariff.peak_price * 10, tariff.flat_price * 16);
    EXPECT_EQ(tariff.valley_price * 10, tariff.flat_price * 4);
    BillEnergy energy;
    energy.total = 1000'00;
    energy.peak = 400'00;
    energy.valley = 250'00;  // flat 350
    const BillCharges charges = price_bill(tariff, energy, 0, 50, 0);
    // 400 x 0.9920 + 350 x 0.6200 + 250 x 0.2480 = 396.80 + 217.00 + 62.00 = 675.80
    EXPECT_EQ(charges.energy.to_string(2), "675.80");
}

TEST(SyntheticTariffsTest, TwoPartBillHasBasicChargeAndPowerFactorAdjustment) {
    const SyntheticTariff& tariff = synthetic_tariff(TariffCode::large_industrial_two_part);
    BillEnergy energy;
    energy.total = 100000'00;
    energy.peak = 30000'00;
    energy.valley = 30000'00;
    energy.reactive = 75000'00;  // PF = 0.8 -> +5 % under standard 0.90
    const BillCharges charges = price_bill(tariff, energy, 0, 400, 90);
    // Energy: 30000 x 0.8960 + 40000 x 0.5600 + 30000 x 0.2240 = 26880 + 22400 + 6720 = 56000.00
    EXPECT_EQ(charges.energy.to_string(2), "56000.00");
    EXPECT_EQ(charges.basic.to_string(2), "12000.00");        // 400 kVA x 30
    EXPECT_EQ(charges.power_factor.to_string(2), "3400.00");  // 5 % of 68000
    EXPECT_EQ(charges.surcharges.to_string(2), "4000.00");
    EXPECT_EQ(charges.total.to_string(2), "75400.00");
}

TEST(SyntheticTariffsTest, ChargesAreRoundedOnceHalfUp) {
    const SyntheticTariff& tariff = synthetic_tariff(TariffCode::agricultural_flat);
    BillEnergy energy;
    energy.total = 1'05;  // 1.05 kWh x 0.4800 = 0.504 -> 0.50; surcharge 1.05 x 0.01 = 0.0105 -> 0.01
    const BillCharges charges = price_bill(tariff, energy, 0, 10, 0);
    EXPECT_EQ(charges.energy.to_string(2), "0.50");
    EXPECT_EQ(charges.surcharges.to_string(2), "0.01");
    energy.total = 3'13;  // 3.13 x 0.48 = 1.5024 -> 1.50
    EXPECT_EQ(price_bill(tariff, energy, 0, 10, 0).energy.to_string(2), "1.50");
}

TEST(SyntheticTariffsTest, TariffJsonNamesItsIdCategoryAndPrices) {
    const auto doc = nlohmann::json::parse(synthetic_tariff_json(synthetic_tariff(TariffCode::large_industrial_two_part)));
    EXPECT_EQ(doc["id"], "LI-2PART-10KV");
    EXPECT_EQ(doc["category"], "large_industrial");
    EXPECT_EQ(doc["structure"], "two_part");
    EXPECT_DOUBLE_EQ(doc["energy"]["flat"].get<double>(), 0.56);
    EXPECT_DOUBLE_EQ(doc["energy"]["peak"].get<double>(), 0.896);
    EXPECT_DOUBLE_EQ(doc["basic_charge"]["price_per_kva_month"].get<double>(), 30.0);
    const auto residential = nlohmann::json::parse(synthetic_tariff_json(synthetic_tariff(TariffCode::residential_tiered)));
    EXPECT_EQ(residential["energy"]["tiers"].size(), 3u);
    EXPECT_EQ(residential["energy"]["tiers"][0]["up_to_kwh"], 2760);
}

}  // namespace
}  // namespace gridaudit
