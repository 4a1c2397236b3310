// Daily usage of one meter of a region frame from its end-of-day registers: the one place the
// analyses turn a frame's registers into usage (the loss series, region VEE), over the days the
// meter is installed on, by the VEE layer's derivation (engine/vee/usage_derivation.hpp: advances x
// multiplier, rollovers by digit count, a run of missing values bracketed by reads shared evenly
// and marked estimated, a decrease left missing).
// Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/vee/usage_derivation.hpp"
#include "frame/region_frame.hpp"

namespace gridaudit {

// Days [begin, end) of the frame's daily matrix inside [from, to) on which the meter is installed
// (from its installation day to the day before its removal). Empty when begin >= end.
struct InstalledDays {
    std::int32_t begin = 0, end = 0;
    [[nodiscard]] bool empty() const { return begin >= end; }
    [[nodiscard]] std::size_t size() const { return empty() ? 0 : static_cast<std::size_t>(end - begin); }
};
[[nodiscard]] InstalledDays installed_days(const RegionFrame& frame, std::size_t meter, std::int32_t from,
                                           std::int32_t to);

// What the first day's advance is measured from.
enum class UsageStart {
    // A meter installed on the first day starts from 0 (its first read is its first day's usage);
    // otherwise the register of the day before, when the matrix has it. The energy balance's rule.
    zero_at_installation,
    // Always the register of the day before (missing on the matrix's first day): the first day of
    // a newly installed meter is missing, for VEE to validate and estimate.
    previous_register,
};

// Usage on `days` (kWh after the multiplier; index 0 is days.begin) of the meter's row in
// `registers` (the frame's import_register or export_register). Exceptions (register decreases)
// are appended with the meter's index and the day's index within `days`.
// REQUIRES: frame.has_daily(), !days.empty(), `registers` is meters x day_count.
[[nodiscard]] DailyUsage meter_daily_usage(const RegionFrame& frame, std::size_t meter,
                                           const std::vector<double>& registers, InstalledDays days, UsageStart start,
                                           const VeeSettings& settings, std::vector<VeeException>& exceptions);

}  // namespace gridaudit
