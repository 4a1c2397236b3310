// The GridAudit tariff format: the example tariffs load into the expected model, and the writer's
// output loads back into the same model (for our own tariffs and for URDB imports).
#include "tariff/tariff_json.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "tariff/tariff_file.hpp"

namespace gridaudit {
namespace {

const std::filesystem::path cases = std::filesystem::path(GRIDAUDIT_CASES_DIR) / "tariff";

void expect_same_model(const Tariff& a, const Tariff& b) {
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.currency, b.currency);
    ASSERT_EQ(a.energy_periods.size(), b.energy_periods.size());
    for (std::size_t p = 0; p < a.energy_periods.size(); ++p) {
        EXPECT_EQ(a.energy_periods[p].name, b.energy_periods[p].name);
        EXPECT_EQ(a.energy_periods[p].kind, b.energy_periods[p].kind);
        ASSERT_EQ(a.energy_periods[p].tiers.size(), b.energy_periods[p].tiers.size());
        for (std::size_t t = 0; t < a.energy_periods[p].tiers.size(); ++t) {
            EXPECT_EQ(a.energy_periods[p].tiers[t].up_to, b.energy_periods[p].tiers[t].up_to);
            EXPECT_EQ(a.energy_periods[p].tiers[t].price, b.energy_periods[p].tiers[t].price);
        }
    }
    for (unsigned month = 1; month <= 12; ++month)
        for (const DayType day : {DayType::workday, DayType::weekend, DayType::holiday})
            for (int slot = 0; slot < slots_per_day; ++slot) {
                ASSERT_EQ(a.energy_schedule.period_at(month, day, slot), b.energy_schedule.period_at(month, day, slot));
                if (a.demand && !a.demand->periods.empty()) {
                    ASSERT_EQ(a.demand->schedule.period_at(month, day, slot),
                              b.demand->schedule.period_at(month, day, slot));
                }
            }
    EXPECT_EQ(a.calendar.weekend_days, b.calendar.weekend_days);
    EXPECT_EQ(a.calendar.holidays, b.calendar.holidays);
    EXPECT_EQ(a.calendar.working_days, b.calendar.working_days);
    EXPECT_EQ(a.tier_blocks.has_value(), b.tier_blocks.has_value());
    if (a.tier_blocks && b.tier_blocks) {
        EXPECT_EQ(a.tier_blocks->accumulation, b.tier_blocks->accumulation);
        EXPECT_EQ(a.tier_blocks->mid_year_start, b.tier_blocks->mid_year_start);
        ASSERT_EQ(a.tier_blocks->blocks.size(), b.tier_blocks->blocks.size());
        for (std::size_t t = 0; t < a.tier_blocks->blocks.size(); ++t) {
            EXPECT_EQ(a.tier_blocks->blocks[t].up_to, b.tier_blocks->blocks[t].up_to);
            EXPECT_EQ(a.tier_blocks->blocks[t].price, b.tier_blocks->blocks[t].price);
        }
    }
    EXPECT_EQ(a.demand.has_value(), b.demand.has_value());
    if (a.demand && b.demand) {
        EXPECT_EQ(a.demand->periods.size(), b.demand->periods.size());
        EXPECT_EQ(a.demand->monthly_structure_of_month, b.demand->monthly_structure_of_month);
        EXPECT_EQ(a.demand->monthly_structures.size(), b.demand->monthly_structures.size());
    }
    EXPECT_EQ(a.basic.has_value(), b.basic.has_value());
    if (a.basic && b.basic) {
        EXPECT_EQ(a.basic->basis, b.basic->basis);
        EXPECT_EQ(a.basic->price, b.basic->price);
        EXPECT_EQ(a.basic->excess_threshold, b.basic->excess_threshold);
        EXPECT_EQ(a.basic->demand_floor, b.basic->demand_floor);
    }
    EXPECT_EQ(a.power_factor.adjusted, b.power_factor.adjusted);
    EXPECT_EQ(a.power_factor.default_standard, b.power_factor.default_standard);
    EXPECT_EQ(a.power_factor.base, b.power_factor.base);
    ASSERT_EQ(a.funds.size(), b.funds.size());
    for (std::size_t f = 0; f < a.funds.size(); ++f) EXPECT_EQ(a.funds[f].price, b.funds[f].price);
    ASSERT_EQ(a.fixed_charges.size(), b.fixed_charges.size());
    for (std::size_t f = 0; f < a.fixed_charges.size(); ++f) {
        EXPECT_EQ(a.fixed_charges[f].amount, b.fixed_charges[f].amount);
        EXPECT_EQ(a.fixed_charges[f].per, b.fixed_charges[f].per);
    }
    EXPECT_EQ(a.monthly_minimum, b.monthly_minimum);
    EXPECT_EQ(a.yearly_minimum, b.yearly_minimum);
    EXPECT_EQ(a.rounding.decimals, b.rounding.decimals);
    EXPECT_EQ(a.rounding.mode, b.rounding.mode);
}

TEST(TariffJsonTest, CommercialTimeOfUseLoadsIntoTheModel) {
    const auto tariff = load_tariff_file(cases / "tariffs/commercial_tou.json", TariffFormat::gridaudit);
    ASSERT_TRUE(tariff) << tariff.error().message();
    EXPECT_EQ(tariff->id, "COM-TOU-10KV");
    EXPECT_EQ(tariff->category, "commercial");
    ASSERT_EQ(tariff->energy_periods.size(), 4u);
    EXPECT_EQ(tariff->energy_periods[0].kind, PeriodKind::critical_peak);
    EXPECT_EQ(tariff->calendar.holidays.size(), 7u);
    EXPECT_EQ(tariff->calendar.day_type(*CivilDate::parse("2026-10-03")), DayType::holiday);  // Saturday, holiday
    EXPECT_EQ(tariff->calendar.day_type(*CivilDate::parse("2026-10-10")), DayType::workday);  // working Saturday
    EXPECT_EQ(tariff->calendar.day_type(*CivilDate::parse("2026-10-11")), DayType::weekend);
    EXPECT_EQ(tariff->calendar.day_type(*CivilDate::parse("2026-10-12")), DayType::workday);
    // Summer workday 11:30 (slot 46) is the critical peak; 11:15 (slot 45) peak; 07:45 valley.
    EXPECT_EQ(tariff->energy_schedule.period_at(7, DayType::workday, 46), 0);
    EXPECT_EQ(tariff->energy_schedule.period_at(7, DayType::workday, 45), 1);
    EXPECT_EQ(tariff->energy_schedule.period_at(7, DayType::workday, 31), 3);
    EXPECT_EQ(tariff->energy_schedule.period_at(9, DayType::workday, 46), 2);  // rest of the year: flat
    EXPECT_EQ(tariff->power_factor.default_standard, PowerFactorStandard::pf_0_85);
    EXPECT_EQ(tariff->funds[0].price, *UnitPrice::parse("0.019", DecimalFit::exact));
}

TEST(TariffJsonTest, AbsoluteBlockPricesBecomeABasePriceAndIncrements) {
    const auto tariff = load_tariff_file(cases / "tariffs/residential_tiered.json", TariffFormat::gridaudit);
    ASSERT_TRUE(tariff) << tariff.error().message();
    ASSERT_EQ(tariff->energy_periods.size(), 1u);
    EXPECT_EQ(tariff->energy_periods[0].tiers[0].price, *UnitPrice::parse("0.538", DecimalFit::exact));
    ASSERT_TRUE(tariff->tier_blocks);
    EXPECT_EQ(tariff->tier_blocks->blocks[1].price, *UnitPrice::parse("0.05", DecimalFit::exact));
    EXPECT_EQ(tariff->tier_blocks->blocks[2].price, *UnitPrice::parse("0.3", DecimalFit::exact));
    EXPECT_TRUE(tariff->tier_blocks->blocks[2].up_to.is_unbounded());
}

TEST(TariffJsonTest, WrittenTariffsLoadBackUnchanged) {
    for (const auto& [file, format] : {std::pair{"tariffs/commercial_tou.json", TariffFormat::gridaudit},
                                       std::pair{"tariffs/residential_tiered.json", TariffFormat::gridaudit},
                                       std::pair{"tariffs/large_industrial_two_part.json", TariffFormat::gridaudit},
                                       std::pair{"tariffs/large_industrial_demand.json", TariffFormat::gridaudit},
                                       std::pair{"urdb/urdbv7.json", TariffFormat::urdb},
                                       std::pair{"urdb/sam_residential_tou.json", TariffFormat::urdb}}) {
        SCOPED_TRACE(file);
        const auto original = load_tariff_file(cases / file, format);
        ASSERT_TRUE(original) << original.error().message();
        const std::string written = tariff_to_json(*original);
        const auto reloaded = parse_tariff_json(written, "written.json");
        ASSERT_TRUE(reloaded) << reloaded.error().message() << "\n" << written;
        expect_same_model(*original, *reloaded);
        EXPECT_EQ(tariff_to_json(*reloaded), written);
    }
}

TEST(TariffJsonTest, ErrorsNameFileLineColumnPathAndValue) {
    const std::string text =
        "{\"format\": \"gridaudit-tariff/1\", \"id\": \"X\", \"name\": \"X\", \"currency\": \"CNY\",\n"
        " \"energy\": {\"price\": 0.123456789}}";
    const auto tariff = parse_tariff_json(text, "x.json");
    ASSERT_FALSE(tariff);
    EXPECT_EQ(tariff.error().kind(), ErrorClass::user);
    EXPECT_EQ(tariff.error().message(),
              "x.json:2:22: energy.price: must be a price with at most 8 decimals (0.123456789)");
}

TEST(TariffJsonTest, TheGeneratorsCurrentFormatIsToldWhatIsMissing) {
    const auto tariff = parse_tariff_json("{\"id\": \"RES-TIER\", \"structure\": \"tiered\"}", "RES-TIER.json");
    ASSERT_FALSE(tariff);
    EXPECT_NE(tariff.error().message().find("format: missing member; a GridAudit tariff declares"), std::string::npos)
        << tariff.error().message();
}

}  // namespace
}  // namespace gridaudit

namespace gridaudit {
namespace {

TEST(TariffJsonTest, TheWriterKeepsEveryDigitOfLargePricesAndThresholds) {
    const std::string text =
        R"({"format": "gridaudit-tariff/1", "id": "BIG", "name": "Big numbers", "currency": "CNY",
            "energy": {"price": 9999999999.12345678,
                       "tiers": {"accumulation": "month", "blocks": [{"up_to_kwh": 99999999999.1234, "increment": 0.00000001},
                                                                       {"increment": 1}]}}})";
    const auto tariff = parse_tariff_json(text, "big.json");
    ASSERT_TRUE(tariff) << tariff.error().message();
    const std::string written = tariff_to_json(*tariff);
    EXPECT_NE(written.find("9999999999.12345678"), std::string::npos) << written;
    EXPECT_NE(written.find("99999999999.1234"), std::string::npos) << written;
    const auto reloaded = parse_tariff_json(written, "written.json");
    ASSERT_TRUE(reloaded) << reloaded.error().message();
    EXPECT_EQ(reloaded->energy_periods[0].tiers[0].price, tariff->energy_periods[0].tiers[0].price);
    EXPECT_EQ(reloaded->tier_blocks->blocks[0].up_to, tariff->tier_blocks->blocks[0].up_to);
}

TEST(TariffJsonTest, NamesWithControlCharactersAreRefused) {
    const auto tariff = parse_tariff_json(
        R"({"format": "gridaudit-tariff/1", "id": "X\u0001", "name": "X", "currency": "CNY", "energy": {"price": 1}})",
        "x.json");
    ASSERT_FALSE(tariff);
    EXPECT_NE(tariff.error().message().find("id: must not contain control characters"), std::string::npos);
}

}  // namespace
}  // namespace gridaudit
