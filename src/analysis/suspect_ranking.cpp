// The suspect ranking of one area (suspect_ranking.hpp): peer factors, day-type baselines,
// deficits, the excess loss and their correlations.
#include "analysis/suspect_ranking.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <string_view>

namespace gridaudit {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double baseline_quantile = 0.75;  // a customer's usual level: above the days it may have stolen on

double quantile(std::vector<double>& values, double q) {
    if (values.empty()) return nan;
    const auto k = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    return values[k];
}

// Pearson correlation over the pairs where both are finite; NaN with fewer than 5 pairs or no spread.
double correlation(std::span<const double> a, std::span<const double> b) {
    double n = 0, sa = 0, sb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a[i]) || !std::isfinite(b[i])) continue;
        n += 1;
        sa += a[i];
        sb += b[i];
    }
    if (n < 5) return nan;
    const double ma = sa / n, mb = sb / n;
    double caa = 0, cbb = 0, cab = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a[i]) || !std::isfinite(b[i])) continue;
        caa += (a[i] - ma) * (a[i] - ma);
        cbb += (b[i] - mb) * (b[i] - mb);
        cab += (a[i] - ma) * (b[i] - mb);
    }
    if (caa <= 0 || cbb <= 0) return nan;
    return cab / std::sqrt(caa * cbb);
}

// cov(a, b) / var(b) over finite pairs; 0 when undefined.
double share_of(std::span<const double> a, std::span<const double> b) {
    double n = 0, sa = 0, sb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a[i]) || !std::isfinite(b[i])) continue;
        n += 1;
        sa += a[i];
        sb += b[i];
    }
    if (n < 5) return 0;
    const double ma = sa / n, mb = sb / n;
    double cbb = 0, cab = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a[i]) || !std::isfinite(b[i])) continue;
        cbb += (b[i] - mb) * (b[i] - mb);
        cab += (a[i] - ma) * (b[i] - mb);
    }
    return cbb > 0 ? cab / cbb : 0;
}

// `loss` less its least-squares fit on `supply` (the part that follows the load: technical loss),
// in place; values where either is missing become NaN.
void remove_supply_trend(std::vector<double>& loss, std::span<const double> supply) {
    double n = 0, sx = 0, sy = 0;
    for (std::size_t i = 0; i < loss.size(); ++i) {
        if (!std::isfinite(loss[i]) || !std::isfinite(supply[i])) {
            loss[i] = nan;
            continue;
        }
        n += 1;
        sx += supply[i];
        sy += loss[i];
    }
    if (n < 2) return;
    const double mx = sx / n, my = sy / n;
    double sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < loss.size(); ++i) {
        if (!std::isfinite(loss[i])) continue;
        sxx += (supply[i] - mx) * (supply[i] - mx);
        sxy += (supply[i] - mx) * (loss[i] - my);
    }
    const double slope = sxx > 0 ? sxy / sxx : 0;
    for (std::size_t i = 0; i < loss.size(); ++i) {
        if (std::isfinite(loss[i])) loss[i] -= my + slope * (supply[i] - mx);
    }
}

constexpr double z_cap = 8.0;  // a day's signal counts at most this much

double fisher(double r) { return std::atanh(std::clamp(r, -0.999, 0.999)); }

// Quantile q of the finite values of `values` (copied into `scratch`); NaN when none.
double finite_quantile(std::span<const double> values, double q, std::vector<double>& scratch) {
    scratch.clear();
    for (double v : values) {
        if (std::isfinite(v)) scratch.push_back(v);
    }
    return quantile(scratch, q);
}

// The median of the finite, positive values; `fallback` when there are none.
double median_positive(std::vector<double> values, double fallback) {
    std::erase_if(values, [](double v) { return !std::isfinite(v) || v <= 0; });
    const double m = quantile(values, 0.5);
    return std::isfinite(m) ? m : fallback;
}

// Per customer, per signal, per day: the day's z value (NaN when the day says nothing).
struct DaySignals {
    std::size_t days = 0;
    std::vector<double> z;  // customers x suspect_signal_count x days
    double& at(std::size_t c, SuspectSignal s, std::size_t d) {
        return z[(c * suspect_signal_count + static_cast<std::size_t>(s)) * days + d];
    }
};

// The days' own signals: each customer's daily level against its usual level of the day type
// (its peers' factor of the day applied), and the shape of its interval days against its usual
// profile. Spreads are the area's (median over customers) so one noisy customer is not the norm
// and a thief's own attacked days do not widen its yardstick.
DaySignals own_day_signals(const SuspectAreaInput& input, const std::vector<std::vector<double>>& peer_factors,
                           std::size_t per_day,
                           bool area_intervals) {
    const auto days = static_cast<std::size_t>(input.days);
    const std::size_t customers = input.customers.size();
    DaySignals out;
    out.days = days;
    out.z.assign(customers * suspect_signal_count * days, nan);
    std::vector<double> scratch;

    // Level: usage / peer factor over its median, less its 70th percentile on days of the type.
    std::vector<double> residual(customers * days, nan);
    std::vector<double> own_spread(customers, nan);
    std::vector<double> values(days);
    for (std::size_t c = 0; c < customers; ++c) {
        const auto& daily = input.customers[c].daily;
        for (std::size_t d = 0; d < days; ++d) values[d] = daily[d] / peer_factors[c][d];
        const double level = median_positive(values, nan);
        if (!std::isfinite(level)) continue;
        for (std::size_t d = 0; d < days; ++d) values[d] = std::isfinite(daily[d]) ? values[d] / level : nan;
        double location[2];
        for (int type = 0; type < 2; ++type) {
            scratch.clear();
            for (std::size_t d = 0; d < days; ++d) {
                if (input.day_type[d] == type && std::isfinite(values[d])) scratch.push_back(values[d]);
            }
            location[type] = scratch.size() >= 4 ? quantile(scratch, 0.7) : finite_quantile(values, 0.7, scratch);
        }
        for (std::size_t d = 0; d < days; ++d) residual[c * days + d] = values[d] - location[input.day_type[d]];
        const std::span<const double> own(residual.data() + c * days, days);
        own_spread[c] = (finite_quantile(own, 0.9, scratch) - finite_quantile(own, 0.6, scratch)) / (1.2816 - 0.2533);
    }
    const double area_spread = 1.25 * median_positive(own_spread, 0.15);
    for (std::size_t c = 0; c < customers; ++c) {
        const double spread = std::isfinite(own_spread[c])
                                  ? std::clamp(own_spread[c], area_spread, 2 * area_spread)
                                  : area_spread;
        for (std::size_t d = 0; d < days; ++d) {
            const double r = residual[c * days + d];
            if (std::isfinite(r)) out.at(c, SuspectSignal::level_drop, d) = std::min(z_cap, -r / spread);
        }
    }
    if (!area_intervals) return out;

    // Interval shape: per customer with intervals, its usual profile per day type (the median
    // per interval of the day's share), then each day's statistics.
    std::vector<DayShape> shapes(customers * days);
    std::vector<std::uint8_t> shaped(customers, 0);
    std::vector<double> profile(2 * per_day);
    std::vector<double> share(days * per_day, nan);
    for (std::size_t c = 0; c < customers; ++c) {
        const auto& intervals = input.customers[c].intervals;
        if (intervals.size() != days * per_day) continue;
        std::vector<std::uint8_t> complete(days, 0);
        for (std::size_t d = 0; d < days; ++d) {
            double sum = 0;
            bool finite = true;
            for (std::size_t i = 0; i < per_day; ++i) {
                const double v = intervals[d * per_day + i];
                finite = finite && std::isfinite(v);
                sum += v;
            }
            complete[d] = finite && sum > 0 ? 1 : 0;
            for (std::size_t i = 0; i < per_day; ++i)
                share[d * per_day + i] = complete[d] != 0 ? intervals[d * per_day + i] / sum : nan;
        }
        for (int type = 0; type < 2; ++type) {
            std::size_t typed = 0;
            for (std::size_t d = 0; d < days; ++d) typed += input.day_type[d] == type && complete[d] != 0 ? 1 : 0;
            for (std::size_t i = 0; i < per_day; ++i) {
                scratch.clear();
                for (std::size_t d = 0; d < days; ++d) {
                    if (complete[d] != 0 && (typed < 4 || input.day_type[d] == type))
                        scratch.push_back(share[d * per_day + i]);
                }
                profile[static_cast<std::size_t>(type) * per_day + i] = quantile(scratch, 0.5);
            }
        }
        if (!std::isfinite(profile[0]) && !std::isfinite(profile[per_day])) continue;
        shaped[c] = 1;
        for (std::size_t d = 0; d < days; ++d) {
            DayShape& s = shapes[c * days + d];
            if (complete[d] == 0) {
                s.energy = nan;
                continue;
            }
            s = day_shape(intervals.subspan(d * per_day, per_day),
                          std::span<const double>(profile).subspan(input.day_type[d] * per_day, per_day));
        }
    }
    // The area's spreads of the profile correlation and the night share (median over customers
    // of each one's interquartile-like range between its 30th and 70th percentiles).
    std::vector<double> profile_spreads, night_spreads;
    std::vector<double> column(days);
    const auto spread_of = [&](std::size_t c, auto value) {
        for (std::size_t d = 0; d < days; ++d) {
            const DayShape& s = shapes[c * days + d];
            column[d] = std::isfinite(s.energy) ? value(s) : nan;
        }
        return (finite_quantile(column, 0.7, scratch) - finite_quantile(column, 0.3, scratch)) / 1.0488;
    };
    for (std::size_t c = 0; c < customers; ++c) {
        if (shaped[c] == 0) continue;
        profile_spreads.push_back(spread_of(c, [](const DayShape& s) { return fisher(s.profile_r); }));
        night_spreads.push_back(spread_of(c, [](const DayShape& s) { return s.night_share; }));
    }
    const double profile_spread = median_positive(profile_spreads, 0.15);
    const double night_spread = median_positive(night_spreads, 0.02);
    const double reversal_spread = std::sqrt(2.0 / std::max(1.0, static_cast<double>(per_day) - 3));
    for (std::size_t c = 0; c < customers; ++c) {
        if (shaped[c] == 0) continue;
        const auto typical = [&](auto value, double q) {
            for (std::size_t d = 0; d < days; ++d) {
                const DayShape& s = shapes[c * days + d];
                column[d] = std::isfinite(s.energy) ? value(s) : nan;
            }
            return finite_quantile(column, q, scratch);
        };
        const double usual_zeros = typical([](const DayShape& s) { return double(s.zero_count); }, 0.3);
        const double usual_ties = typical([](const DayShape& s) { return double(s.ties_at_max); }, 0.3);
        const double usual_variation = typical([](const DayShape& s) { return s.variation; }, 0.5);
        const double usual_profile_r = typical([](const DayShape& s) { return fisher(s.profile_r); }, 0.7);
        const double usual_night = typical([](const DayShape& s) { return s.night_share; }, 0.7);
        for (std::size_t d = 0; d < days; ++d) {
            const DayShape& s = shapes[c * days + d];
            if (!std::isfinite(s.energy) || s.energy <= 0) continue;
            const double zeros = s.zero_count - usual_zeros;
            out.at(c, SuspectSignal::zero_intervals, d) =
                zeros > 0 ? std::min(z_cap, 2 + 6 * zeros / std::max(1.0, static_cast<double>(per_day) / 6)) : 0;
            out.at(c, SuspectSignal::flat_day, d) =
                std::isfinite(s.variation) && s.variation < 0.05 * usual_variation ? z_cap : 0;
            const double ties = s.ties_at_max - usual_ties;
            out.at(c, SuspectSignal::plateau, d) = ties >= 2 ? std::min(z_cap, 1 + ties) : 0;
            if (std::isfinite(s.profile_r) && std::isfinite(s.reversed_r)) {
                out.at(c, SuspectSignal::reversed_day, d) =
                    std::min(z_cap, (fisher(s.reversed_r) - fisher(s.profile_r)) / reversal_spread);
                out.at(c, SuspectSignal::profile_mismatch, d) =
                    std::min(z_cap, (usual_profile_r - fisher(s.profile_r)) / profile_spread);
            }
            if (std::isfinite(s.night_share))
                out.at(c, SuspectSignal::night_drop, d) = std::min(z_cap, (usual_night - s.night_share) / night_spread);
        }
    }
    return out;
}

}  // namespace

double tamper_event_term(double tamper_score) {
    return tamper_score > 1 ? 2 * std::sqrt(tamper_score - 1) : 0;
}

std::vector<SuspectScore> rank_suspects(const SuspectAreaInput& input) {
    const auto days = static_cast<std::size_t>(input.days);
    const auto per_day = static_cast<std::size_t>(std::max(0, input.intervals_per_day));
    const std::size_t customers = input.customers.size();
    assert(input.supply_daily.size() == days && input.day_type.size() == days);

    // Each customer's median level per day type, then the peers' common factor of each day: the
    // median over customers of usage / own level.
    std::vector<double> level(customers * 2, nan);
    std::vector<double> scratch;
    for (std::size_t c = 0; c < customers; ++c) {
        for (int type = 0; type < 2; ++type) {
            scratch.clear();
            for (std::size_t d = 0; d < days; ++d) {
                const double v = input.customers[c].daily[d];
                if (input.day_type[d] == type && std::isfinite(v)) scratch.push_back(v);
            }
            level[c * 2 + static_cast<std::size_t>(type)] = quantile(scratch, 0.5);
        }
    }
    // Per customer its peer group's factor of the day (the area's when the group is small).
    std::vector<double> group_factor;  // (groups + 1) x days, the last row the area's
    std::size_t groups = 0;
    for (const auto& series : input.customers) groups = std::max<std::size_t>(groups, series.group + 1u);
    group_factor.assign((groups + 1) * days, 1.0);
    std::vector<std::size_t> group_size(groups + 1, 0);
    for (const auto& series : input.customers) ++group_size[series.group];
    for (std::size_t g = 0; g <= groups; ++g) {
        if (g < groups && group_size[g] < 8) continue;
        for (std::size_t d = 0; d < days; ++d) {
            scratch.clear();
            for (std::size_t c = 0; c < customers; ++c) {
                if (g < groups && input.customers[c].group != g) continue;
                const double v = input.customers[c].daily[d];
                const double l = level[c * 2 + input.day_type[d]];
                if (std::isfinite(v) && std::isfinite(l) && l > 0) scratch.push_back(v / l);
            }
            const double f = quantile(scratch, 0.5);
            group_factor[g * days + d] = std::isfinite(f) && f > 0 ? f : 1.0;
        }
    }
    std::vector<std::vector<double>> peer_factors(customers);
    for (std::size_t c = 0; c < customers; ++c) {
        const std::size_t g = group_size[input.customers[c].group] >= 8 ? input.customers[c].group : groups;
        peer_factors[c].assign(group_factor.begin() + static_cast<std::ptrdiff_t>(g * days),
                               group_factor.begin() + static_cast<std::ptrdiff_t>((g + 1) * days));
    }

    // The excess loss, daily and per interval.
    std::vector<double> excess(days, nan);
    for (std::size_t d = 0; d < days; ++d) {
        double sales = 0;
        bool complete = std::isfinite(input.supply_daily[d]);
        for (std::size_t c = 0; c < customers && complete; ++c) {
            const double v = input.customers[c].daily[d];
            if (std::isfinite(v)) {
                sales += v;
            } else {
                complete = false;
            }
        }
        if (complete) excess[d] = input.supply_daily[d] - sales;
    }
    remove_supply_trend(excess, input.supply_daily);

    const bool area_intervals = per_day > 0 && input.supply_intervals.size() == days * per_day;
    // Each interval customer's usual profile per day type (an upper quantile of usage / peer
    // factor per interval), and the interval customers' summed usual profile, the shape the
    // customers without intervals are assumed to follow.
    std::vector<std::vector<double>> usual_profile(customers);
    std::vector<double> peer_profile(2 * per_day, 0.0);
    if (area_intervals) {
        for (std::size_t c = 0; c < customers; ++c) {
            const auto& intervals = input.customers[c].intervals;
            if (intervals.size() != days * per_day) continue;
            usual_profile[c].assign(2 * per_day, nan);
            for (int type = 0; type < 2; ++type) {
                for (std::size_t i = 0; i < per_day; ++i) {
                    scratch.clear();
                    for (std::size_t d = 0; d < days; ++d) {
                        const double v = intervals[d * per_day + i];
                        if (input.day_type[d] == type && std::isfinite(v)) scratch.push_back(v / peer_factors[c][d]);
                    }
                    const double u = quantile(scratch, baseline_quantile);
                    usual_profile[c][static_cast<std::size_t>(type) * per_day + i] = u;
                    if (std::isfinite(u)) peer_profile[static_cast<std::size_t>(type) * per_day + i] += u;
                }
            }
        }
        for (int type = 0; type < 2; ++type) {
            double sum = 0;
            for (std::size_t i = 0; i < per_day; ++i) sum += peer_profile[static_cast<std::size_t>(type) * per_day + i];
            for (std::size_t i = 0; i < per_day; ++i) {
                double& p = peer_profile[static_cast<std::size_t>(type) * per_day + i];
                p = sum > 0 ? p / sum : 1.0 / static_cast<double>(per_day);
            }
        }
    }
    std::vector<double> interval_excess;
    if (area_intervals) {
        // Within each day: the loss per interval less the day's loss ratio times the supply, so
        // the technical loss and the day's level go and the loss's shape within the day stays.
        interval_excess.assign(days * per_day, nan);
        for (std::size_t d = 0; d < days; ++d) {
            double daily_only = 0;
            bool complete = true;
            for (std::size_t c = 0; c < customers; ++c) {
                if (!usual_profile[c].empty()) continue;
                const double v = input.customers[c].daily[d];
                if (std::isfinite(v)) {
                    daily_only += v;
                } else {
                    complete = false;
                }
            }
            if (!complete) continue;
            double loss_sum = 0, supply_sum = 0;
            for (std::size_t i = 0; i < per_day; ++i) {
                const std::size_t k = d * per_day + i;
                double value = input.supply_intervals[k] -
                               daily_only * peer_profile[static_cast<std::size_t>(input.day_type[d]) * per_day + i];
                for (std::size_t c = 0; c < customers && std::isfinite(value); ++c) {
                    if (!usual_profile[c].empty()) value -= input.customers[c].intervals[k];
                }
                interval_excess[k] = value;
                if (!std::isfinite(value) || !std::isfinite(input.supply_intervals[k])) {
                    complete = false;
                    continue;
                }
                loss_sum += value;
                supply_sum += input.supply_intervals[k];
            }
            const double ratio = complete && supply_sum > 0 ? loss_sum / supply_sum : nan;
            for (std::size_t i = 0; i < per_day; ++i) {
                const std::size_t k = d * per_day + i;
                interval_excess[k] =
                    std::isfinite(ratio) ? interval_excess[k] - ratio * input.supply_intervals[k] : nan;
            }
        }
    }

    DaySignals signals = own_day_signals(input, peer_factors, per_day, area_intervals);
    std::vector<double> anomaly(days);

    std::vector<SuspectScore> scores(customers);
    std::vector<double> deficit(days);
    std::vector<double> interval_deficit;
    for (std::size_t c = 0; c < customers; ++c) {
        const auto& series = input.customers[c];
        SuspectScore& s = scores[c];
        s.customer = static_cast<std::uint32_t>(c);
        // The usual level per day type: an upper quantile of usage / peer factor.
        double usual[2] = {nan, nan};
        for (int type = 0; type < 2; ++type) {
            scratch.clear();
            for (std::size_t d = 0; d < days; ++d) {
                const double v = series.daily[d];
                if (input.day_type[d] == type && std::isfinite(v)) scratch.push_back(v / peer_factors[c][d]);
            }
            usual[type] = quantile(scratch, baseline_quantile);
        }
        for (std::size_t d = 0; d < days; ++d) {
            deficit[d] = usual[input.day_type[d]] * peer_factors[c][d] - series.daily[d];
        }
        s.daily_correlation = correlation(deficit, excess);
        s.loss_share = share_of(deficit, excess);

        s.interval_correlation = nan;
        if (area_intervals && !usual_profile[c].empty()) {
            interval_deficit.assign(days * per_day, nan);
            for (std::size_t d = 0; d < days; ++d) {
                for (std::size_t i = 0; i < per_day; ++i) {
                    const std::size_t k = d * per_day + i;
                    interval_deficit[k] =
                        usual_profile[c][static_cast<std::size_t>(input.day_type[d]) * per_day + i] * peer_factors[c][d] -
                        series.intervals[k];
                }
            }
            s.interval_correlation = correlation(interval_deficit, interval_excess);
        }

        // Significant deficits: above twice the spread (median absolute deviation) of its own.
        scratch.clear();
        for (double v : deficit) {
            if (std::isfinite(v)) scratch.push_back(v);
        }
        const double middle = quantile(scratch, 0.5);
        for (double& v : scratch) v = std::abs(v - middle);
        const double spread = 1.4826 * quantile(scratch, 0.5);
        for (std::size_t d = 0; d < days; ++d) {
            if (!std::isfinite(deficit[d]) || !(deficit[d] > middle + 2 * spread) || deficit[d] <= 0) continue;
            s.unmetered_kwh += deficit[d];
            ++s.deficit_days;
            if (s.first_day < 0 && std::isfinite(excess[d]) && excess[d] > 0)
                s.first_day = static_cast<std::int32_t>(d);
        }

        // Each correlation as the z of Fisher's transform over its points, combined (Stouffer).
        const auto z_of = [](double r, double points) {
            if (!std::isfinite(r) || points < 4) return nan;
            return std::atanh(std::clamp(r, -0.999, 0.999)) * std::sqrt(points - 3);
        };
        const double z_daily = z_of(s.daily_correlation, static_cast<double>(days));
        const double z_interval = z_of(s.interval_correlation, static_cast<double>(days * per_day));
        // Intervals add evidence, never take the daily evidence away: the day-level balance is
        // exact for every customer, the interval one carries the noise of the customers
        // without intervals spread over the day.
        const double daily = std::isfinite(z_daily) ? z_daily : 0;
        const double loss_z = std::isfinite(z_interval) ? std::max(daily, (daily + z_interval) / std::sqrt(2.0)) : daily;

        // Its own days: per day the strongest signal; per signal the excess over the threshold.
        s.evidence[static_cast<std::size_t>(SuspectSignal::loss_correlation)] = std::max(0.0, loss_z);
        for (std::size_t d = 0; d < days; ++d) {
            double strongest = nan;
            for (int k = 1; k < suspect_signal_count; ++k) {
                const double z = signals.at(c, static_cast<SuspectSignal>(k), d);
                if (!std::isfinite(z)) continue;
                if (!(strongest >= z)) strongest = z;
                if (z > suspect_day_threshold) s.evidence[static_cast<std::size_t>(k)] += z - suspect_day_threshold;
            }
            anomaly[d] = std::isfinite(strongest) ? std::max(0.0, strongest) : nan;
            if (strongest > suspect_day_threshold) {
                s.shape_evidence += strongest - suspect_day_threshold;
                if (s.anomalous_days == 0) s.first_anomalous_day = static_cast<std::int32_t>(d);
                ++s.anomalous_days;
            }
        }
        s.anomaly_loss_correlation = correlation(anomaly, excess);
        const double z_anomaly = z_of(s.anomaly_loss_correlation, static_cast<double>(days));
        std::size_t best = 0;
        for (std::size_t k = 1; k < s.evidence.size(); ++k) {
            if (s.evidence[k] > s.evidence[best]) best = k;
        }
        s.evidence[static_cast<std::size_t>(SuspectSignal::tamper_events)] = series.tamper_score;
        if (tamper_event_term(series.tamper_score) > 0 &&
            tamper_event_term(series.tamper_score) * tamper_event_term(series.tamper_score) > s.evidence[best])
            best = static_cast<std::size_t>(SuspectSignal::tamper_events);
        s.reason = static_cast<SuspectSignal>(best);
        // Correlations below 2 are what an area's honest customers reach by chance.
        s.score = std::max(0.0, loss_z - 2) + (std::isfinite(z_anomaly) ? std::max(0.0, z_anomaly - 2) : 0) +
                  std::sqrt(s.shape_evidence) + tamper_event_term(series.tamper_score);
        s.ranking_score = s.score;
        double total = 0;
        int counted = 0;
        for (double v : series.daily) {
            if (!std::isfinite(v)) continue;
            total += v;
            ++counted;
        }
        s.mean_daily_kwh = counted > 0 ? total / counted : nan;
        s.has_intervals = area_intervals && !usual_profile[c].empty();
    }
    std::sort(scores.begin(), scores.end(), [](const SuspectScore& a, const SuspectScore& b) {
        return a.score != b.score ? a.score > b.score : a.customer < b.customer;
    });
    return scores;
}

namespace {

// A meter's 15-minute kWh over `days` days from `first_day`, times its multiplier; a day without
// all 96 intervals stored is NaN. Empty when the matrix does not cover the days or the meter has
// no intervals in them.
std::vector<double> meter_intervals(const RegionFrame& frame, std::size_t meter, CivilDate first_day,
                                    std::size_t days) {
    const IntervalMatrix& matrix = frame.intervals;
    const std::int32_t offset = first_day - matrix.first_day;
    if (offset < 0 || offset + static_cast<std::int32_t>(days) > matrix.day_count) return {};
    std::size_t row = frame.interval_meter.size();
    for (std::size_t r = 0; r < frame.interval_meter.size(); ++r) {
        if (frame.interval_meter[r].value() == meter) row = r;
    }
    if (row == frame.interval_meter.size()) return {};
    constexpr auto per_day = static_cast<std::size_t>(IntervalMatrix::values_per_day);
    const auto matrix_days = static_cast<std::size_t>(matrix.day_count);
    const std::span<const double> kwh = matrix.meter_kwh(row);
    const double multiplier = std::isfinite(frame.meters.multiplier[meter]) ? frame.meters.multiplier[meter] : 1.0;
    std::vector<double> values(days * per_day, nan);
    bool any = false;
    for (std::size_t d = 0; d < days; ++d) {
        const std::size_t day = static_cast<std::size_t>(offset) + d;
        if (matrix.stored[row * matrix_days + day] != per_day) continue;
        any = true;
        for (std::size_t i = 0; i < per_day; ++i) values[d * per_day + i] = kwh[day * per_day + i] * multiplier;
    }
    return any ? values : std::vector<double>{};
}

}  // namespace

std::vector<SuspectScore> rank_node_suspects(const LossAnalysis& analysis, std::size_t node, std::int32_t first,
                                             std::int32_t last, const RegionFrame* frame,
                                             SuspectIntervalsUsed* intervals_used) {
    const BalanceGraph& graph = analysis.graph();
    assert(node < graph.size() && 0 <= first && first <= last && last <= analysis.days);
    const std::size_t begin = graph.customer_offset[node];
    const std::size_t end = graph.customer_offset[node + 1];
    const auto days = static_cast<std::size_t>(last - first);
    if (begin == end || days < 7) return {};
    const auto supply = analysis.daily_supply(node).subspan(static_cast<std::size_t>(first), days);
    // The customers' net usage plus what they fed in is what the balance's sales hold.
    std::vector<double> values((end - begin) * days);
    const UsageMatrix usage = analysis.customers();
    for (std::size_t r = begin; r < end; ++r) {
        const float* row = usage.row(r) + first;
        for (std::size_t d = 0; d < days; ++d) values[(r - begin) * days + d] = static_cast<double>(row[d]);
    }
    std::vector<std::uint8_t> day_type(days);
    for (std::size_t d = 0; d < days; ++d) {
        day_type[d] = (analysis.first_day + first + static_cast<std::int32_t>(d)).weekday_from_monday() >= 5 ? 1 : 0;
    }
    // The supply less what the node's own customers fed in, so supply - sum(usage) is the loss.
    std::vector<double> supply_net(supply.begin(), supply.end());
    const auto& fed_in = analysis.series->fed_in;
    if (!fed_in.empty()) {
        for (std::size_t d = 0; d < days; ++d) {
            supply_net[d] -=
                fed_in[node * static_cast<std::size_t>(analysis.days) + static_cast<std::size_t>(first) + d];
        }
    }
    SuspectAreaInput input;
    input.days = static_cast<std::int32_t>(days);
    input.supply_daily = supply_net;
    input.day_type = day_type;
    for (std::size_t r = begin; r < end; ++r)
        input.customers.push_back({std::span<const double>(values).subspan((r - begin) * days, days), {}});

    // From the frame: categories as peer groups, and the intervals where they cover the window.
    std::vector<double> area_intervals;
    std::vector<std::vector<double>> customer_intervals(end - begin);
    if (frame != nullptr) {
        std::vector<std::string_view> categories;
        for (std::size_t r = begin; r < end; ++r) {
            const std::string& category = frame->customers.category[analysis.customer_of_row()[r]];
            auto found = std::find(categories.begin(), categories.end(), category);
            if (found == categories.end()) found = categories.insert(categories.end(), category);
            input.customers[r - begin].group = static_cast<std::uint8_t>(std::min<std::ptrdiff_t>(
                found - categories.begin(), std::numeric_limits<std::uint8_t>::max()));
        }
        const CivilDate window_start = analysis.first_day + first;
        const std::vector<TamperEvents> tamper =
            customer_tamper_events(*frame, window_start - 30, window_start + static_cast<std::int32_t>(days) - 1);
        for (std::size_t r = begin; r < end; ++r)
            input.customers[r - begin].tamper_score = tamper[analysis.customer_of_row()[r]].score;
        std::size_t gateways = 0, gateway = 0;
        std::vector<std::size_t> meters_of(end - begin, 0), meter_of(end - begin, 0);
        for (std::size_t m = 0; m < frame->meters.size(); ++m) {
            if (frame->meters.node[m].value() != node) continue;
            if (frame->meters.is_gateway[m]) {
                ++gateways;
                gateway = m;
            }
        }
        if (gateways == 1 && frame->has_intervals()) area_intervals = meter_intervals(*frame, gateway, window_start, days);
        if (!area_intervals.empty()) {
            for (std::size_t m = 0; m < frame->meters.size(); ++m) {
                if (frame->meters.is_gateway[m] || !frame->meters.customer[m].valid()) continue;
                for (std::size_t r = begin; r < end; ++r) {
                    if (analysis.customer_of_row()[r] != frame->meters.customer[m].value()) continue;
                    ++meters_of[r - begin];
                    meter_of[r - begin] = m;
                }
            }
            for (std::size_t r = begin; r < end; ++r) {
                if (meters_of[r - begin] != 1) continue;
                customer_intervals[r - begin] = meter_intervals(*frame, meter_of[r - begin], window_start, days);
                input.customers[r - begin].intervals = customer_intervals[r - begin];
                if (intervals_used != nullptr && !customer_intervals[r - begin].empty()) ++intervals_used->customers;
            }
            if (intervals_used != nullptr) intervals_used->area_meter = true;
            input.intervals_per_day = IntervalMatrix::values_per_day;
            input.supply_intervals = area_intervals;
        }
    }
    std::vector<SuspectScore> scores = rank_suspects(input);
    for (SuspectScore& s : scores) s.customer = analysis.customer_of_row()[begin + s.customer];
    return scores;
}

}  // namespace gridaudit
