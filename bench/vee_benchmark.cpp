// `gridaudit bench vee` (see vee_benchmark.hpp).
#include "vee_benchmark.hpp"

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "engine/vee/series_vee.hpp"
#include "model/rows.hpp"
#include "stage_runner.hpp"

namespace gridaudit {
namespace {

constexpr int values_per_day = 96;

struct IntervalData {
    int meters = 0;
    int days = 0;
    std::vector<double> values;         // meters x days x 96
    std::vector<std::uint8_t> flags;
    std::vector<double> register_delta;  // meters x days
    std::vector<std::uint8_t> day_type;  // days
    [[nodiscard]] std::size_t per_meter() const { return static_cast<std::size_t>(days) * values_per_day; }
};

std::uint64_t next(std::uint64_t& state) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}
double unit(std::uint64_t& state) { return static_cast<double>(next(state) >> 11) * 0x1.0p-53; }

IntervalData synthesize(const VeeBenchmarkOptions& options) {
    IntervalData data;
    data.meters = options.meters;
    data.days = options.days;
    const std::size_t per_meter = data.per_meter();
    const std::size_t total = per_meter * static_cast<std::size_t>(options.meters);
    data.values.resize(total);
    data.flags.assign(total, 0);
    data.register_delta.resize(static_cast<std::size_t>(options.meters) * static_cast<std::size_t>(options.days));
    for (int d = 0; d < options.days; ++d) data.day_type.push_back(static_cast<std::uint8_t>(d % 7 >= 5));
    double shape[values_per_day];
    for (int s = 0; s < values_per_day; ++s) {
        const double hour = s / 4.0;
        shape[s] = 0.5 + 0.4 * (hour >= 8 && hour < 22) + 0.3 * (hour >= 18 && hour < 22);
    }
    // Mean run length of a gap is 8.5 values; start runs so that gap_fraction of values are missing.
    const double gap_start = options.gap_fraction / 8.5;
    tbb::parallel_for(tbb::blocked_range<int>(0, options.meters, 256), [&](const tbb::blocked_range<int>& range) {
        for (int m = range.begin(); m < range.end(); ++m) {
            std::uint64_t state = options.seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(m) * 0xbf58476d1ce4e5b9ULL + 1;
            const double base = 0.2 + 3.0 * unit(state);
            double* v = &data.values[static_cast<std::size_t>(m) * per_meter];
            std::uint8_t* f = &data.flags[static_cast<std::size_t>(m) * per_meter];
            double* delta = &data.register_delta[static_cast<std::size_t>(m) * static_cast<std::size_t>(options.days)];
            for (int d = 0; d < options.days; ++d) {
                double sum = 0;
                const double day_factor = data.day_type[static_cast<std::size_t>(d)] ? 1.2 : 1.0;
                for (int s = 0; s < values_per_day; ++s) {
                    const double x = std::round(base * shape[s] * day_factor * (0.8 + 0.4 * unit(state)) * 1e4) / 1e4;
                    v[d * values_per_day + s] = x;
                    sum += x;
                }
                delta[d] = sum;
            }
            const std::size_t n = per_meter;
            for (std::size_t i = 0; i < n; ++i) {
                const double r = unit(state);
                if (r < gap_start) {
                    const std::size_t length = 1 + next(state) % 16;
                    for (std::size_t k = i; k < std::min(n, i + length); ++k) v[k] = std::numeric_limits<double>::quiet_NaN();
                    i += length;
                } else if (r < gap_start + 0.0005) {
                    f[i] |= interval_estimated;
                } else if (r < gap_start + 0.0006) {
                    f[i] |= interval_clock_adjusted;
                }
            }
        }
    });
    return data;
}

struct VeeRun {
    VeeCounts counts;
    std::uint64_t exceptions = 0;
};

VeeRun validate_all(const IntervalData& data, std::vector<double>& estimate, std::vector<ValueQuality>& quality) {
    const VeeSettings settings;  // every check on
    const std::size_t per_meter = data.per_meter();
    struct Local {
        SeriesWorkspace workspace;
        std::vector<VeeException> exceptions;
        VeeCounts counts;
        std::uint64_t exception_total = 0;
    };
    tbb::enumerable_thread_specific<Local> locals;
    tbb::parallel_for(tbb::blocked_range<int>(0, data.meters, 64), [&](const tbb::blocked_range<int>& range) {
        Local& local = locals.local();
        for (int m = range.begin(); m < range.end(); ++m) {
            const std::size_t at = static_cast<std::size_t>(m) * per_meter;
            const SeriesView view{
                std::span<const double>(&data.values[at], per_meter),
                std::span<const std::uint8_t>(&data.flags[at], per_meter),
                values_per_day,
                std::span<const double>(&data.register_delta[static_cast<std::size_t>(m) * static_cast<std::size_t>(data.days)],
                                        static_cast<std::size_t>(data.days)),
                {},
                data.day_type,
            };
            validate_and_estimate(view, settings, static_cast<std::uint32_t>(m),
                                  {std::span<double>(&estimate[at], per_meter),
                                   std::span<ValueQuality>(&quality[at], per_meter), {}},
                                  local.workspace, local.exceptions, local.counts);
            // Exceptions would be written out here; the benchmark keeps their count.
            local.exception_total += local.exceptions.size();
            local.exceptions.clear();
        }
    });
    VeeRun run;
    for (const Local& local : locals) {
        run.counts.add(local.counts);
        run.exceptions += local.exception_total;
    }
    return run;
}

void print_stage(const StageMeasurement& stage) {
    fmt::print("  {:<40} {:>13} values {:>8.2f} s {:>14.0f} values/s {:>9.1f} MB\n", stage.name, stage.items,
               stage.seconds, stage.items_per_second(), static_cast<double>(stage.peak_rss_bytes) / 1e6);
}

}  // namespace

Result<int> run_vee_benchmark(const VeeBenchmarkOptions& options) {
    if (options.meters < 1 || options.days < 7) return user_error("bench vee: at least 1 meter and 7 days");
    const std::uint64_t values =
        static_cast<std::uint64_t>(options.meters) * static_cast<std::uint64_t>(options.days) * values_per_day;
    fmt::print("VEE benchmark: {} meters x {} days x {} intervals = {} values, {:.1f} % missing\nMachine: {}\n\n",
               options.meters, options.days, values_per_day, values, options.gap_fraction * 100,
               machine_description());
    GA_ASSIGN_OR_RETURN(const auto built, run_stage("synthesize intervals", [&]() -> Result<std::uint64_t> {
                            const IntervalData data = synthesize(options);
                            return static_cast<std::uint64_t>(data.values.size());
                        }));
    print_stage(built);
    GA_ASSIGN_OR_RETURN(const auto checked, run_stage("synthesize + validate + estimate", [&]() -> Result<std::uint64_t> {
                            const IntervalData data = synthesize(options);
                            std::vector<double> estimate(data.values.size());
                            std::vector<ValueQuality> quality(data.values.size());
                            const auto started = std::chrono::steady_clock::now();
                            const VeeRun run = validate_all(data, estimate, quality);
                            const double seconds =
                                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
                            fmt::print("    validate + estimate, timed in the stage: {:.3f} s = {:.0f} values/s\n", seconds,
                                       static_cast<double>(data.values.size()) / seconds);
                            const VeeCounts& c = run.counts;
                            fmt::print("    missing {} ({:.2f} %): interpolated {}, register spread {}, like-day {}, left {}\n",
                                       c.missing, 100.0 * static_cast<double>(c.missing) / static_cast<double>(c.values),
                                       c.interpolated, c.register_spread, c.like_day, c.unestimated);
                            std::string by_check;
                            for (std::size_t i = 0; i < vee_check_count; ++i)
                                if (c.exceptions[i])
                                    by_check += fmt::format(" {}={}", vee_check_name(static_cast<VeeCheck>(i)), c.exceptions[i]);
                            fmt::print("    exceptions {}:{}\n", run.exceptions, by_check);
                            std::fflush(stdout);
                            if (c.values != data.values.size()) return internal_error("not every value was validated");
                            return c.values;
                        }));
    print_stage(checked);
    const double vee_seconds = checked.seconds - built.seconds;
    const double rate = vee_seconds > 0 ? static_cast<double>(values) / vee_seconds : 0;
    fmt::print("\nvalidate + estimate alone: {:.3f} s = {:.0f} values/s; with synthesis {:.0f} values/s; peak {:.1f} MB\n",
               vee_seconds, rate, checked.items_per_second(), static_cast<double>(checked.peak_rss_bytes) / 1e6);
    fmt::print("Target: >= 30,000,000 values/s (all checks on, 1 % gaps): {}\n", rate >= 30e6 ? "meets" : "MISSES");
    return rate >= 30e6 ? 0 : 1;
}

}  // namespace gridaudit
