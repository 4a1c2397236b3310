// The synthetic utility's eight tariffs, as tariff-engine models (src/tariff/tariff.hpp).
//
// Residential yearly tiers (阶梯, thresholds prorated by months for a supply start during the year),
// commercial and industrial time-of-use (peak:flat:valley = 1.6:1:0.4; peak 08-11 and 18-23, valley
// 23-07, flat the rest, every day) at 0.38 kV and 10 kV, large-industrial two-part (basic charge per
// kVA of capacity per month plus time-of-use energy), agricultural flat and temporary flat. The
// government surcharges are one fund per kWh. Every tariff but the residential one adjusts bills for
// the power factor (1983 tables) when the customer has a pf_standard. Each tariff is built in code,
// checked with validate_tariff and written as tariffs/<id>.json with tariff_to_json; bills are priced
// with price_month (pricing_engine.hpp), exactly as an audit recomputes them from bills.csv.
// Thread safety: the table is built once (function-local static) and read-only afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tariff/tariff.hpp"

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
    TariffStructure structure = TariffStructure::flat;
    Tariff tariff;  // the engine's model (validated)

    [[nodiscard]] bool time_of_use() const {
        return structure == TariffStructure::time_of_use || structure == TariffStructure::two_part;
    }
};

// REQUIRES: code is one of the eight codes.
[[nodiscard]] const SyntheticTariff& synthetic_tariff(TariffCode code);

// The tariff as its GridAudit tariff JSON document (tariffs/<id>.json): tariff_to_json of the model.
[[nodiscard]] std::string synthetic_tariff_json(const SyntheticTariff& tariff);

}  // namespace gridaudit
