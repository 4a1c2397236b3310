// Validation and estimation of one meter's series (see series_vee.hpp).
#include "engine/vee/series_vee.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/rows.hpp"

namespace gridaudit {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint8_t unusable_for_history = interval_estimated | interval_power_out;

void raise(std::vector<VeeException>& exceptions, VeeCounts& counts, VeeCheck check, std::uint32_t meter,
           std::int32_t index, std::int32_t count, double value, double reference) {
    exceptions.push_back({check, meter, index, count, value, reference});
    ++counts.exceptions[static_cast<std::size_t>(check)];
}

// Mean of the `wanted` nearest days (alternating after/before) of the same day type whose value
// at `slot` is actual and usable; NaN when none is found.
double like_day_mean(const SeriesView& series, const VeeSettings& settings, std::int32_t day, std::int32_t slot,
                     std::int32_t days) {
    const std::int32_t p = series.values_per_day;
    const bool typed = !series.day_type.empty();
    const bool flagged = !series.flags.empty();
    const bool gated = !series.active.empty();
    double sum = 0;
    int found = 0;
    for (std::int32_t distance = 1; distance <= settings.like_day_search_days && found < settings.like_days;
         ++distance) {
        for (const std::int32_t other : {day - distance, day + distance}) {
            if (other < 0 || other >= days || found >= settings.like_days) continue;
            const auto o = static_cast<std::size_t>(other);
            if (typed && series.day_type[o] != series.day_type[static_cast<std::size_t>(day)]) continue;
            if (gated && !series.active[o]) continue;
            const auto i = o * static_cast<std::size_t>(p) + static_cast<std::size_t>(slot);
            const double v = series.values[i];
            if (std::isnan(v)) continue;
            if (flagged && (series.flags[i] & unusable_for_history)) continue;
            sum += v;
            ++found;
        }
    }
    return found ? sum / found : nan_value;
}

}  // namespace

void VeeCounts::add(const VeeCounts& other) {
    values += other.values;
    missing += other.missing;
    interpolated += other.interpolated;
    register_spread += other.register_spread;
    like_day += other.like_day;
    unestimated += other.unestimated;
    for (std::size_t i = 0; i < exceptions.size(); ++i) exceptions[i] += other.exceptions[i];
}

void validate_and_estimate(const SeriesView& series, const VeeSettings& settings, std::uint32_t meter,
                           const SeriesOutput& output, SeriesWorkspace& ws, std::vector<VeeException>& exceptions,
                           VeeCounts& counts) {
    const std::int32_t p = series.values_per_day;
    const auto up = static_cast<std::size_t>(p);
    const auto n = series.values.size();
    const auto days = static_cast<std::int32_t>(n / up);
    const double* v = series.values.data();
    const std::uint8_t* flags = series.flags.empty() ? nullptr : series.flags.data();
    counts.values += n;

    // Pass 1: per-slot history sums, per-day sums and missing counts.
    ws.slot_sum.assign(up, 0.0);
    ws.slot_count.assign(up, 0);
    ws.day_sum.assign(static_cast<std::size_t>(days), 0.0);
    ws.day_missing.assign(static_cast<std::size_t>(days), 0);
    ws.day_estimated.assign(static_cast<std::size_t>(days), 0);
    for (std::int32_t d = 0; d < days; ++d) {
        const std::size_t base = static_cast<std::size_t>(d) * up;
        double sum = 0;
        std::int32_t missing = 0;
        std::uint8_t any_flag = 0;
        for (std::size_t s = 0; s < up; ++s) {
            const double x = v[base + s];
            const std::uint8_t f = flags ? flags[base + s] : 0;
            any_flag |= f;
            if (std::isnan(x)) {
                ++missing;
                continue;
            }
            sum += x;
            if (!(f & unusable_for_history)) {
                ws.slot_sum[s] += x;
                ++ws.slot_count[s];
            }
        }
        ws.day_sum[static_cast<std::size_t>(d)] = sum;
        ws.day_missing[static_cast<std::size_t>(d)] = missing;
        ws.day_estimated[static_cast<std::size_t>(d)] = (any_flag & interval_estimated) != 0;
    }

    // Pass 2: value checks, runs of gaps, meter-estimated values and clock adjustments; estimation.
    // Fast paths: a value passes the spike checks when it is below cheap thresholds; only values
    // above them (and missing or flagged values) take the exact, slower path.
    const bool check_negative = settings.on(VeeCheck::negative_consumption);
    const bool check_neighbours = settings.on(VeeCheck::spike_neighbours);
    const bool check_history = settings.on(VeeCheck::spike_history);
    const double neighbour_factor = settings.spike_neighbour_factor;
    const double history_factor = settings.spike_history_factor;
    // x > f x (S - x) / (c - 1)  <=>  x > f x S / (c - 1 + f) for a value counted in S; values not
    // counted in S take the exact path anyway (they are flagged).
    ws.slot_threshold.resize(up);
    for (std::size_t s = 0; s < up; ++s) {
        const double c = ws.slot_count[s];
        ws.slot_threshold[s] = check_history && c >= 4 ? std::max(settings.spike_min_value,
                                                                  history_factor * ws.slot_sum[s] / (c - 1 + history_factor))
                                                       : std::numeric_limits<double>::infinity();
    }
    const double* threshold = ws.slot_threshold.data();
    std::fill(output.estimate.begin(), output.estimate.end(), nan_value);
    std::fill(output.method.begin(), output.method.end(), EstimateMethod::none);
    const bool record_method = !output.method.empty();
    std::fill(output.quality.begin(), output.quality.end(), ValueQuality::actual);
    std::int32_t estimated_run = 0;
    std::int32_t clock_run = 0;
    const auto total = static_cast<std::int32_t>(n);
    std::size_t slot = 0;
    for (std::int32_t i = 0; i < total; ++i, slot = slot + 1 == up ? 0 : slot + 1) {
        const auto ui = static_cast<std::size_t>(i);
        const double x = v[ui];
        const std::uint8_t f = flags ? flags[ui] : 0;
        if (f | estimated_run | clock_run) [[unlikely]] {
            if (f & interval_estimated) {
                ++estimated_run;
            } else if (estimated_run) {
                if (estimated_run >= settings.prolonged_estimation_values && settings.on(VeeCheck::prolonged_estimation))
                    raise(exceptions, counts, VeeCheck::prolonged_estimation, meter, i - estimated_run, estimated_run,
                          estimated_run, settings.prolonged_estimation_values);
                estimated_run = 0;
            }
            if (f & interval_clock_adjusted) {
                ++clock_run;
            } else if (clock_run) {
                if (settings.on(VeeCheck::clock_problem))
                    raise(exceptions, counts, VeeCheck::clock_problem, meter, i - clock_run, clock_run, clock_run, 0);
                clock_run = 0;
            }
        }
        if (!std::isnan(x)) [[likely]] {
            if (f & interval_estimated) output.quality[ui] = ValueQuality::estimated;
            if (check_negative && x < 0) [[unlikely]]
                raise(exceptions, counts, VeeCheck::negative_consumption, meter, i, 1, x, 0);
            if (x > settings.spike_min_value) {
                if (check_neighbours) {
                    const double before = i > 0 ? v[ui - 1] : nan_value;
                    const double after = i + 1 < total ? v[ui + 1] : nan_value;
                    // Both neighbours valid and x within the factor: no spike (NaN falls through).
                    if (!(x <= neighbour_factor * 0.5 * (before + after))) [[unlikely]] {
                        const int valid = !std::isnan(before) + !std::isnan(after);
                        if (valid) {
                            const double mean =
                                ((std::isnan(before) ? 0 : before) + (std::isnan(after) ? 0 : after)) / valid;
                            if (x > neighbour_factor * std::max(mean, 0.0) && x - mean > settings.spike_min_value)
                                raise(exceptions, counts, VeeCheck::spike_neighbours, meter, i, 1, x, mean);
                        }
                    }
                }
                if (check_history && (x > threshold[slot] || (f & unusable_for_history))) [[unlikely]] {
                    const std::uint32_t c = ws.slot_count[slot];
                    const bool self = !(f & unusable_for_history);
                    const std::uint32_t others = c - self;
                    if (others >= 3) {
                        const double mean = (ws.slot_sum[slot] - (self ? x : 0)) / others;
                        if (x > history_factor * std::max(mean, 0.0) && x - mean > settings.spike_min_value)
                            raise(exceptions, counts, VeeCheck::spike_history, meter, i, 1, x, mean);
                    }
                }
            }
            continue;
        }
        // A run of missing values [i, end).
        std::int32_t end = i + 1;
        while (end < total && std::isnan(v[static_cast<std::size_t>(end)])) ++end;
        const std::int32_t length = end - i;
        counts.missing += static_cast<std::uint64_t>(length);
        if (settings.on(VeeCheck::gap)) raise(exceptions, counts, VeeCheck::gap, meter, i, length, length, 0);
        const double left = i > 0 ? v[ui - 1] : nan_value;
        const double right = end < total ? v[static_cast<std::size_t>(end)] : nan_value;
        const std::int32_t day = i / p;
        const auto uday = static_cast<std::size_t>(day);
        if (length <= settings.max_interpolation_values && !std::isnan(left) && !std::isnan(right)) {
            for (std::int32_t k = 0; k < length; ++k) {
                const auto at = static_cast<std::size_t>(i + k);
                output.estimate[at] = left + (right - left) * (k + 1) / (length + 1);
                output.quality[at] = ValueQuality::estimated;
                if (record_method) output.method[at] = EstimateMethod::interpolation;
            }
            counts.interpolated += static_cast<std::uint64_t>(length);
        } else if (!series.register_delta.empty() && (end - 1) / p == day && ws.day_missing[uday] == length &&
                   !std::isnan(series.register_delta[uday]) &&
                   series.register_delta[uday] - ws.day_sum[uday] >= 0) {
            const double share = (series.register_delta[uday] - ws.day_sum[uday]) / length;
            for (std::int32_t k = i; k < end; ++k) {
                output.estimate[static_cast<std::size_t>(k)] = share;
                output.quality[static_cast<std::size_t>(k)] = ValueQuality::estimated;
                if (record_method) output.method[static_cast<std::size_t>(k)] = EstimateMethod::register_spread;
            }
            counts.register_spread += static_cast<std::uint64_t>(length);
        } else {
            for (std::int32_t k = i; k < end; ++k) {
                const double mean = like_day_mean(series, settings, k / p, k % p, days);
                output.estimate[static_cast<std::size_t>(k)] = mean;
                const bool made = !std::isnan(mean);
                output.quality[static_cast<std::size_t>(k)] = made ? ValueQuality::estimated : ValueQuality::missing;
                if (record_method && made) output.method[static_cast<std::size_t>(k)] = EstimateMethod::like_day;
                counts.like_day += made;
                counts.unestimated += !made;
            }
        }
        if (estimated_run) {
            if (estimated_run >= settings.prolonged_estimation_values && settings.on(VeeCheck::prolonged_estimation))
                raise(exceptions, counts, VeeCheck::prolonged_estimation, meter, i - estimated_run, estimated_run,
                      estimated_run, settings.prolonged_estimation_values);
            estimated_run = 0;
        }
        if (clock_run) {
            if (settings.on(VeeCheck::clock_problem))
                raise(exceptions, counts, VeeCheck::clock_problem, meter, i - clock_run, clock_run, clock_run, 0);
            clock_run = 0;
        }
        i = end - 1;
        slot = (static_cast<std::size_t>(end) + up - 1) % up;  // the loop's increment moves it to end's slot
    }
    if (estimated_run >= settings.prolonged_estimation_values && settings.on(VeeCheck::prolonged_estimation))
        raise(exceptions, counts, VeeCheck::prolonged_estimation, meter, total - estimated_run, estimated_run,
              estimated_run, settings.prolonged_estimation_values);
    if (clock_run && settings.on(VeeCheck::clock_problem))
        raise(exceptions, counts, VeeCheck::clock_problem, meter, total - clock_run, clock_run, clock_run, 0);

    // Pass 3: day checks on complete days.
    double average = 0;
    int complete_days = 0;
    for (std::int32_t d = 0; d < days; ++d) {
        const auto ud = static_cast<std::size_t>(d);
        const bool active = series.active.empty() || series.active[ud];
        if (ws.day_missing[ud] == 0 && active) {
            average += ws.day_sum[ud];
            ++complete_days;
        }
    }
    average = complete_days ? average / complete_days : 0;
    std::int32_t zero_run = 0;
    auto end_zero_run = [&](std::int32_t d) {
        if (zero_run >= settings.zero_consumption_days && settings.on(VeeCheck::zero_consumption))
            raise(exceptions, counts, VeeCheck::zero_consumption, meter, (d - zero_run) * p, zero_run * p, zero_run,
                  average);
        zero_run = 0;
    };
    for (std::int32_t d = 0; d < days; ++d) {
        const auto ud = static_cast<std::size_t>(d);
        const bool active = series.active.empty() || series.active[ud];
        const bool complete = ws.day_missing[ud] == 0;
        const double sum = ws.day_sum[ud];
        if (!active) {
            end_zero_run(d);
            if (sum > 0 && settings.on(VeeCheck::inactive_consumption))
                raise(exceptions, counts, VeeCheck::inactive_consumption, meter, d * p, p, sum, 0);
            continue;
        }
        if (!complete) {
            end_zero_run(d);
            continue;
        }
        if (sum == 0) {
            ++zero_run;
        } else {
            end_zero_run(d);
        }
        if (complete_days >= 7 && average >= settings.usage_min_average) {
            if (sum > settings.high_usage_factor * average && settings.on(VeeCheck::high_usage))
                raise(exceptions, counts, VeeCheck::high_usage, meter, d * p, p, sum, average);
            else if (sum < settings.low_usage_factor * average && sum > 0 && settings.on(VeeCheck::low_usage))
                raise(exceptions, counts, VeeCheck::low_usage, meter, d * p, p, sum, average);
        }
        if (!series.register_delta.empty() && !ws.day_estimated[ud] && settings.on(VeeCheck::register_interval_mismatch)) {
            const double delta = series.register_delta[ud];
            if (!std::isnan(delta) &&
                std::abs(delta - sum) > settings.register_tolerance + settings.register_tolerance_fraction * std::abs(delta))
                raise(exceptions, counts, VeeCheck::register_interval_mismatch, meter, d * p, p, sum, delta);
        }
    }
    end_zero_run(days);
}

void check_interval_timestamps(std::span<const std::int64_t> starts, int minutes, const VeeSettings& settings,
                               std::uint32_t meter, std::vector<VeeException>& exceptions, VeeCounts& counts) {
    const std::int64_t step = static_cast<std::int64_t>(minutes) * 60;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const auto index = static_cast<std::int32_t>(i);
        if (i > 0 && starts[i] == starts[i - 1] && settings.on(VeeCheck::duplicate))
            raise(exceptions, counts, VeeCheck::duplicate, meter, index, 1, static_cast<double>(starts[i]), 0);
        const std::int64_t offset = ((starts[i] % step) + step) % step;
        if (offset != 0 && settings.on(VeeCheck::clock_problem))
            raise(exceptions, counts, VeeCheck::clock_problem, meter, index, 1, static_cast<double>(offset), 0);
    }
}

}  // namespace gridaudit
