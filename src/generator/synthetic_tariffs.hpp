// The synthetic utility's tariffs and the pricing model its bills are computed with.
//
// Eight tariffs: residential yearly tiers, commercial and industrial time-of-use (peak:flat:valley
// = 1.6:1:0.4) at 0.38 kV and 10 kV, large-industrial two-part (basic charge per kVA of contracted
// capacity per month plus time-of-use energy), agricultural flat and temporary flat. Government
// surcharges are a separate price per kWh. The power-factor adjustment follows the 1983 tables
// (REFERENCE.md section 5). All prices are fixed point: 0.0001 currency per kWh (or per kVA-month).
// Each tariff is written as tariffs/<id>.json (format in docs/generator.md).
// Thread safety: immutable tables and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/money.hpp"

namespace gridaudit {

enum class TariffCode : std::uint8_t {
    residential_tiered,
    commercial_tou_lv,
    commercial_tou_10kv,
    industrial_tou_lv,
    industrial_tou_10kv,
    large_industrial_two_part,
    agricultural_flat,
    temporary_flat,
};
inline constexpr int tariff_code_count = 8;

enum class TariffStructure : std::uint8_t { tiered, time_of_use, two_part, flat };

struct SyntheticTariff {
    std::string_view id;
    std::string_view name;
    std::string_view category;  // customers.csv category code the tariff is meant for
    std::string_view voltage;   // "0.22/0.38 kV", "10 kV"
    TariffStructure structure = TariffStructure::flat;
    std::int64_t flat_price = 0;  // 0.0001 currency per kWh: the flat (平) price, or tier 1
    std::int64_t peak_price = 0;  // time-of-use prices (1.6 x and 0.4 x the flat price)
    std::int64_t valley_price = 0;
    std::int64_t tier2_price = 0;  // residential tiers
    std::int64_t tier3_price = 0;
    std::int64_t tier1_limit_kwh = 0;  // yearly thresholds, calendar year
    std::int64_t tier2_limit_kwh = 0;
    std::int64_t basic_per_kva_month = 0;  // two-part: 0.0001 currency per kVA of contracted capacity
    std::int64_t surcharge = 0;            // government funds and surcharges, 0.0001 currency per kWh
};

[[nodiscard]] const SyntheticTariff& synthetic_tariff(TariffCode code);

// The tariff as its JSON document (tariffs/<id>.json), pretty-printed, ending in a newline.
[[nodiscard]] std::string synthetic_tariff_json(const SyntheticTariff& tariff);

// Energy of one monthly bill, in hundredths of a kWh (kvarh, kW), after the multiplier.
struct BillEnergy {
    std::int64_t total = 0;
    std::int64_t peak = 0;  // time-of-use split; flat = total - peak - valley
    std::int64_t valley = 0;
    std::optional<std::int64_t> reactive;
};

struct BillCharges {
    Money energy;
    Money basic;
    Money power_factor;
    Money surcharges;
    Money total;
};

// Prices one month. `year_to_date` is the kWh (hundredths) already billed in the calendar year
// before this bill (residential tiers); `pf_standard` is in hundredths (90, 85, 80) or 0 for none.
// Each charge is rounded once to 0.01 half-up; the total is their sum.
[[nodiscard]] BillCharges price_bill(const SyntheticTariff& tariff, const BillEnergy& energy, std::int64_t year_to_date,
                                     double contracted_kva, int pf_standard);

// Power factor in hundredths from active and reactive energy, rounded half-up; 100 when both are 0.
[[nodiscard]] int power_factor_hundredths(double active, double reactive);

// Power-factor adjustment in hundredths of a percent (negative: rebate), REFERENCE.md section 5.
// REQUIRES: standard is 90, 85 or 80; power_factor in 0..100.
[[nodiscard]] int power_factor_adjustment_basis_points(int power_factor, int standard);

}  // namespace gridaudit
