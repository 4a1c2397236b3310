// VEE of a region's daily registers (see region_vee.hpp).
#include "rules/reading/region_vee.hpp"

#include <algorithm>
#include <cmath>

#include "engine/vee/usage_derivation.hpp"

namespace gridaudit {

RegionVeeResult run_region_vee(const RegionFrame& frame, const VeeSettings& settings, CivilDate first, CivilDate last) {
    RegionVeeResult result;
    result.substation_id = frame.substation_id;
    if (!frame.has_daily()) return result;
    const DailyMatrix& daily = frame.daily;
    const std::int32_t from = std::max(0, first - daily.first_day);
    const std::int32_t to = std::min(daily.day_count - 1, last - daily.first_day);
    if (from > to) return result;
    const auto days = static_cast<std::size_t>(to - from + 1);
    result.first_day = daily.first_day + from;
    result.days = static_cast<std::int32_t>(days);
    const auto row_length = static_cast<std::size_t>(daily.day_count);
    std::vector<std::uint8_t> day_type(days);
    for (std::size_t d = 0; d < days; ++d) {
        // 1970-01-01 was a Thursday: 2 and 3 days after it (mod 7) are Saturday and Sunday.
        const std::int32_t epoch_day = (daily.first_day + (from + static_cast<std::int32_t>(d))).days_since_epoch();
        const std::int32_t weekday = ((epoch_day % 7) + 7) % 7;
        day_type[d] = static_cast<std::uint8_t>(weekday == 2 || weekday == 3);
    }
    SeriesWorkspace workspace;
    std::vector<std::uint8_t> active;
    std::vector<double> actual;
    std::vector<VeeException> exceptions;
    for (std::size_t m = 0; m < frame.meters.size(); ++m) {
        if (frame.meters.is_gateway[m] || !frame.meters.customer[m].valid()) continue;
        ++result.meters;
        const std::size_t base = result.usage.size();
        result.usage.resize(base + days, std::nan(""));
        result.quality.resize(base + days, ValueQuality::missing);
        result.estimate.resize(base + days, std::nan(""));
        result.method.resize(base + days, EstimateMethod::none);
        result.meter_order.push_back(MeterIndex(static_cast<std::uint32_t>(m)));
        // Only the days the meter is installed on are validated (and can be missing).
        std::int32_t begin = std::max(from, frame.meters.installed_on[m] - daily.first_day);
        std::int32_t end = to;
        if (frame.meters.removed_on[m]) end = std::min(end, (*frame.meters.removed_on[m] - 1) - daily.first_day);
        if (begin > end) continue;
        const auto count = static_cast<std::size_t>(end - begin + 1);
        const auto offset = static_cast<std::size_t>(begin - from);
        const double* row = &daily.import_register[m * row_length];
        const double previous = begin > 0 ? row[begin - 1] : std::nan("");
        exceptions.clear();
        const DailyUsage usage = derive_daily_usage(std::span<const double>(row + begin, count), previous,
                                                    frame.meters.multiplier[m], settings,
                                                    static_cast<std::uint32_t>(m), exceptions);
        result.rollovers += static_cast<std::uint64_t>(usage.rollovers);
        for (const auto& e : exceptions) ++result.counts.exceptions[static_cast<std::size_t>(e.check)];
        // Days the register spread covers are estimates already; validation sees actual days only.
        actual.resize(count);
        active.resize(count);
        for (std::size_t d = 0; d < count; ++d) {
            actual[d] = usage.quality[d] == ValueQuality::actual ? usage.kwh[d] : std::nan("");
            // Supply window of the customer (its status is today's, not the day's).
            const CivilDate day = daily.first_day + (begin + static_cast<std::int32_t>(d));
            const auto c = frame.meters.customer[m].value();
            active[d] = frame.customers.supply_start[c] <= day &&
                        (!frame.customers.supply_end[c] || *frame.customers.supply_end[c] >= day);
        }
        const std::size_t at = base + offset;
        std::copy(actual.begin(), actual.end(), result.usage.begin() + static_cast<std::ptrdiff_t>(at));
        validate_and_estimate({actual, {}, 1, {}, active, std::span<const std::uint8_t>(&day_type[offset], count)},
                              settings, static_cast<std::uint32_t>(m),
                              {std::span<double>(&result.estimate[at], count),
                               std::span<ValueQuality>(&result.quality[at], count),
                               std::span<EstimateMethod>(&result.method[at], count)},
                              workspace, exceptions, result.counts);
        // The register spread's days keep their estimate and flag.
        for (std::size_t d = 0; d < count; ++d)
            if (usage.quality[d] == ValueQuality::estimated) {
                result.estimate[at + d] = usage.kwh[d];
                result.quality[at + d] = ValueQuality::estimated;
                result.method[at + d] = EstimateMethod::register_spread;
            }
        for (const auto& e : exceptions)
            result.exceptions.push_back({frame.meters.id[m], daily.first_day + (begin + e.index), e});
    }
    return result;
}

}  // namespace gridaudit
