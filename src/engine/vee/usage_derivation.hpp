// Usage derived from cumulative registers: delta x multiplier, with register rollover by digit
// count, flat spread across missing days, and billing-period usage over meter exchanges and
// multiplier changes (import and export registers alike).
//
// Thread safety: stateless functions. Energy is in kWh after the multiplier; register values are
// as displayed (before the multiplier); NaN marks a missing value.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/vee/vee_types.hpp"

namespace gridaudit {

struct RegisterAdvance {
    double advance = 0;     // register units; NaN when a value is missing or the register decreased
    bool rollover = false;  // the register passed 10^digits and started again at 0
    bool decrease = false;  // the register went backwards (not a rollover)
};

// Advance from `previous` to `current`. A decrease is a rollover when the wrapped advance
// (current + 10^digits - previous) is at most rollover_max_fraction x 10^digits; digits <= 0
// means the register never rolls over.
[[nodiscard]] RegisterAdvance register_advance(double previous, double current, int digits,
                                               double rollover_max_fraction);

// Daily usage of one meter from its end-of-day registers. Day d's usage is the advance from day
// d-1 (from `previous_value` for d = 0; NaN when unknown) times the multiplier. Days inside a run
// of missing registers bracketed by valid ones share the advance across the run equally
// (estimated); a register decrease leaves the day missing and adds a register_decrease exception.
struct DailyUsage {
    std::vector<double> kwh;
    std::vector<ValueQuality> quality;
    int rollovers = 0;
};
[[nodiscard]] DailyUsage derive_daily_usage(std::span<const double> registers, double previous_value,
                                            double multiplier, const VeeSettings& settings, std::uint32_t meter,
                                            std::vector<VeeException>& exceptions);

// One stretch of a billing period on one meter and one multiplier.
struct RegisterSegment {
    double start_value = 0;  // register at the start of the stretch (previous read, or a new meter's first read)
    double end_value = 0;    // register at its end (period-end read, or an old meter's final read)
    double multiplier = 1;
    int digits = 0;          // register digits; 0: no rollover
    ValueQuality start_quality = ValueQuality::actual;
    ValueQuality end_quality = ValueQuality::actual;
};

struct PeriodUsage {
    double kwh = 0;  // NaN when a stretch cannot be derived
    ValueQuality quality = ValueQuality::actual;
    bool rollover = false;
    bool decrease = false;
};

// Usage of a billing period made of stretches: a meter exchange is the old meter's stretch up to
// its final read plus the new meter's from its first read; a multiplier change splits one meter
// into two stretches at the read of the change day. The quality is the worst of the reads used.
[[nodiscard]] PeriodUsage period_usage(std::span<const RegisterSegment> segments, double rollover_max_fraction);

}  // namespace gridaudit
