// VEE of a region's daily registers (see region_vee.hpp).
#include "analysis/region_vee.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/meter_usage.hpp"

namespace gridaudit {
namespace {

constexpr std::int64_t seconds_per_day = 86'400;

// 1 for rest days (Saturday, Sunday), 0 for workdays.
std::uint8_t rest_day(CivilDate day) {
    // 1970-01-01 was a Thursday: 2 and 3 days after it (mod 7) are Saturday and Sunday.
    const std::int32_t weekday = ((day.days_since_epoch() % 7) + 7) % 7;
    return static_cast<std::uint8_t>(weekday == 2 || weekday == 3);
}

// Validation and estimation of the frame's interval matrix over days [first, last].
void run_interval_vee(const RegionFrame& frame, const VeeSettings& settings, CivilDate first, CivilDate last,
                      RegionVeeResult& result) {
    if (!frame.has_intervals()) return;
    const IntervalMatrix& intervals = frame.intervals;
    constexpr std::int32_t per_day = IntervalMatrix::values_per_day;
    const std::int32_t from = std::max(0, first - intervals.first_day);
    const std::int32_t to = std::min(intervals.day_count - 1, last - intervals.first_day);
    if (from > to) return;
    const auto matrix_days = static_cast<std::size_t>(intervals.day_count);
    const std::int64_t offset_seconds = std::int64_t{intervals.utc_offset_minutes} * 60;
    SeriesWorkspace workspace;
    std::vector<double> register_delta, estimate;
    std::vector<ValueQuality> quality;
    std::vector<EstimateMethod> method;
    std::vector<std::uint8_t> active, day_type;
    std::vector<std::int64_t> local_starts;
    std::vector<VeeException> exceptions;
    std::size_t off_grid = 0;  // next off-grid start (they are by meter row, then start)
    for (std::size_t r = 0; r < intervals.meter_count(); ++r) {
        const std::size_t m = frame.interval_meter[r].value();
        // From the meter's first to its last day with a stored interval, while it is installed.
        std::int32_t begin = std::max(from, frame.meters.installed_on[m] - intervals.first_day);
        std::int32_t end = to;
        if (frame.meters.removed_on[m]) end = std::min(end, (*frame.meters.removed_on[m] - 1) - intervals.first_day);
        const std::uint16_t* stored = &intervals.stored[r * matrix_days];
        while (begin <= end && stored[begin] == 0) ++begin;
        while (end >= begin && stored[end] == 0) --end;
        local_starts.clear();
        for (; off_grid < intervals.off_grid_meter.size() && intervals.off_grid_meter[off_grid] <= r; ++off_grid) {
            if (intervals.off_grid_meter[off_grid] < r) continue;
            const std::int64_t local = intervals.off_grid_start[off_grid] + offset_seconds;
            const std::int64_t day = (local - static_cast<std::int64_t>(intervals.first_day.days_since_epoch()) *
                                                  seconds_per_day) / seconds_per_day;
            if (day >= begin && day <= end) local_starts.push_back(local);
        }
        if (begin > end) continue;
        ++result.interval_meters;
        result.coarse_intervals += intervals.coarse_intervals[r];
        const auto days = static_cast<std::size_t>(end - begin + 1);
        const std::size_t values = days * per_day;
        register_delta.assign(days, std::nan(""));
        active.assign(days, 1);
        day_type.resize(days);
        const bool customer = !frame.meters.is_gateway[m] && frame.meters.customer[m].valid();
        for (std::size_t d = 0; d < days; ++d) {
            const CivilDate day = intervals.first_day + (begin + static_cast<std::int32_t>(d));
            day_type[d] = rest_day(day);
            if (customer) {
                const auto c = frame.meters.customer[m].value();
                active[d] = frame.customers.supply_start[c] <= day &&
                            (!frame.customers.supply_end[c] || *frame.customers.supply_end[c] >= day);
            }
            // The register dated D is read at the end of day D: day D's advance is D minus D - 1.
            if (frame.has_daily()) {
                const std::int32_t at = day - frame.daily.first_day;
                if (at >= 1 && at < frame.daily.day_count)
                    register_delta[d] = register_advance(frame.daily.import_at(m, at - 1), frame.daily.import_at(m, at),
                                                         settings.register_digits, settings.rollover_max_fraction)
                                            .advance;
            }
        }
        estimate.resize(values);
        quality.resize(values);
        method.resize(values);
        const std::size_t at = r * intervals.row_length() + static_cast<std::size_t>(begin) * per_day;
        exceptions.clear();
        validate_and_estimate({std::span<const double>(&intervals.kwh[at], values),
                               std::span<const std::uint8_t>(&intervals.flags[at], values), per_day, register_delta,
                               active, day_type},
                              settings, static_cast<std::uint32_t>(m), {estimate, quality, method}, workspace,
                              exceptions, result.interval_counts);
        for (const auto& e : exceptions)
            result.interval_exceptions.push_back(
                {frame.meters.id[m], intervals.first_day + (begin + e.index / per_day), e});
        const std::int64_t first_start =
            static_cast<std::int64_t>((intervals.first_day + begin).days_since_epoch()) * seconds_per_day -
            static_cast<std::int64_t>(intervals.utc_offset_minutes) * 60;
        for (std::size_t v = 0; v < values; ++v)
            if (method[v] != EstimateMethod::none && !std::isnan(estimate[v]))
                result.interval_estimates.push_back({MeterIndex(static_cast<std::uint32_t>(m)),
                                                     first_start + static_cast<std::int64_t>(v) *
                                                                       IntervalMatrix::slot_minutes * 60,
                                                     estimate[v], method[v]});
        exceptions.clear();
        check_interval_timestamps(local_starts, IntervalMatrix::slot_minutes, settings, static_cast<std::uint32_t>(m),
                                  exceptions, result.interval_counts);
        for (const auto& e : exceptions) {
            const std::int64_t local = local_starts[static_cast<std::size_t>(e.index)];
            const auto epoch_day = static_cast<std::int32_t>(local >= 0 ? local / seconds_per_day
                                                                        : -((-local + seconds_per_day - 1) / seconds_per_day));
            result.interval_exceptions.push_back({frame.meters.id[m], CivilDate::from_days(epoch_day), e});
        }
    }
}

}  // namespace

RegionVeeResult run_region_vee(const RegionFrame& frame, const VeeSettings& settings, CivilDate first, CivilDate last) {
    RegionVeeResult result;
    result.substation_id = frame.substation_id;
    run_interval_vee(frame, settings, first, last, result);
    if (!frame.has_daily()) return result;
    const DailyMatrix& daily = frame.daily;
    const std::int32_t from = std::max(0, first - daily.first_day);
    const std::int32_t to = std::min(daily.day_count - 1, last - daily.first_day);
    if (from > to) return result;
    const auto days = static_cast<std::size_t>(to - from + 1);
    result.first_day = daily.first_day + from;
    result.days = static_cast<std::int32_t>(days);
    std::vector<std::uint8_t> day_type(days);
    for (std::size_t d = 0; d < days; ++d) day_type[d] = rest_day(daily.first_day + (from + static_cast<std::int32_t>(d)));
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
        const InstalledDays installed = installed_days(frame, m, from, to + 1);
        if (installed.empty()) continue;
        const std::int32_t begin = installed.begin;
        const std::size_t count = installed.size();
        const auto offset = static_cast<std::size_t>(begin - from);
        exceptions.clear();
        const DailyUsage usage = meter_daily_usage(frame, m, daily.import_register, installed,
                                                   UsageStart::previous_register, settings, exceptions);
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
