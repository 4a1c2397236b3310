// The interval theft scenario (theft_scenario.hpp): areas, their true half-hour load, the
// literature's attacks on some customers and days, and the area meter over the true load.
#include "generator/theft_scenario.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <tuple>

#include "generator/load_model.hpp"

namespace gridaudit {

std::string_view theft_attack_name(TheftAttack attack) {
    switch (attack) {
        case TheftAttack::constant_factor:
            return "h1-constant-factor";
        case TheftAttack::random_factor:
            return "h2-random-factor";
        case TheftAttack::on_off_window:
            return "h3-on-off-window";
        case TheftAttack::share_of_mean:
            return "h4-share-of-mean";
        case TheftAttack::flattened:
            return "h5-flattened";
        case TheftAttack::reversed:
            return "h6-reversed";
        case TheftAttack::capped:
            return "capped";
        case TheftAttack::minus_constant:
            return "minus-constant";
        case TheftAttack::night_bypass:
            return "night-bypass";
    }
    return "unknown";
}

std::optional<TheftAttack> theft_attack_from_name(std::string_view name) {
    for (int a = 0; a < theft_attack_count; ++a) {
        if (theft_attack_name(static_cast<TheftAttack>(a)) == name) return static_cast<TheftAttack>(a);
    }
    return std::nullopt;
}

bool theft_attack_keeps_energy(TheftAttack attack) {
    return attack == TheftAttack::flattened || attack == TheftAttack::reversed;
}

void apply_theft_attack(const TheftAttackParams& params, std::span<double> day, GeneratorRng& rng) {
    const std::size_t n = day.size();
    if (n == 0) return;
    double mean = 0;
    for (double v : day) mean += v;
    mean /= static_cast<double>(n);
    switch (params.attack) {
        case TheftAttack::constant_factor:
            for (double& v : day) v *= params.magnitude;
            break;
        case TheftAttack::random_factor:
            for (double& v : day) v *= rng.uniform(0.1, 0.8);
            break;
        case TheftAttack::on_off_window: {
            // A window of at least 4 hours (a sixth of the day) up to two thirds of it.
            const auto shortest = std::max<std::size_t>(1, n / 6);
            const auto longest = std::max(shortest, n * 2 / 3);
            const auto length = shortest + rng.below(longest - shortest + 1);
            const auto start = rng.below(n - length + 1);
            for (std::size_t i = start; i < start + length; ++i) day[i] = 0;
            break;
        }
        case TheftAttack::share_of_mean:
            for (double& v : day) v = rng.uniform(0.1, 0.8) * mean;
            break;
        case TheftAttack::flattened:
            for (double& v : day) v = mean;
            break;
        case TheftAttack::reversed:
            std::reverse(day.begin(), day.end());
            break;
        case TheftAttack::capped:
            for (double& v : day) v = std::min(v, params.magnitude);
            break;
        case TheftAttack::minus_constant:
            for (double& v : day) v = std::max(0.0, v - params.magnitude);
            break;
        case TheftAttack::night_bypass: {
            // 23:00-07:00 local time.
            for (std::size_t i = 0; i < n; ++i) {
                const double hour = 24.0 * static_cast<double>(i) / static_cast<double>(n);
                if (hour >= 23.0 || hour < 7.0) day[i] *= params.magnitude;
            }
            break;
        }
    }
}

namespace {

constexpr int per_day = theft_intervals_per_day;

// Meter events: physical tampering's traces and every customer's spurious alarms, from a stream
// of their own (index 2^32 + area) so the series are the same with or without them.
void add_events(const TheftScenarioOptions& options, int area_index, TheftArea& area) {
    GeneratorRng rng(options.seed, RandomStream::theft_scenario, (1ull << 32) + static_cast<std::uint64_t>(area_index));
    constexpr std::array<std::string_view, 3> tamper_codes{"magnetic_field", "current_loss", "reverse_current"};
    constexpr std::array<std::string_view, 4> spurious_codes{"terminal_cover_open", "clock_drift", "voltage_loss",
                                                             "current_imbalance"};
    const auto second = [&](int from_hour, int to_hour) {
        return static_cast<int>(rng.between(from_hour * 3600, to_hour * 3600 - 1));
    };
    for (int c = 0; c < area.customers; ++c) {
        TheftTruth& truth = area.truth[static_cast<std::size_t>(c)];
        const bool physical = truth.tampered && rng.chance(options.physical_share);
        const std::string_view code = tamper_codes[rng.below(tamper_codes.size())];
        if (physical) {
            truth.left_events = true;
            if (rng.chance(0.6))
                area.events.push_back({c, std::max(0, truth.days.front() - static_cast<int>(rng.between(0, 2))),
                                       second(20, 24), rng.chance(0.5) ? "cover_open" : "terminal_cover_open",
                                       static_cast<std::int64_t>(rng.between(60, 1800))});
            for (std::int32_t d : truth.days) {
                if (rng.chance(0.5))
                    area.events.push_back({c, d, second(0, 24), code, static_cast<std::int64_t>(rng.between(600, 6 * 3600))});
            }
        }
        // A supply fault (a loose neutral, a bad joint): one customer in a hundred logs voltage loss
        // or imbalance on 3-8 days.
        if (rng.chance(0.01)) {
            const std::string_view fault = rng.chance(0.5) ? "voltage_loss" : "current_imbalance";
            const auto count = static_cast<int>(rng.between(3, 8));
            for (int k = 0; k < count; ++k)
                area.events.push_back({c, static_cast<int>(rng.below(static_cast<std::uint64_t>(options.days))),
                                       second(0, 24), fault, static_cast<std::int64_t>(rng.between(60, 7200))});
        }
        // Spurious alarms: about one customer in twenty logs one in a month.
        if (rng.chance(0.05)) {
            const std::string_view noise = spurious_codes[rng.below(spurious_codes.size())];
            area.events.push_back({c, static_cast<int>(rng.below(static_cast<std::uint64_t>(options.days))), second(0, 24),
                                   noise, noise == "clock_drift" ? -1 : static_cast<std::int64_t>(rng.between(5, 900))});
        }
    }
    std::stable_sort(area.events.begin(), area.events.end(), [](const TheftEvent& a, const TheftEvent& b) {
        return std::tie(a.customer, a.day, a.second) < std::tie(b.customer, b.day, b.second);
    });
}

TheftArea simulate_area(const TheftScenarioOptions& options, int area_index, std::span<const double> weather) {
    GeneratorRng rng(options.seed, RandomStream::theft_scenario, static_cast<std::uint64_t>(area_index) + 1);
    const int days = options.days;
    // Sizes as the utility's: 35 % rural 30-80, 45 % 80-180, 20 % urban 180-300.
    const double size_draw = rng.uniform();
    const int customers = options.max_customers > 0 ? static_cast<int>(rng.between(options.min_customers,
                                                                                    options.max_customers))
                          : size_draw < 0.35            ? static_cast<int>(rng.between(30, 80))
                          : size_draw < 0.80            ? static_cast<int>(rng.between(80, 180))
                                                        : static_cast<int>(rng.between(180, 300));
    TheftArea area;
    area.customers = customers;
    area.area_intervals.assign(static_cast<std::size_t>(days) * per_day, 0.0);
    area.customer_daily.assign(static_cast<std::size_t>(customers) * static_cast<std::size_t>(days), 0.0);
    area.has_intervals.resize(static_cast<std::size_t>(customers));
    area.customer_intervals.resize(static_cast<std::size_t>(customers));
    area.business.resize(static_cast<std::size_t>(customers));
    area.truth.resize(static_cast<std::size_t>(customers));

    // Tampered customers: a uniform count, distinct customers.
    const int tampered = static_cast<int>(rng.between(options.min_tampered, options.max_tampered));
    std::vector<std::uint8_t> is_tampered(static_cast<std::size_t>(customers), 0);
    for (int placed = 0; placed < std::min(tampered, customers);) {
        const auto c = rng.below(static_cast<std::uint64_t>(customers));
        if (is_tampered[c] == 0) {
            is_tampered[c] = 1;
            ++placed;
        }
    }

    const double base_loss = rng.uniform(0.023, 0.057);
    std::vector<double> true_total(static_cast<std::size_t>(days) * per_day, 0.0);
    std::vector<double> series(static_cast<std::size_t>(days) * per_day);
    for (int c = 0; c < customers; ++c) {
        const auto ci = static_cast<std::size_t>(c);
        const bool business = rng.chance(options.business_share);
        const LoadCategory category = business ? LoadCategory::commercial : LoadCategory::residential;
        const double daily_kwh =
            business ? std::clamp(rng.lognormal(60, 0.8), 20.0, 300.0) : std::clamp(rng.lognormal(6, 0.5), 2.0, 20.0);
        area.business[ci] = business ? 1 : 0;
        area.has_intervals[ci] = rng.chance(options.interval_share) ? 1 : 0;
        // The customer's own hourly shape: the category's, each hour moved by up to about 30 %.
        const auto& shape = category_load_shape(category);
        std::array<double, 24> hourly{};
        for (int h = 0; h < 24; ++h)
            hourly[static_cast<std::size_t>(h)] = shape.hourly[static_cast<std::size_t>(h)] * rng.lognormal(1, 0.3);
        double noise = 0;
        for (int d = 0; d < days; ++d) {
            const CivilDate date = options.first_day + d;
            noise = 0.6 * noise + 0.8 * shape.noise_sigma * rng.normal();
            const double day_kwh =
                std::max(0.0, daily_kwh * season_factor(category, date) * calendar_factor(category, date) *
                                  (1 + shape.weather_weight * weather[static_cast<std::size_t>(d)]) * (1 + noise));
            double sum = 0;
            double* day = series.data() + static_cast<std::size_t>(d) * per_day;
            for (int i = 0; i < per_day; ++i) {
                day[i] = hourly[static_cast<std::size_t>(i / 2)] * rng.lognormal(1, 0.35);
                sum += day[i];
            }
            for (int i = 0; i < per_day; ++i) day[i] *= day_kwh / sum;
        }
        for (std::size_t k = 0; k < series.size(); ++k) true_total[k] += series[k];

        TheftTruth& truth = area.truth[ci];
        if (is_tampered[ci] != 0) {
            truth.tampered = true;
            TheftAttack attack;
            do {
                attack = static_cast<TheftAttack>(rng.below(theft_attack_count));
            } while (theft_attack_keeps_energy(attack) && area.has_intervals[ci] == 0);
            if (options.attack) {
                attack = *options.attack;
                if (theft_attack_keeps_energy(attack)) area.has_intervals[ci] = 1;
            }
            double largest = 0;
            double mean = 0;
            for (double v : series) {
                largest = std::max(largest, v);
                mean += v;
            }
            mean /= static_cast<double>(series.size());
            TheftAttackParams params{attack, 0};
            switch (attack) {
                case TheftAttack::constant_factor:
                    params.magnitude = rng.uniform(0.1, 0.8);
                    break;
                case TheftAttack::capped:
                    params.magnitude = rng.uniform(0.2, 0.6) * largest;
                    break;
                case TheftAttack::minus_constant:
                    params.magnitude = rng.uniform(0.2, 0.8) * mean;
                    break;
                case TheftAttack::night_bypass:
                    params.magnitude = rng.uniform(0.1, 0.6);
                    break;
                default:
                    break;
            }
            truth.attack = attack;
            truth.magnitude = params.magnitude;
            // About half of the days: a share of 0.3-0.8 (by default), at least two days.
            const double share = rng.uniform(options.min_day_share, options.max_day_share);
            for (int d = 0; d < days; ++d) {
                if (rng.chance(share)) truth.days.push_back(d);
            }
            while (truth.days.size() < 2) {
                const auto d = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(days)));
                if (std::find(truth.days.begin(), truth.days.end(), d) == truth.days.end()) {
                    truth.days.insert(std::upper_bound(truth.days.begin(), truth.days.end(), d), d);
                }
            }
            for (std::int32_t d : truth.days) {
                std::span<double> day(series.data() + static_cast<std::size_t>(d) * per_day, per_day);
                double before = 0;
                for (double v : day) before += v;
                apply_theft_attack(params, day, rng);
                double after = 0;
                for (double v : day) after += v;
                truth.unmetered_kwh += before - after;
            }
        }
        for (int d = 0; d < days; ++d) {
            double sum = 0;
            for (int i = 0; i < per_day; ++i)
                sum += series[static_cast<std::size_t>(d) * per_day + static_cast<std::size_t>(i)];
            area.customer_daily[ci * static_cast<std::size_t>(days) + static_cast<std::size_t>(d)] = sum;
        }
        if (area.has_intervals[ci] != 0) area.customer_intervals[ci] = series;
    }
    add_events(options, area_index, area);
    // The area meter: the true load grossed up by the technical loss of the day.
    for (int d = 0; d < days; ++d) {
        const double loss = std::clamp(base_loss + 0.003 * rng.normal(), 0.005, 0.2);
        for (int i = 0; i < per_day; ++i) {
            const auto k = static_cast<std::size_t>(d) * per_day + static_cast<std::size_t>(i);
            area.area_intervals[k] = true_total[k] / (1 - loss);
        }
    }
    return area;
}

}  // namespace

TheftScenario generate_theft_scenario(const TheftScenarioOptions& options) {
    assert(options.areas >= 1 && options.days >= 7 && options.days <= 400);
    assert(options.max_customers == 0 || (1 <= options.min_customers && options.min_customers <= options.max_customers));
    assert(0 <= options.min_day_share && options.min_day_share <= options.max_day_share && options.max_day_share <= 1);
    TheftScenario scenario;
    scenario.first_day = options.first_day;
    scenario.days = options.days;
    // A county-wide temperature anomaly (AR(1), unit variance) moves every area together.
    std::vector<double> weather(static_cast<std::size_t>(options.days));
    GeneratorRng rng(options.seed, RandomStream::theft_scenario, 0);
    double w = 0;
    for (int d = 0; d < options.days; ++d) {
        w = 0.7 * w + 0.714 * rng.normal();
        weather[static_cast<std::size_t>(d)] = w;
    }
    scenario.areas.reserve(static_cast<std::size_t>(options.areas));
    for (int a = 0; a < options.areas; ++a) scenario.areas.push_back(simulate_area(options, a, weather));
    return scenario;
}

}  // namespace gridaudit
