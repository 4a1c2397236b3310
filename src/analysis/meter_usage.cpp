// Daily usage of one meter from a frame's registers (see meter_usage.hpp).
#include "analysis/meter_usage.hpp"

#include <algorithm>
#include <limits>
#include <span>

namespace gridaudit {

InstalledDays installed_days(const RegionFrame& frame, std::size_t meter, std::int32_t from, std::int32_t to) {
    const CivilDate first_day = frame.daily.first_day;
    const std::int32_t installed = frame.meters.installed_on[meter] - first_day;
    const std::int32_t removed = frame.meters.removed_on[meter] ? *frame.meters.removed_on[meter] - first_day
                                                                : std::numeric_limits<std::int32_t>::max();
    InstalledDays days;
    days.begin = std::max(from, installed);
    days.end = std::max(days.begin, std::min(to, removed));
    return days;
}

DailyUsage meter_daily_usage(const RegionFrame& frame, std::size_t meter, const std::vector<double>& registers,
                             InstalledDays days, UsageStart start, const VeeSettings& settings,
                             std::vector<VeeException>& exceptions) {
    const double* row = registers.data() + meter * static_cast<std::size_t>(frame.daily.day_count);
    const std::int32_t installed = frame.meters.installed_on[meter] - frame.daily.first_day;
    double previous = days.begin > 0 ? row[days.begin - 1] : std::numeric_limits<double>::quiet_NaN();
    if (start == UsageStart::zero_at_installation && days.begin == installed) previous = 0.0;
    return derive_daily_usage(std::span<const double>(row + days.begin, days.size()), previous,
                              frame.meters.multiplier[meter], settings, static_cast<std::uint32_t>(meter), exceptions);
}

}  // namespace gridaudit
