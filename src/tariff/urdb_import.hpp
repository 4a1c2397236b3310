// Import of US Utility Rate Database (URDB, OpenEI) rates, v7 JSON layout, into the tariff model.
//
// Read: energyratestructure (periods x tiers: max, rate, adj, unit "kWh"; sell ignored), the 12 x 24
// energy weekday/weekend schedules, demandratestructure with its schedules, flatdemandstructure and
// flatdemandmonths, fixedmonthlycharge (or fixedchargefirstmeter + fixedchargeunits), minmonthlycharge
// (or mincharge + minchargeunits) and annualmincharge, and the descriptive members (name, utility,
// sector, ...). Members that change a bill but are not modelled (ratchets, coincident demand, kWh/kW
// tiers, fuel adjustments, ...) are refused unless empty or zero; unknown members are refused.
// Conventions (docs/tariffs.md): tier maxima of 1e37 and above mean unbounded; energy tiers apply to
// the month's total energy shared by period (NREL SAM's convention); the weekend schedule serves
// Saturdays, Sundays and holidays; rates are rounded half-up to 1e-8, amounts to 0.0001.
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "core/result.hpp"
#include "tariff/tariff.hpp"

namespace gridaudit {

// Parses one URDB rate (an object, or {"items": [rate]} as the URDB API returns it).
[[nodiscard]] Result<Tariff> parse_urdb_rate(std::string_view content, std::string_view source_name);

}  // namespace gridaudit
