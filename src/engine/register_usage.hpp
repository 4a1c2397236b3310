// Energy registered between two days from cumulative register values.
//
// A first cut of usage derivation for the foundation rules; the VEE layer refines it with
// rollover, meter exchanges and estimation. Thread safety: stateless.
#pragma once

#include <cmath>
#include <cstdint>

namespace gridaudit {

// Last valid value minus first valid value of values[0..count); NaN when fewer than two
// values are valid. The result is in register units (before the multiplier).
[[nodiscard]] inline double registered_delta(const double* values, std::int32_t count) {
    std::int32_t first = 0;
    while (first < count && std::isnan(values[first])) ++first;
    std::int32_t last = count - 1;
    while (last > first && std::isnan(values[last])) --last;
    if (first >= last) return std::nan("");
    return values[last] - values[first];
}

}  // namespace gridaudit
