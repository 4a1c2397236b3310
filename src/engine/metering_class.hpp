// Metering classes of DL/T 448-2000 and the accuracy each requires (REFERENCE.md section 8).
//
// Pure functions of capacity, monthly energy and phases; no I/O. Thread safety: stateless.
#pragma once

#include <optional>
#include <string_view>

namespace gridaudit {

enum class MeteringClass { I = 1, II, III, IV, V };

[[nodiscard]] std::string_view metering_class_name(MeteringClass metering_class);

// The class a metering point must meet: single-phase points are class V; otherwise the higher
// of the class implied by capacity (>= 10,000 / 2,000 / 315 kVA) and by monthly energy
// (>= 5 GWh / 1 GWh / 100 MWh). Monthly energy NaN means unknown (capacity alone decides).
[[nodiscard]] MeteringClass required_metering_class(int phases, double capacity_kva, double max_monthly_kwh);

// Position of an accuracy class in order of increasing error: 0.2S < 0.2 < 0.5S < 0.5 < 1.0 < 2.0 < 3.0.
// nullopt for a class this table does not know.
[[nodiscard]] std::optional<int> accuracy_rank(std::string_view accuracy_class);

struct AccuracyRequirement {
    std::string_view active_meter;  // worst acceptable active-energy meter class
    std::string_view current_transformer;  // worst acceptable CT class, "" when not applicable
    std::string_view voltage_transformer;  // worst acceptable PT class, "" when not applicable
};

[[nodiscard]] AccuracyRequirement accuracy_requirement(MeteringClass metering_class);

// True when `installed` is at least as accurate as `worst_acceptable`.
// REQUIRES: both are classes accuracy_rank() knows.
[[nodiscard]] bool meets_accuracy(std::string_view installed, std::string_view worst_acceptable);

}  // namespace gridaudit
