// Usage derivation from registers (see usage_derivation.hpp).
#include "engine/vee/usage_derivation.hpp"

#include <cmath>
#include <limits>

namespace gridaudit {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

double register_span(int digits) { return std::pow(10.0, digits); }

}  // namespace

RegisterAdvance register_advance(double previous, double current, int digits, double rollover_max_fraction) {
    RegisterAdvance result;
    if (std::isnan(previous) || std::isnan(current)) {
        result.advance = nan_value;
        return result;
    }
    if (current >= previous) {
        result.advance = current - previous;
        return result;
    }
    if (digits > 0) {
        const double span = register_span(digits);
        const double wrapped = current + span - previous;
        if (wrapped >= 0 && wrapped <= rollover_max_fraction * span) {
            result.advance = wrapped;
            result.rollover = true;
            return result;
        }
    }
    result.advance = nan_value;
    result.decrease = true;
    return result;
}

DailyUsage derive_daily_usage(std::span<const double> registers, double previous_value, double multiplier,
                              const VeeSettings& settings, std::uint32_t meter, std::vector<VeeException>& exceptions) {
    const auto n = static_cast<std::int32_t>(registers.size());
    DailyUsage usage;
    usage.kwh.assign(registers.size(), nan_value);
    usage.quality.assign(registers.size(), ValueQuality::missing);
    double last_value = previous_value;  // last valid register before day d
    std::int32_t last_day = -1;          // its day (-1: previous_value)
    for (std::int32_t d = 0; d < n; ++d) {
        const double value = registers[static_cast<std::size_t>(d)];
        if (std::isnan(value)) continue;
        if (!std::isnan(last_value)) {
            const RegisterAdvance step =
                register_advance(last_value, value, settings.register_digits, settings.rollover_max_fraction);
            if (step.decrease) {
                if (settings.on(VeeCheck::register_decrease))
                    exceptions.push_back({VeeCheck::register_decrease, meter, d, 1, value, last_value});
            } else {
                usage.rollovers += step.rollover;
                const std::int32_t span = d - last_day;  // days the advance covers
                const double per_day = step.advance * multiplier / span;
                const ValueQuality quality = span == 1 ? ValueQuality::actual : ValueQuality::estimated;
                for (std::int32_t k = std::max<std::int32_t>(0, last_day + 1); k <= d; ++k) {
                    usage.kwh[static_cast<std::size_t>(k)] = per_day;
                    usage.quality[static_cast<std::size_t>(k)] = quality;
                }
            }
        }
        last_value = value;
        last_day = d;
    }
    return usage;
}

PeriodUsage period_usage(std::span<const RegisterSegment> segments, double rollover_max_fraction) {
    PeriodUsage usage;
    for (const RegisterSegment& segment : segments) {
        usage.quality = worse(usage.quality, worse(segment.start_quality, segment.end_quality));
        const RegisterAdvance step =
            register_advance(segment.start_value, segment.end_value, segment.digits, rollover_max_fraction);
        usage.rollover |= step.rollover;
        usage.decrease |= step.decrease;
        if (std::isnan(step.advance)) {
            usage.kwh = nan_value;
            usage.quality = ValueQuality::missing;
            continue;
        }
        usage.kwh += step.advance * segment.multiplier;
    }
    if (segments.empty()) {
        usage.kwh = nan_value;
        usage.quality = ValueQuality::missing;
    }
    return usage;
}

}  // namespace gridaudit
