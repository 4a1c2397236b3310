// DL/T 448-2000 metering-class table.
#include "engine/metering_class.hpp"

#include <array>
#include <cmath>

namespace gridaudit {

std::string_view metering_class_name(MeteringClass metering_class) {
    constexpr std::array<std::string_view, 5> names{"I", "II", "III", "IV", "V"};
    return names[static_cast<int>(metering_class) - 1];
}

MeteringClass required_metering_class(int phases, double capacity_kva, double max_monthly_kwh) {
    if (phases == 1) return MeteringClass::V;
    MeteringClass by_capacity = MeteringClass::IV;
    if (capacity_kva >= 10'000) by_capacity = MeteringClass::I;
    else if (capacity_kva >= 2'000) by_capacity = MeteringClass::II;
    else if (capacity_kva >= 315) by_capacity = MeteringClass::III;
    MeteringClass by_energy = MeteringClass::IV;
    if (!std::isnan(max_monthly_kwh)) {
        if (max_monthly_kwh >= 5'000'000) by_energy = MeteringClass::I;
        else if (max_monthly_kwh >= 1'000'000) by_energy = MeteringClass::II;
        else if (max_monthly_kwh >= 100'000) by_energy = MeteringClass::III;
    }
    return static_cast<int>(by_capacity) < static_cast<int>(by_energy) ? by_capacity : by_energy;
}

std::optional<int> accuracy_rank(std::string_view accuracy_class) {
    constexpr std::array<std::string_view, 7> order{"0.2S", "0.2", "0.5S", "0.5", "1.0", "2.0", "3.0"};
    for (std::size_t i = 0; i < order.size(); ++i)
        if (order[i] == accuracy_class) return static_cast<int>(i);
    return std::nullopt;
}

AccuracyRequirement accuracy_requirement(MeteringClass metering_class) {
    switch (metering_class) {
        case MeteringClass::I: return {"0.5S", "0.2", "0.2"};
        case MeteringClass::II: return {"0.5", "0.2", "0.2"};
        case MeteringClass::III: return {"1.0", "0.5S", "0.5"};
        case MeteringClass::IV: return {"2.0", "0.5S", "0.5"};
        case MeteringClass::V: return {"2.0", "0.5S", ""};
    }
    return {"2.0", "", ""};
}

bool meets_accuracy(std::string_view installed, std::string_view worst_acceptable) {
    const auto installed_rank = accuracy_rank(installed);
    const auto limit_rank = accuracy_rank(worst_acceptable);
    if (!installed_rank || !limit_rank) return false;
    return *installed_rank <= *limit_rank;
}

}  // namespace gridaudit
