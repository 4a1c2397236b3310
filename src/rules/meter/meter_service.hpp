// Facts about a meter's service life and metering point shared by the METER rules: whether it is
// in service, calendar arithmetic of test and rotation periods, the DL/T 448 metering class of its
// point, its customer's meters in time order, and the load measured on its daily registers.
// Thread safety: pure functions of an immutable frame.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/time.hpp"
#include "engine/metering_class.hpp"
#include "frame/region_frame.hpp"

namespace gridaudit {

// True when meter m was installed on or before `day` and not removed by then.
[[nodiscard]] inline bool in_service(const MeterColumns& meters, std::size_t m, CivilDate day) {
    if (meters.installed_on[m] > day) return false;
    return !meters.removed_on[m] || *meters.removed_on[m] > day;
}

// The same month and day `years` later; 29 February becomes 28 February in a common year.
[[nodiscard]] inline CivilDate add_years(CivilDate date, int years) {
    const int year = date.year() + years;
    unsigned day = date.day();
    if (date.month() == 2 && day == 29 && !std::chrono::year(year).is_leap()) day = 28;
    return CivilDate::from_ymd(year, date.month(), day);
}

// The same day `months` later, or the last day of that month when it is shorter (31 January + 1
// month is 28 or 29 February).
[[nodiscard]] inline CivilDate add_months(CivilDate date, int months) {
    const Period target = Period::of(date) + months;
    const CivilDate last = target.last_day();
    return CivilDate::from_ymd(last.year(), last.month(), std::min(date.day(), last.day()));
}

// The metering point of a meter: its DL/T 448 class from capacity (the node's rated kVA for a
// gateway meter, the contracted kVA for a customer's) and the largest monthly energy billed to the
// customer (NaN when unknown or for gateway meters).
struct MeteringPoint {
    MeteringClass metering_class = MeteringClass::IV;
    double capacity_kva = 0;
    double monthly_kwh = std::nan("");
};

[[nodiscard]] inline MeteringPoint metering_point(const RegionFrame& frame, std::size_t m) {
    const MeterColumns& meters = frame.meters;
    MeteringPoint point;
    if (meters.is_gateway[m]) {
        point.capacity_kva = frame.network.rated_kva[meters.node[m].value()];
    } else {
        const std::uint32_t c = meters.customer[m].value();
        point.capacity_kva = frame.customers.contracted_kva[c];
        point.monthly_kwh = frame.max_monthly_kwh[c];
    }
    if (std::isnan(point.capacity_kva)) point.capacity_kva = 0;
    point.metering_class = required_metering_class(meters.phases[m], point.capacity_kva, point.monthly_kwh);
    return point;
}

// The meters of every customer, each customer's in installation order (then id): meters of customer
// c are order[first[c]] .. order[first[c + 1] - 1]. Built by counting, linear in the meters.
struct CustomerMeters {
    std::vector<std::uint32_t> first;  // customers + 1 offsets
    std::vector<std::uint32_t> order;  // meter indexes

    explicit CustomerMeters(const RegionFrame& frame) {
        const MeterColumns& meters = frame.meters;
        first.assign(frame.customers.size() + 1, 0);
        for (std::size_t m = 0; m < meters.size(); ++m)
            if (meters.customer[m].valid()) ++first[meters.customer[m].value() + 1];
        for (std::size_t c = 0; c < frame.customers.size(); ++c) first[c + 1] += first[c];
        order.resize(first.back());
        std::vector<std::uint32_t> next(first.begin(), first.end() - 1);
        for (std::size_t m = 0; m < meters.size(); ++m)
            if (meters.customer[m].valid()) order[next[meters.customer[m].value()]++] = static_cast<std::uint32_t>(m);
        for (std::size_t c = 0; c < frame.customers.size(); ++c)
            if (first[c + 1] - first[c] > 1)
                std::sort(order.begin() + first[c], order.begin() + first[c + 1],
                          [&](std::uint32_t a, std::uint32_t b) {
                              return std::tie(meters.installed_on[a], meters.id[a]) <
                                     std::tie(meters.installed_on[b], meters.id[b]);
                          });
    }
    [[nodiscard]] std::size_t count(std::size_t c) const { return first[c + 1] - first[c]; }
};

// The ratio between the energy through a meter's primary circuit and its register: CT ratio x PT
// ratio, or the recorded multiplier when the ratios are unusable. A wrong multiplier (METER-
// MULTIPLIER-MISMATCH) does not change the current the CT carries.
[[nodiscard]] inline double physical_ratio(const MeterColumns& meters, std::size_t m) {
    const double ratio = meters.ct_ratio[m] * meters.pt_ratio[m];
    if (ratio > 0) return ratio;
    return meters.multiplier[m] > 0 ? meters.multiplier[m] : 1.0;
}

// Load measured on a meter's daily import register over the last `lookback_days` of the frame's
// daily window, times `ratio` (physical_ratio()): the largest advance within one calendar month
// (whole or partial), and the largest and mean daily advance. NaN when there are no two valid days.
struct MeasuredLoad {
    double max_month_kwh = std::nan("");
    double max_day_kwh = std::nan("");
    double mean_day_kwh = std::nan("");
};

[[nodiscard]] inline MeasuredLoad measured_load(const RegionFrame& frame, std::size_t m, std::int32_t lookback_days,
                                                double ratio) {
    MeasuredLoad load;
    if (!frame.has_daily()) return load;
    const DailyMatrix& daily = frame.daily;
    const std::int32_t days = std::min(lookback_days, daily.day_count);
    const std::int32_t from = daily.day_count - days;
    const double multiplier = ratio;
    const double* values = daily.import_register.data() + m * static_cast<std::size_t>(daily.day_count);
    double previous = std::nan("");
    std::int32_t previous_day = -1;
    double month_sum = 0;
    Period month = Period::of(daily.first_day + from);
    double total = 0;
    std::int32_t span = 0;
    double best_month = std::nan("");
    double best_day = std::nan("");
    for (std::int32_t d = from; d < daily.day_count; ++d) {
        const double value = values[d];
        if (std::isnan(value)) continue;
        if (!std::isnan(previous)) {
            const double advance = std::max(0.0, value - previous) * multiplier;  // a decrease is another rule's
            const std::int32_t gap = d - previous_day;
            const Period this_month = Period::of(daily.first_day + d);
            if (this_month != month) {
                best_month = std::isnan(best_month) ? month_sum : std::max(best_month, month_sum);
                month_sum = 0;
                month = this_month;
            }
            month_sum += advance;
            total += advance;
            span += gap;
            const double per_day = advance / gap;
            best_day = std::isnan(best_day) ? per_day : std::max(best_day, per_day);
        }
        previous = value;
        previous_day = d;
    }
    if (span == 0) return load;
    load.max_month_kwh = std::isnan(best_month) ? month_sum : std::max(best_month, month_sum);
    load.max_day_kwh = best_day;
    load.mean_day_kwh = total / span;
    return load;
}

}  // namespace gridaudit
