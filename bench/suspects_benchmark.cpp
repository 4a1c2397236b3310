// `gridaudit bench suspects` (see suspects_benchmark.hpp).
#include "suspects_benchmark.hpp"

#include <fmt/format.h>
#include <tbb/combinable.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <span>
#include <vector>

#include "analysis/suspect_model.hpp"
#include "analysis/suspect_ranking.hpp"
#include "stage_runner.hpp"

namespace gridaudit {
namespace {

constexpr int area_customers = 200;
constexpr int half_hours = 48;

std::uint64_t next(std::uint64_t& state) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}
double unit(std::uint64_t& state) {
    return static_cast<double>(next(state) >> 11) * 0x1.0p-53;
}

// One area's data: customers x days daily kWh (and x 48 half-hours with intervals), two thieves
// metering half on every other day, the area meter 4 % above the true load.
struct AreaData {
    std::vector<double> daily;      // customers x days
    std::vector<double> intervals;  // customers x days x 48, empty without intervals
    std::vector<double> supply_daily;
    std::vector<double> supply_intervals;
};

void synthesize_area(std::uint64_t seed, int area, int customers, int days, bool with_intervals, AreaData& data) {
    std::uint64_t state = seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(area) * 0xbf58476d1ce4e5b9ULL + 1;
    const auto n = static_cast<std::size_t>(customers) * static_cast<std::size_t>(days);
    data.daily.assign(n, 0);
    data.supply_daily.assign(static_cast<std::size_t>(days), 0);
    if (with_intervals) {
        data.intervals.assign(n * half_hours, 0);
        data.supply_intervals.assign(static_cast<std::size_t>(days) * half_hours, 0);
    }
    for (int c = 0; c < customers; ++c) {
        const double level = 2 + 18 * unit(state);
        const bool thief = c < 2;
        for (int d = 0; d < days; ++d) {
            const double truth = level * (0.8 + 0.4 * unit(state));
            const double metered = thief && d % 2 == 0 ? truth * 0.5 : truth;
            const auto k = static_cast<std::size_t>(c) * static_cast<std::size_t>(days) + static_cast<std::size_t>(d);
            data.daily[k] = metered;
            data.supply_daily[static_cast<std::size_t>(d)] += truth / 0.96;
            if (!with_intervals) continue;
            for (int i = 0; i < half_hours; ++i) {
                const double share = (0.5 + 0.5 * (i >= 16 && i < 44)) * (0.8 + 0.4 * unit(state)) / 36.0;
                data.intervals[k * half_hours + static_cast<std::size_t>(i)] = metered * share;
                data.supply_intervals[static_cast<std::size_t>(d) * half_hours + static_cast<std::size_t>(i)] +=
                    truth * share / 0.96;
            }
        }
    }
}

// Each ranked customer's features and label (a planted thief or not), areas in order.
struct Labelled {
    std::vector<std::vector<float>> features;  // per area: customers x suspect_feature_count
    std::vector<std::vector<float>> labels;    // per area
};

// Synthesizes every area and, with `rank`, ranks it; returns the customer days handled. With
// `labelled`, each customer's features and label are kept.
std::uint64_t run_areas(const SuspectsBenchmarkOptions& options, int customers, int days, bool with_intervals,
                        bool rank, std::uint64_t& thieves_in_top5, Labelled* labelled = nullptr) {
    const int areas = (customers + area_customers - 1) / area_customers;
    if (labelled != nullptr) {
        labelled->features.assign(static_cast<std::size_t>(areas), {});
        labelled->labels.assign(static_cast<std::size_t>(areas), {});
    }
    std::vector<std::uint8_t> day_type(static_cast<std::size_t>(days));
    for (int d = 0; d < days; ++d) day_type[static_cast<std::size_t>(d)] = d % 7 >= 5 ? 1 : 0;
    tbb::combinable<std::uint64_t> found([] { return std::uint64_t{0}; });
    tbb::combinable<AreaData> buffers;
    tbb::parallel_for(tbb::blocked_range<int>(0, areas, 1), [&](const tbb::blocked_range<int>& range) {
        AreaData& data = buffers.local();
        for (int a = range.begin(); a < range.end(); ++a) {
            const int n = std::min(area_customers, customers - a * area_customers);
            synthesize_area(options.seed, a, n, days, with_intervals, data);
            if (!rank) continue;
            SuspectAreaInput input;
            input.days = days;
            input.intervals_per_day = with_intervals ? half_hours : 0;
            input.supply_daily = data.supply_daily;
            input.supply_intervals = data.supply_intervals;
            input.day_type = day_type;
            const auto per = static_cast<std::size_t>(days);
            for (int c = 0; c < n; ++c) {
                const auto ci = static_cast<std::size_t>(c);
                input.customers.push_back(
                    {std::span<const double>(data.daily).subspan(ci * per, per),
                     with_intervals
                         ? std::span<const double>(data.intervals).subspan(ci * per * half_hours, per * half_hours)
                         : std::span<const double>(),
                     0});
            }
            const std::vector<SuspectScore> ranking = rank_suspects(input);
            for (std::size_t r = 0; r < std::min<std::size_t>(5, ranking.size()); ++r)
                found.local() += ranking[r].customer < 2 ? 1 : 0;
            if (labelled == nullptr) continue;
            auto& features = labelled->features[static_cast<std::size_t>(a)];
            auto& labels = labelled->labels[static_cast<std::size_t>(a)];
            for (const SuspectScore& s : ranking) {
                const auto f = suspect_features(s, days);
                features.insert(features.end(), f.begin(), f.end());
                labels.push_back(s.customer < 2 ? 1.0f : 0.0f);
            }
        }
    });
    thieves_in_top5 = found.combine([](std::uint64_t a, std::uint64_t b) { return a + b; });
    return static_cast<std::uint64_t>(customers) * static_cast<std::uint64_t>(days);
}

void print_stage(const StageMeasurement& stage, std::string_view unit_name) {
    fmt::print("  {:<44} {:>13} {} {:>8.2f} s {:>14.0f} /s {:>9.1f} MB\n", stage.name, stage.items, unit_name,
               stage.seconds, stage.items_per_second(), static_cast<double>(stage.peak_rss_bytes) / 1e6);
}

// The synthesis alone, then synthesis and ranking; returns the ranking's seconds.
Result<double> measure(const SuspectsBenchmarkOptions& options, std::string_view label, int customers, int days,
                       bool with_intervals) {
    GA_ASSIGN_OR_RETURN(const auto built,
                        run_stage(fmt::format("{}: synthesize", label), [&]() -> Result<std::uint64_t> {
                            std::uint64_t found = 0;
                            return run_areas(options, customers, days, with_intervals, false, found);
                        }));
    print_stage(built, "customer days");
    GA_ASSIGN_OR_RETURN(
        const auto ranked, run_stage(fmt::format("{}: synthesize + rank", label), [&]() -> Result<std::uint64_t> {
            std::uint64_t found = 0;
            const std::uint64_t items = run_areas(options, customers, days, with_intervals, true, found);
            const int areas = (customers + area_customers - 1) / area_customers;
            fmt::print("    planted thieves in their area's top 5: {} of {}\n", found, 2 * areas);
            std::fflush(stdout);
            return items;
        }));
    print_stage(ranked, "customer days");
    const double seconds = std::max(0.0, ranked.seconds - built.seconds);
    fmt::print("  {}: ranking alone {:.2f} s, peak {:.1f} MB\n\n", label, seconds,
               static_cast<double>(ranked.peak_rss_bytes) / 1e6);
    return seconds;
}

// The features of `customers` labelled customers (30 daily days), then features and training;
// returns the training's seconds.
Result<double> measure_training(const SuspectsBenchmarkOptions& options) {
    const int customers = options.training_customers;
    constexpr int days = 30;
    const auto features_only = [&](Labelled& labelled) {
        std::uint64_t found = 0;
        run_areas(options, customers, days, false, true, found, &labelled);
        return static_cast<std::uint64_t>(customers);
    };
    GA_ASSIGN_OR_RETURN(const auto built, run_stage(fmt::format("training {}: features", customers),
                                                    [&]() -> Result<std::uint64_t> {
                                                        Labelled labelled;
                                                        return features_only(labelled);
                                                    }));
    print_stage(built, "customers    ");
    const SuspectModelParameters parameters;
    GA_ASSIGN_OR_RETURN(
        const auto trained,
        run_stage(fmt::format("training {}: features + {} rounds", customers, parameters.rounds),
                  [&]() -> Result<std::uint64_t> {
                      Labelled labelled;
                      features_only(labelled);
                      std::vector<float> features, labels;
                      for (std::size_t a = 0; a < labelled.labels.size(); ++a) {
                          features.insert(features.end(), labelled.features[a].begin(), labelled.features[a].end());
                          labels.insert(labels.end(), labelled.labels[a].begin(), labelled.labels[a].end());
                      }
                      GA_ASSIGN_OR_RETURN(const SuspectModel model, SuspectModel::train(features, labels, parameters));
                      GA_ASSIGN_OR_RETURN(const auto bytes, model.save());
                      fmt::print("    model of {} customers ({} planted thieves): {} bytes\n", labels.size(),
                                 std::count(labels.begin(), labels.end(), 1.0f), bytes.size());
                      std::fflush(stdout);
                      return static_cast<std::uint64_t>(customers);
                  }));
    print_stage(trained, "customers    ");
    const double seconds = std::max(0.0, trained.seconds - built.seconds);
    fmt::print("  training alone {:.2f} s ({} thread{}), peak {:.1f} MB\n\n", seconds, parameters.threads,
               parameters.threads == 1 ? "" : "s", static_cast<double>(trained.peak_rss_bytes) / 1e6);
    return seconds;
}

}  // namespace

Result<int> run_suspects_benchmark(const SuspectsBenchmarkOptions& options) {
    if (options.daily_customers < 1 || options.interval_customers < 1 || options.daily_days < 7 ||
        options.interval_days < 7 || options.daily_days > 400 || options.interval_days > 400 ||
        options.training_customers < area_customers)
        return user_error(
            fmt::format("bench suspects: at least 1 customer, 7 .. 400 days and {} training customers", area_customers));
    fmt::print("Suspect ranking benchmark: areas of {} customers, in memory\nMachine: {}\n\n", area_customers,
               machine_description());
    GA_ASSIGN_OR_RETURN(const double daily,
                        measure(options, fmt::format("daily {} x {}", options.daily_customers, options.daily_days),
                                options.daily_customers, options.daily_days, false));
    GA_ASSIGN_OR_RETURN(
        const double interval,
        measure(options, fmt::format("intervals {} x {} x 48", options.interval_customers, options.interval_days),
                options.interval_customers, options.interval_days, true));
    GA_ASSIGN_OR_RETURN(const double training, measure_training(options));
    // The targets are for the full sizes; smaller runs are scaled to them (training linearly, as
    // the exact tree method's sorted columns are about).
    const double daily_scaled = daily * 1e6 * 365 / (static_cast<double>(options.daily_customers) * options.daily_days);
    const double interval_scaled =
        interval * 1e5 * 30 / (static_cast<double>(options.interval_customers) * options.interval_days);
    const double training_scaled = training * 1e5 / static_cast<double>(options.training_customers);
    const bool meets = daily_scaled < 20 && interval_scaled < 10 && training_scaled < 60;
    fmt::print(
        "Targets: daily 1,000,000 x 365 < 20 s ({:.1f} s at that size), intervals 100,000 x 30 x 48 < 10 s "
        "({:.1f} s), training on 100,000 labelled customers < 60 s ({:.1f} s): {}\n",
        daily_scaled, interval_scaled, training_scaled, meets ? "meets" : "MISSES");
    return meets ? 0 : 1;
}

}  // namespace gridaudit
