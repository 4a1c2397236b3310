// The eight tariffs of the synthetic utility, built as tariff-engine models.
#include "generator/synthetic_tariffs.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>

#include "tariff/tariff_json.hpp"

namespace gridaudit {
namespace {

// A price given in 0.0001 currency per unit.
UnitPrice price(std::int64_t ten_thousandths) { return UnitPrice::from_units(ten_thousandths * 10'000); }

EnergyPeriod period(std::string name, PeriodKind kind, std::int64_t ten_thousandths) {
    EnergyPeriod p;
    p.name = std::move(name);
    p.kind = kind;
    p.tiers.push_back(PriceTier{Quantity::unbounded(), price(ten_thousandths)});
    return p;
}

Tariff base(std::string_view id, std::string_view name, std::string_view category, std::string_view voltage,
            std::int64_t surcharge, bool pf_adjusted) {
    Tariff t;
    t.id = id;
    t.name = name;
    t.currency = "CNY";
    t.category = category;
    t.voltage = voltage;
    t.funds.push_back(Fund{"government funds and surcharges", price(surcharge)});
    t.power_factor.adjusted = pf_adjusted;
    return t;
}

// One period at every hour (the schedule is all zeros).
Tariff single_price(std::string_view id, std::string_view name, std::string_view category, std::string_view voltage,
                    std::int64_t flat, std::int64_t surcharge, bool pf_adjusted) {
    Tariff t = base(id, name, category, voltage, surcharge, pf_adjusted);
    t.energy_periods.push_back(period("flat", PeriodKind::flat, flat));
    return t;
}

// Peak 08:00-11:00 and 18:00-23:00, valley 23:00-07:00, flat the rest; every day of the year.
Tariff time_of_use(std::string_view id, std::string_view name, std::string_view category, std::string_view voltage,
                   std::int64_t flat, std::int64_t surcharge) {
    Tariff t = base(id, name, category, voltage, surcharge, true);
    t.energy_periods.push_back(period("peak", PeriodKind::peak, flat * 16 / 10));
    t.energy_periods.push_back(period("flat", PeriodKind::flat, flat));
    t.energy_periods.push_back(period("valley", PeriodKind::valley, flat * 4 / 10));
    for (unsigned month = 1; month <= 12; ++month)
        for (int day = 0; day < day_type_count; ++day)
            for (int slot = 0; slot < slots_per_day; ++slot) {
                const int hour = slot / 4;
                const int index = (hour >= 8 && hour < 11) || (hour >= 18 && hour < 23) ? 0
                                  : (hour >= 23 || hour < 7)                           ? 2
                                                                                       : 1;
                t.energy_schedule.set(month, static_cast<DayType>(day), slot, index);
            }
    return t;
}

SyntheticTariff make(std::string_view id, TariffStructure structure, Tariff tariff) {
    if (const Status valid = validate_tariff(tariff); !valid) {
        std::fprintf(stderr, "synthetic tariff %s is invalid: %s\n", tariff.id.c_str(), valid.error().message().c_str());
        std::abort();  // a programming error in the table below
    }
    return SyntheticTariff{id, structure, std::move(tariff)};
}

std::array<SyntheticTariff, tariff_code_count> build_tariffs() {
    Tariff residential = single_price("RES-TIER", "Residential, yearly tiers", "residential", "0.22/0.38 kV", 5080, 300,
                                      false);
    TierBlocks tiers;
    tiers.accumulation = TierAccumulation::year;
    tiers.mid_year_start = MidYearStart::prorate_months;
    tiers.blocks = {PriceTier{Quantity::whole(2760), price(0)}, PriceTier{Quantity::whole(4800), price(500)},
                    PriceTier{Quantity::unbounded(), price(3000)}};
    residential.tier_blocks = tiers;

    Tariff two_part = time_of_use("LI-2PART-10KV", "Large industrial two-part, 10 kV", "large_industrial", "10 kV",
                                  5600, 400);
    BasicCharge basic;
    basic.basis = BasicChargeBasis::capacity;
    basic.price = price(300000);  // 30.00 per kVA of capacity per month
    two_part.basic = basic;

    return {
        make("RES-TIER", TariffStructure::tiered, std::move(residential)),
        make("COM-TOU-LV", TariffStructure::time_of_use,
             time_of_use("COM-TOU-LV", "Commercial time-of-use, below 1 kV", "commercial", "0.22/0.38 kV", 6800, 400)),
        make("COM-TOU-10KV", TariffStructure::time_of_use,
             time_of_use("COM-TOU-10KV", "Commercial time-of-use, 10 kV", "commercial", "10 kV", 6500, 400)),
        make("IND-TOU-LV", TariffStructure::time_of_use,
             time_of_use("IND-TOU-LV", "Industrial time-of-use, below 1 kV", "industrial", "0.38 kV", 6200, 400)),
        make("IND-TOU-10KV", TariffStructure::time_of_use,
             time_of_use("IND-TOU-10KV", "Industrial time-of-use, 10 kV", "industrial", "10 kV", 5900, 400)),
        make("LI-2PART-10KV", TariffStructure::two_part, std::move(two_part)),
        make("AGR-FLAT", TariffStructure::flat,
             single_price("AGR-FLAT", "Agricultural production, flat", "agricultural", "0.22/0.38 kV", 4800, 100, true)),
        make("TMP-FLAT", TariffStructure::flat,
             single_price("TMP-FLAT", "Temporary supply, flat", "temporary", "0.38 kV", 7500, 400, true)),
    };
}

}  // namespace

const SyntheticTariff& synthetic_tariff(TariffCode code) {
    static const std::array<SyntheticTariff, tariff_code_count> table = build_tariffs();
    return table[static_cast<std::size_t>(code)];
}

std::string synthetic_tariff_json(const SyntheticTariff& tariff) { return tariff_to_json(tariff.tariff); }

}  // namespace gridaudit
