// The pricing engine's API beyond the data-driven cases: input checking, state carried across
// months and years, bill invariants (components are their lines, the total is the components).
#include "tariff/pricing_engine.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "tariff/tariff_file.hpp"

namespace gridaudit {
namespace {

const std::filesystem::path tariffs = std::filesystem::path(GRIDAUDIT_CASES_DIR) / "tariff" / "tariffs";

Tariff load(const char* name) {
    auto tariff = load_tariff_file(tariffs / name, TariffFormat::gridaudit);
    if (!tariff) throw std::runtime_error(tariff.error().message());
    return *tariff;
}

MonthUsage usage(Period period, std::vector<double> kwh) {
    MonthUsage month;
    month.period = period;
    month.period_kwh = std::move(kwh);
    return month;
}

TEST(PricingEngineTest, RefusesUsageTheTariffCannotPrice) {
    const Tariff tariff = load("commercial_tou.json");
    BillingState state;
    const Period march = *Period::parse("2026-03");
    EXPECT_FALSE(price_month(tariff, {}, usage(march, {1, 2}), state));  // 2 values, 4 periods
    EXPECT_FALSE(price_month(tariff, {}, usage(march, {1, 2, -3, 4}), state));
    EXPECT_FALSE(price_month(tariff, {}, usage(march, {1, 2, std::nan(""), 4}), state));
    MonthUsage days = usage(march, {1, 2, 3, 4});
    days.days_connected = 32;
    const auto refused = price_month(tariff, {}, days, state);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind(), ErrorClass::user);
    EXPECT_NE(refused.error().message().find("2026-03: days connected must be 0..31"), std::string::npos);
}

TEST(PricingEngineTest, ComponentsAreTheirLinesAndTheTotalIsTheComponents) {
    const Tariff tariff = load("large_industrial_two_part.json");
    CustomerTerms terms;
    terms.capacity_kva = 630;
    BillingState state;
    MonthUsage month = usage(*Period::parse("2026-05"), {12345.67, 23456.78, 3456.789});
    month.kvarh = 20000.123;
    month.days_connected = 17;
    const auto bill = price_month(tariff, terms, month, state);
    ASSERT_TRUE(bill) << bill.error().message();
    std::array<ExactAmount, bill_component_count> sums{};
    for (const auto& line : bill->lines) sums[static_cast<std::size_t>(component_of(line.kind))] += line.amount;
    Money total;
    for (int c = 0; c < bill_component_count; ++c) {
        EXPECT_EQ(sums[static_cast<std::size_t>(c)], bill->exact[static_cast<std::size_t>(c)]);
        EXPECT_EQ(bill->components[static_cast<std::size_t>(c)],
                  bill->exact[static_cast<std::size_t>(c)].rounded(2, Rounding::half_up));
        total += bill->components[static_cast<std::size_t>(c)];
    }
    EXPECT_EQ(total, bill->total);
    EXPECT_EQ(bill->energy_kwh, *Quantity::parse("39259.239"));
    EXPECT_EQ(bill->days_connected, 17);
}

TEST(PricingEngineTest, ReusingABillGivesTheSameResult) {
    const Tariff tariff = load("commercial_tou.json");
    BillingState first_state, second_state;
    MonthBill reused;
    const MonthUsage big = usage(*Period::parse("2026-07"), {10, 200, 300, 400});
    const MonthUsage small = usage(*Period::parse("2026-08"), {0, 1, 0, 0});
    ASSERT_TRUE(price_month(tariff, {}, big, first_state, reused));
    ASSERT_TRUE(price_month(tariff, {}, small, first_state, reused));
    const auto fresh = price_month(tariff, {}, small, second_state);
    ASSERT_TRUE(fresh);
    EXPECT_EQ(reused.lines.size(), fresh->lines.size());
    EXPECT_EQ(reused.total, fresh->total);
    EXPECT_EQ(reused.energy_kwh, fresh->energy_kwh);
}

TEST(PricingEngineTest, YearlyTierStateCarriesAndResets) {
    const Tariff tariff = load("residential_tiered.json");
    BillingState state;
    for (unsigned month = 1; month <= 12; ++month)
        ASSERT_TRUE(price_month(tariff, {}, usage(Period::from_year_month(2026, month), {500}), state));
    EXPECT_EQ(state.tier_year, 2026);
    EXPECT_EQ(state.tier_kwh_used, Quantity::whole(6000));
    const auto january = price_month(tariff, {}, usage(Period::from_year_month(2027, 1), {500}), state);
    ASSERT_TRUE(january);
    EXPECT_EQ(january->tier_position_before, Quantity());
    EXPECT_EQ(state.tier_kwh_used, Quantity::whole(500));
}

TEST(PricingEngineTest, ProratedThresholdsRoundToWholeKwh) {
    const Quantity threshold = Quantity::whole(2760);
    EXPECT_EQ(prorated_tier_threshold(threshold, MidYearStart::prorate_months, CivilDate::from_ymd(2026, 7, 31), 2026),
              Quantity::whole(1380));
    EXPECT_EQ(prorated_tier_threshold(threshold, MidYearStart::prorate_months, CivilDate::from_ymd(2026, 2, 1), 2026),
              Quantity::whole(2530));
    // 2760 x 306 / 365 = 2313.97 -> 2314 (from 1 March, a 365-day year)
    EXPECT_EQ(prorated_tier_threshold(threshold, MidYearStart::prorate_days, CivilDate::from_ymd(2026, 3, 1), 2026),
              Quantity::whole(2314));
    // 2024 is a leap year: 306 of 366 days from 1 March -> 2307.54 -> 2308
    EXPECT_EQ(prorated_tier_threshold(threshold, MidYearStart::prorate_days, CivilDate::from_ymd(2024, 3, 1), 2024),
              Quantity::whole(2308));
    EXPECT_EQ(prorated_tier_threshold(threshold, MidYearStart::none, CivilDate::from_ymd(2026, 7, 1), 2026), threshold);
    EXPECT_EQ(prorated_tier_threshold(threshold, MidYearStart::prorate_months, CivilDate::from_ymd(2025, 7, 1), 2026),
              threshold);
}

TEST(PricingEngineTest, RegistersMapOntoPeriodsByKind) {
    const Tariff tariff = load("large_industrial_two_part.json");
    RegisterReadings readings;
    readings.total_kwh = 1000;
    readings.peak_kwh = 300;
    readings.valley_kwh = 200;
    const auto kwh = period_kwh_from_registers(tariff, readings);
    ASSERT_TRUE(kwh) << kwh.error().message();
    EXPECT_EQ(*kwh, (std::vector<double>{300, 500, 200}));
    readings.peak_kwh = 900;
    const auto too_much = period_kwh_from_registers(tariff, readings);
    ASSERT_FALSE(too_much);
    EXPECT_NE(too_much.error().message().find("add up to more than the total"), std::string::npos);
}

}  // namespace
}  // namespace gridaudit
