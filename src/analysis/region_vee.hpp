// VEE of a loaded region's daily registers: usage derivation (analysis/meter_usage.hpp: rollover,
// spread across missing days), validation of each customer meter's daily usage with every enabled
// check, and estimation of the days still missing; and, where the frame carries 15-minute
// intervals, the same for each meter's intervals (register delta from the daily registers,
// timestamp checks of the intervals off the grid). Counts by check for `gridaudit vee`; the
// exceptions with their meter ids for reports. Raw registers and intervals are never modified;
// daily estimates live in the result.
// Thread safety: stateless; regions may be processed in parallel.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "engine/vee/series_vee.hpp"
#include "frame/region_frame.hpp"

namespace gridaudit {

struct MeterVeeException {
    std::string meter_id;
    CivilDate day;  // first day the exception covers
    VeeException exception;
};

struct RegionVeeResult {
    std::string substation_id;
    std::size_t meters = 0;
    VeeCounts counts;                 // values = meter-days validated
    std::uint64_t rollovers = 0;
    std::vector<MeterVeeException> exceptions;
    // Per customer meter (frame order) x day: the actual daily usage (kWh after the multiplier,
    // NaN where the day is not actual), its quality, and beside it the estimate of a day that was
    // missing (NaN otherwise).
    std::vector<double> usage;
    std::vector<ValueQuality> quality;
    std::vector<double> estimate;
    std::vector<EstimateMethod> method;  // how each estimate was made (none where there is none)
    std::vector<MeterIndex> meter_order;  // the frame meter of each block of `days` values
    CivilDate first_day;                  // the day of each block's first value
    std::int32_t days = 0;                // values per meter

    // 15-minute intervals (frame.intervals), counted apart from the daily values: meters with
    // intervals in the days validated, their counts (values = intervals validated, over the days
    // from a meter's first to its last stored interval while installed) and exceptions (day = the
    // local day of the first interval involved) and the estimates made.
    std::size_t interval_meters = 0;
    VeeCounts interval_counts;
    std::uint64_t coarse_intervals = 0;  // 30/60-minute intervals, not validated
    std::vector<MeterVeeException> interval_exceptions;
    // The estimates made for missing intervals: frame meter, interval start (unix seconds), kWh as
    // stored (before the multiplier), method.
    struct IntervalEstimateValue {
        MeterIndex meter;
        std::int64_t start = 0;
        double kwh = 0;
        EstimateMethod method = EstimateMethod::none;
    };
    std::vector<IntervalEstimateValue> interval_estimates;
};

// Runs VEE over days [first, last] of the frame's daily matrix (clamped to it), for each customer
// meter over the days it is installed on (other days stay missing and are not counted). A day is
// active inside the customer's supply window; rest days (weekends) form their own day type for
// like-day estimation. Interval series are validated over the same days for every meter (customer or
// gateway) that has intervals; a gateway is always active.
[[nodiscard]] RegionVeeResult run_region_vee(const RegionFrame& frame, const VeeSettings& settings, CivilDate first,
                                             CivilDate last);

}  // namespace gridaudit
