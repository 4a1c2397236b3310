// VEE of a region's daily registers (see region_vee.hpp).
#include "rules/reading/region_vee.hpp"

#include <cmath>

#include "engine/vee/usage_derivation.hpp"
#include "rules/reading/daily_register_scan.hpp"

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
    const auto row_length = static_cast<std::size_t>(daily.day_count);
    std::vector<std::uint8_t> day_type(days);
    for (std::size_t d = 0; d < days; ++d) {
        // 1970-01-01 was a Thursday: 2 and 3 days after it (mod 7) are Saturday and Sunday.
        const std::int32_t epoch_day = (daily.first_day + (from + static_cast<std::int32_t>(d))).days_since_epoch();
        const std::int32_t weekday = ((epoch_day % 7) + 7) % 7;
        day_type[d] = static_cast<std::uint8_t>(weekday == 2 || weekday == 3);
    }
    SeriesWorkspace workspace;
    std::vector<std::uint8_t> active(days);
    std::vector<VeeException> exceptions;
    for (std::size_t m = 0; m < frame.meters.size(); ++m) {
        if (frame.meters.is_gateway[m] || !frame.meters.customer[m].valid()) continue;
        ++result.meters;
        const double* row = &daily.import_register[m * row_length];
        const double previous = from > 0 ? row[from - 1] : std::nan("");
        exceptions.clear();
        DailyUsage usage = derive_daily_usage(std::span<const double>(row + from, days), previous,
                                              frame.meters.multiplier[m], settings, static_cast<std::uint32_t>(m),
                                              exceptions);
        result.rollovers += static_cast<std::uint64_t>(usage.rollovers);
        for (const auto& e : exceptions) ++result.counts.exceptions[static_cast<std::size_t>(e.check)];
        // Days the register spread covers are estimates already; validation sees actual days only.
        std::vector<double> actual(days);
        for (std::size_t d = 0; d < days; ++d)
            actual[d] = usage.quality[d] == ValueQuality::actual ? usage.kwh[d] : std::nan("");
        for (std::size_t d = 0; d < days; ++d) {
            const CivilDate day = daily.first_day + (from + static_cast<std::int32_t>(d));
            active[d] = meter_installed(frame.meters, m, day) && frame.meters.installed_on[m] < day &&
                        customer_active(frame.customers, frame.meters.customer[m], day);
        }
        const std::size_t base = result.usage.size();
        result.usage.insert(result.usage.end(), usage.kwh.begin(), usage.kwh.end());
        result.quality.resize(base + days);
        result.estimate.resize(base + days);
        validate_and_estimate({actual, {}, 1, {}, active, day_type}, settings, static_cast<std::uint32_t>(m),
                              {std::span<double>(&result.estimate[base], days),
                               std::span<ValueQuality>(&result.quality[base], days)},
                              workspace, exceptions, result.counts);
        // The register spread's days keep their estimate and flag.
        for (std::size_t d = 0; d < days; ++d)
            if (usage.quality[d] == ValueQuality::estimated) {
                result.estimate[base + d] = usage.kwh[d];
                result.quality[base + d] = ValueQuality::estimated;
                result.usage[base + d] = std::nan("");
            }
        for (const auto& e : exceptions)
            result.exceptions.push_back({frame.meters.id[m], daily.first_day + (from + e.index), e});
    }
    return result;
}

}  // namespace gridaudit
