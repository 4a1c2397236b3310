// Tests of the synthetic utility's tariffs: prices and structures (tiers, time of use, two-part basic
// charge, funds, power factor) priced by the tariff engine, and the round trip through tariffs/<id>.json.
#include "generator/synthetic_tariffs.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tariff/pricing_engine.hpp"
#include "tariff/tariff_json.hpp"

namespace gridaudit {
namespace {

struct Usage {
    double total = 0;
    double peak = not_measured;
    double flat = not_measured;
    double valley = not_measured;
    double kvarh = not_measured;
    int days_connected = 0;
};

Result<MonthBill> price(const Tariff& tariff, const Usage& u, const CustomerTerms& terms, BillingState& state,
                        Period period = Period::from_year_month(2026, 3)) {
    GA_ASSIGN_OR_RETURN(std::vector<double> kwh,
                        period_kwh_from_registers(tariff, RegisterReadings{u.total, u.peak, u.flat, u.valley}));
    MonthUsage usage;
    usage.period = period;
    usage.period_kwh = std::move(kwh);
    usage.kvarh = u.kvarh;
    usage.days_connected = u.days_connected;
    return price_month(tariff, terms, usage, state);
}

std::string component(const MonthBill& bill, BillComponent which) { return bill.component(which).to_string(2); }

TEST(SyntheticTariffsTest, EveryTariffIsValidAndItsJsonParsesBackToTheSamePrices) {
    const std::vector<Usage> usages{{1234.56, 400.12, 500.44, 334.00, 800.25, 0}, {0, 0, 0, 0, 0, 0},
                                    {98765.43, 30000.01, 40000.02, 28765.40, 20000, 17}};
    for (int code = 0; code < tariff_code_count; ++code) {
        const SyntheticTariff& synthetic = synthetic_tariff(static_cast<TariffCode>(code));
        SCOPED_TRACE(std::string(synthetic.id));
        EXPECT_EQ(synthetic.tariff.id, synthetic.id);
        ASSERT_TRUE(validate_tariff(synthetic.tariff));
        const std::string json = synthetic_tariff_json(synthetic);
        auto parsed = parse_tariff_json(json, std::string(synthetic.id) + ".json");
        ASSERT_TRUE(parsed) << parsed.error().message();
        EXPECT_EQ(parsed->category, synthetic.tariff.category);
        EXPECT_EQ(tariff_to_json(*parsed), json);
        CustomerTerms terms;
        terms.capacity_kva = 400;
        terms.pf_standard = PowerFactorStandard::pf_0_85;
        BillingState a, b;
        for (Usage u : usages) {
            if (!synthetic.time_of_use()) u.peak = u.flat = u.valley = not_measured;
            auto from_model = price(synthetic.tariff, u, terms, a);
            auto from_json = price(*parsed, u, terms, b);
            ASSERT_TRUE(from_model) << from_model.error().message();
            ASSERT_TRUE(from_json) << from_json.error().message();
            EXPECT_EQ(from_model->components, from_json->components);
            EXPECT_EQ(from_model->total, from_json->total);
        }
    }
}

TEST(SyntheticTariffsTest, ResidentialTiersSplitAtTheYearlyThresholds) {
    const Tariff& tariff = synthetic_tariff(TariffCode::residential_tiered).tariff;
    CustomerTerms terms;
    BillingState state;
    state.tier_year = 2026;
    state.tier_kwh_used = Quantity::whole(2700);
    // 100 kWh, of which 60 in tier 1 and 40 in tier 2: 60 x 0.5080 + 40 x 0.5580 = 30.48 + 22.32 = 52.80.
    auto bill = price(tariff, Usage{100}, terms, state);
    ASSERT_TRUE(bill) << bill.error().message();
    EXPECT_EQ(component(*bill, BillComponent::energy), "52.80");
    EXPECT_EQ(component(*bill, BillComponent::funds), "3.00");  // 100 x 0.03
    EXPECT_EQ(bill->total.to_string(2), "55.80");
    EXPECT_EQ(component(*bill, BillComponent::power_factor), "0.00");
    // Beyond tier 2: 10 kWh at 0.8080.
    state.tier_kwh_used = Quantity::whole(5000);
    bill = price(tariff, Usage{10}, terms, state);
    ASSERT_TRUE(bill);
    EXPECT_EQ(component(*bill, BillComponent::energy), "8.08");
    // A customer connected on 15 July has thresholds prorated by months: 2,760 x 6 / 12 = 1,380.
    terms.supply_start = CivilDate::from_ymd(2026, 7, 15);
    BillingState fresh;
    bill = price(tariff, Usage{1400}, terms, fresh, Period::from_year_month(2026, 7));
    ASSERT_TRUE(bill);
    // 1,380 x 0.5080 + 20 x 0.5580 = 701.04 + 11.16 = 712.20
    EXPECT_EQ(component(*bill, BillComponent::energy), "712.20");
}

TEST(SyntheticTariffsTest, TimeOfUsePricesAreOnePointSixOneAndZeroPointFourOfFlat) {
    const Tariff& tariff = synthetic_tariff(TariffCode::industrial_tou_lv).tariff;
    ASSERT_EQ(tariff.energy_periods.size(), 3u);
    EXPECT_EQ(tariff.energy_periods[0].tiers[0].price.units() * 10, tariff.energy_periods[1].tiers[0].price.units() * 16);
    EXPECT_EQ(tariff.energy_periods[2].tiers[0].price.units() * 10, tariff.energy_periods[1].tiers[0].price.units() * 4);
    const CivilDate day = CivilDate::from_ymd(2026, 10, 3);  // a holiday: the same hours every day
    EXPECT_EQ(tariff.energy_period_at(day, 8 * 4), 0);       // 08:00 peak
    EXPECT_EQ(tariff.energy_period_at(day, 11 * 4), 1);      // 11:00 flat
    EXPECT_EQ(tariff.energy_period_at(day, 18 * 4 + 3), 0);  // 18:45 peak
    EXPECT_EQ(tariff.energy_period_at(day, 23 * 4), 2);      // 23:00 valley
    EXPECT_EQ(tariff.energy_period_at(day, 6 * 4 + 3), 2);   // 06:45 valley
    EXPECT_EQ(tariff.energy_period_at(day, 7 * 4), 1);       // 07:00 flat
    CustomerTerms terms;
    BillingState state;
    auto bill = price(tariff, Usage{1000, 400, 350, 250}, terms, state);
    ASSERT_TRUE(bill) << bill.error().message();
    // 400 x 0.9920 + 350 x 0.6200 + 250 x 0.2480 = 396.80 + 217.00 + 62.00 = 675.80
    EXPECT_EQ(component(*bill, BillComponent::energy), "675.80");
    EXPECT_EQ(component(*bill, BillComponent::funds), "40.00");
    EXPECT_NE(bill->notes & note_pf_no_standard, 0u);  // adjusted tariff, customer without a standard
}

TEST(SyntheticTariffsTest, TwoPartBillHasBasicChargeAndPowerFactorAdjustment) {
    const Tariff& tariff = synthetic_tariff(TariffCode::large_industrial_two_part).tariff;
    CustomerTerms terms;
    terms.capacity_kva = 400;
    terms.pf_standard = PowerFactorStandard::pf_0_90;
    BillingState state;
    // PF = 100000 / sqrt(100000^2 + 75000^2) = 0.8 -> +5 % under standard 0.90
    auto bill = price(tariff, Usage{100000, 30000, 40000, 30000, 75000}, terms, state);
    ASSERT_TRUE(bill) << bill.error().message();
    // Energy: 30000 x 0.8960 + 40000 x 0.5600 + 30000 x 0.2240 = 26880 + 22400 + 6720 = 56000.00
    EXPECT_EQ(component(*bill, BillComponent::energy), "56000.00");
    EXPECT_EQ(component(*bill, BillComponent::basic), "12000.00");         // 400 kVA x 30
    EXPECT_EQ(component(*bill, BillComponent::power_factor), "3400.00");   // 5 % of 68000
    EXPECT_EQ(component(*bill, BillComponent::funds), "4000.00");
    EXPECT_EQ(bill->total.to_string(2), "75400.00");
    // A partial month pays days / 30 of the basic charge: 10 days -> 4,000.00.
    bill = price(tariff, Usage{0, 0, 0, 0, 0, 10}, terms, state);
    ASSERT_TRUE(bill);
    EXPECT_EQ(component(*bill, BillComponent::basic), "4000.00");
}

TEST(SyntheticTariffsTest, OnlyTheResidentialTariffIgnoresThePowerFactor) {
    for (int code = 0; code < tariff_code_count; ++code) {
        const SyntheticTariff& synthetic = synthetic_tariff(static_cast<TariffCode>(code));
        EXPECT_EQ(synthetic.tariff.power_factor.adjusted, synthetic.structure != TariffStructure::tiered)
            << synthetic.id;
        EXPECT_FALSE(synthetic.tariff.power_factor.default_standard) << synthetic.id;
        ASSERT_EQ(synthetic.tariff.funds.size(), 1u) << synthetic.id;
    }
}

TEST(SyntheticTariffsTest, ChargesAreRoundedOnceHalfUp) {
    const Tariff& tariff = synthetic_tariff(TariffCode::agricultural_flat).tariff;
    CustomerTerms terms;
    BillingState state;
    // 1.05 kWh x 0.4800 = 0.504 -> 0.50; surcharge 1.05 x 0.01 = 0.0105 -> 0.01
    auto bill = price(tariff, Usage{1.05}, terms, state);
    ASSERT_TRUE(bill);
    EXPECT_EQ(component(*bill, BillComponent::energy), "0.50");
    EXPECT_EQ(component(*bill, BillComponent::funds), "0.01");
    bill = price(tariff, Usage{3.13}, terms, state);  // 3.13 x 0.48 = 1.5024 -> 1.50
    ASSERT_TRUE(bill);
    EXPECT_EQ(component(*bill, BillComponent::energy), "1.50");
}

TEST(SyntheticTariffsTest, TariffJsonNamesItsIdCategoryAndPrices) {
    const auto doc = nlohmann::json::parse(synthetic_tariff_json(synthetic_tariff(TariffCode::large_industrial_two_part)));
    EXPECT_EQ(doc["format"], "gridaudit-tariff/1");
    EXPECT_EQ(doc["id"], "LI-2PART-10KV");
    EXPECT_EQ(doc["category"], "large_industrial");
    EXPECT_EQ(doc["voltage"], "10 kV");
    EXPECT_TRUE(doc.contains("basic_charge"));
    const auto residential = nlohmann::json::parse(synthetic_tariff_json(synthetic_tariff(TariffCode::residential_tiered)));
    EXPECT_EQ(residential["id"], "RES-TIER");
    EXPECT_FALSE(residential.contains("basic_charge"));
}

}  // namespace
}  // namespace gridaudit
