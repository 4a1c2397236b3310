// Time series in columnar memory: a dense meters x days matrix of daily register values.
//
// Row m holds meter_ids[m]; column d is day first_day + d. NaN marks a value that was never
// received (never 0). Thread safety: plain data; concurrent reads are safe.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace gridaudit {

struct DailyMatrix {
    std::vector<std::string> meter_ids;
    CivilDate first_day;
    std::int32_t day_count = 0;
    std::vector<double> import_register;  // meter_ids.size() * day_count, meter-major
    std::vector<double> export_register;

    [[nodiscard]] std::size_t meter_count() const { return meter_ids.size(); }
    [[nodiscard]] double import_at(std::size_t meter, std::int32_t day) const {
        return import_register[meter * static_cast<std::size_t>(day_count) + static_cast<std::size_t>(day)];
    }
    [[nodiscard]] double export_at(std::size_t meter, std::int32_t day) const {
        return export_register[meter * static_cast<std::size_t>(day_count) + static_cast<std::size_t>(day)];
    }
};

}  // namespace gridaudit
