// URDB import: urdbv7.json parses completely into the model (every member it uses), the reference
// residential TOU rate prices at the published 771.8 USD, and what the model cannot express is refused.
#include "tariff/urdb_import.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "tariff/load_series.hpp"
#include "tariff/tariff_file.hpp"

namespace gridaudit {
namespace {

const std::filesystem::path urdb = std::filesystem::path(GRIDAUDIT_CASES_DIR) / "tariff" / "urdb";

UnitPrice price(const char* text) {
    return *UnitPrice::parse(text, DecimalFit::exact);
}

TEST(UrdbImportTest, Urdbv7ParsesEveryMember) {
    const auto tariff = load_tariff_file(urdb / "urdbv7.json", TariffFormat::urdb);
    ASSERT_TRUE(tariff) << tariff.error().message();
    EXPECT_EQ(tariff->currency, "USD");
    // energyratestructure: 2 periods x 2 tiers (max 100, then 9.99e37 = unbounded); sell ignored.
    ASSERT_EQ(tariff->energy_periods.size(), 2u);
    ASSERT_EQ(tariff->energy_periods[0].tiers.size(), 2u);
    EXPECT_EQ(tariff->energy_periods[0].tiers[0].up_to, Quantity::whole(100));
    EXPECT_EQ(tariff->energy_periods[0].tiers[0].price, price("0.070769"));
    EXPECT_TRUE(tariff->energy_periods[0].tiers[1].up_to.is_unbounded());
    EXPECT_EQ(tariff->energy_periods[0].tiers[1].price, price("0.082949"));
    EXPECT_EQ(tariff->energy_periods[1].tiers[0].price, price("0.056909"));
    EXPECT_EQ(tariff->energy_periods[1].tiers[1].price, price("0.069079"));
    // energyweekdayschedule: period 1 all day in Jan-Apr, period 0 15:00-20:00 in May-Sep; weekend all period 1.
    EXPECT_EQ(tariff->energy_schedule.period_at(1, DayType::workday, 15 * 4), 1);
    EXPECT_EQ(tariff->energy_schedule.period_at(6, DayType::workday, 15 * 4), 0);
    EXPECT_EQ(tariff->energy_schedule.period_at(6, DayType::workday, 20 * 4), 1);
    EXPECT_EQ(tariff->energy_schedule.period_at(6, DayType::weekend, 15 * 4), 1);
    EXPECT_EQ(tariff->energy_schedule.period_at(6, DayType::holiday, 15 * 4), 1);
    // demandratestructure + schedules: 2 periods x 2 tiers; period 0 weekdays 15:00-20:00 all year.
    ASSERT_TRUE(tariff->demand);
    ASSERT_EQ(tariff->demand->periods.size(), 2u);
    EXPECT_EQ(tariff->demand->periods[0].tiers[0].up_to, Quantity::whole(100));
    EXPECT_EQ(tariff->demand->periods[0].tiers[0].price, price("19.53899956"));
    EXPECT_EQ(tariff->demand->periods[0].tiers[1].price, price("13.09300041"));
    EXPECT_EQ(tariff->demand->periods[1].tiers[0].price, price("8.0909996"));
    EXPECT_EQ(tariff->demand->periods[1].tiers[1].price, price("4.67600012"));
    EXPECT_EQ(tariff->demand->schedule.period_at(1, DayType::workday, 16 * 4), 0);
    EXPECT_EQ(tariff->demand->schedule.period_at(1, DayType::workday, 10 * 4), 1);
    EXPECT_EQ(tariff->demand->schedule.period_at(1, DayType::weekend, 16 * 4), 1);
    // flatdemandstructure + flatdemandmonths [0,1,1,1,2,2,2,2,2,2,1,1].
    ASSERT_EQ(tariff->demand->monthly_structures.size(), 3u);
    EXPECT_EQ(tariff->demand->monthly_structures[2][0].price, price("13.87"));
    EXPECT_TRUE(tariff->demand->monthly_structures[2][0].up_to.is_unbounded());
    const std::array<std::int8_t, 12> months{0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1};
    EXPECT_EQ(tariff->demand->monthly_structure_of_month, months);
    // fixedmonthlycharge, minmonthlycharge, annualmincharge; dgrules accepted (net metering not modelled).
    ASSERT_EQ(tariff->fixed_charges.size(), 1u);
    EXPECT_EQ(tariff->fixed_charges[0].amount, *Money::parse("35.28"));
    EXPECT_EQ(tariff->monthly_minimum, *Money::parse("1"));
    EXPECT_EQ(tariff->yearly_minimum, *Money::parse("12"));
    EXPECT_FALSE(tariff->power_factor.adjusted);
    EXPECT_FALSE(tariff->basic);
}

TEST(UrdbImportTest, ResidentialTouPricesAtThePublishedValue) {
    const auto tariff = load_tariff_file(urdb / "sam_residential_tou.json", TariffFormat::urdb);
    ASSERT_TRUE(tariff) << tariff.error().message();
    EXPECT_EQ(tariff->name, "SAM test residential 4-period TOU energy");
    const auto content = read_text_file(urdb / "sam_residential_tou_load.csv");
    ASSERT_TRUE(content);
    const auto series = parse_load_csv(*content, "load.csv", CivilDate::from_ymd(2018, 1, 1));
    ASSERT_TRUE(series) << series.error().message();
    EXPECT_EQ(series->intervals.size(), 8760u);
    const auto bills = price_load_series(*tariff, CustomerTerms{}, *series);
    ASSERT_TRUE(bills) << bills.error().message();
    ASSERT_EQ(bills->size(), 12u);
    Money total;
    for (const auto& bill : *bills) total += bill.total;
    EXPECT_LE(std::abs(total.units() - Money::parse("771.8")->units()), 1'000) << total.to_string(2);
    // The weekday matters: the same load from Tuesday 2019-01-01 prices differently.
    const auto shifted = parse_load_csv(*content, "load.csv", CivilDate::from_ymd(2019, 1, 1));
    const auto other = price_load_series(*tariff, CustomerTerms{}, *shifted);
    ASSERT_TRUE(other);
    Money other_total;
    for (const auto& bill : *other) other_total += bill.total;
    EXPECT_NE(other_total, total);
}

TEST(UrdbImportTest, AcceptsTheApiWrapperWithOneRate) {
    const std::string rate =
        R"({"items": [{"label": "abc", "name": "Flat", "energyratestructure": [[{"rate": 0.1, "adj": 0.02, "unit": "kWh"}]],)"
        R"("energyweekdayschedule": [)" +
        std::string(R"([0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],)") +
        std::string(R"([0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],)") + std::string(10, ' ') +
        R"([0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],)"
        R"([0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],)"
        R"([0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],)"
        R"([0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],)"
        R"([0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],)"
        R"([0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]],)";
    std::string weekend = rate.substr(rate.find("\"energyweekdayschedule\""));
    weekend.replace(0, std::string("\"energyweekdayschedule\"").size(), "\"energyweekendschedule\"");
    weekend.pop_back();  // the trailing comma
    const std::string document = rate + weekend + R"(, "fixedchargefirstmeter": 0.5, "fixedchargeunits": "$/day"}]})";
    const auto tariff = parse_urdb_rate(document, "api.json");
    ASSERT_TRUE(tariff) << tariff.error().message();
    EXPECT_EQ(tariff->id, "urdb-abc");
    EXPECT_EQ(tariff->energy_periods[0].tiers[0].price, price("0.12"));  // rate + adj
    ASSERT_EQ(tariff->fixed_charges.size(), 1u);
    EXPECT_EQ(tariff->fixed_charges[0].per, ChargeFrequency::day);
}

}  // namespace
}  // namespace gridaudit
