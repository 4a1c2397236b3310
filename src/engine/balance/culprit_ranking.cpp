// Loss change points, culprit ranking and customer-move fits (see culprit_ranking.hpp).
#include "engine/balance/culprit_ranking.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gridaudit {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

double median(std::vector<double> values) {
    if (values.empty()) return nan_value;
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

}  // namespace

LossChange find_loss_change(std::span<const double> supply, std::span<const double> sales,
                            const LossChangeOptions& options) {
    std::vector<std::int32_t> day;
    std::vector<double> rate;
    for (std::size_t d = 0; d < supply.size(); ++d) {
        const double r = (supply[d] - sales[d]) / supply[d];
        if (std::isfinite(r) && supply[d] > 0) {
            day.push_back(static_cast<std::int32_t>(d));
            rate.push_back(r);
        }
    }
    LossChange change;
    const auto n = static_cast<std::int32_t>(rate.size());
    if (n == 0) return change;
    double total = 0, total_squares = 0;
    for (double r : rate) total += r, total_squares += r * r;
    change.rate_after = total / n;
    if (n < 2 * options.min_segment) return change;
    double best = 0, before = 0;
    std::int32_t best_k = -1;
    for (std::int32_t k = 1; k < n; ++k) {
        before += rate[static_cast<std::size_t>(k - 1)];
        if (k < options.min_segment || n - k < options.min_segment) continue;
        const double shift = options.direction * ((total - before) / (n - k) - before / k);
        const double weighted = shift * std::sqrt(static_cast<double>(k) * (n - k) / n);
        if (weighted > best) best = weighted, best_k = k;
    }
    if (best_k < 0) return change;
    double sum_before = 0;
    for (std::int32_t k = 0; k < best_k; ++k) sum_before += rate[static_cast<std::size_t>(k)];
    const double mean_before = sum_before / best_k, mean_after = (total - sum_before) / (n - best_k);
    // Pooled within-segment variance for the t statistic.
    double within = 0;
    for (std::int32_t k = 0; k < n; ++k) {
        const double mean = k < best_k ? mean_before : mean_after;
        within += (rate[static_cast<std::size_t>(k)] - mean) * (rate[static_cast<std::size_t>(k)] - mean);
    }
    const double sigma = std::sqrt(within / std::max(1, n - 2));
    const double t = sigma > 0 ? best / sigma : std::numeric_limits<double>::infinity();
    if (options.direction * (mean_after - mean_before) < options.min_shift || t < options.min_t) return change;
    change.day = day[static_cast<std::size_t>(best_k)];
    change.rate_before = mean_before;
    change.rate_after = mean_after;
    change.t_statistic = t;
    return change;
}

std::vector<double> excess_loss(std::span<const double> supply, std::span<const double> sales, double base_rate) {
    std::vector<double> excess(supply.size());
    for (std::size_t d = 0; d < supply.size(); ++d) excess[d] = supply[d] - sales[d] - base_rate * supply[d];
    return excess;
}

CulpritRanking rank_culprits(const UsageMatrix& customers, std::uint32_t begin, std::uint32_t end,
                             std::span<const double> supply, std::span<const double> sales, const LossChange& change,
                             const RankingOptions& options) {
    CulpritRanking ranking;
    const std::int32_t days = customers.days;
    ranking.base_rate = change.day >= 0 ? change.rate_before : options.reference_rate;
    const std::vector<double> excess = excess_loss(supply, sales, ranking.base_rate);
    const std::int32_t from = std::max<std::int32_t>(change.day, 0);

    // The abnormal period's computable days and the centred excess loss on them.
    std::vector<std::int32_t> period;
    double excess_sum = 0;
    for (std::int32_t d = from; d < days; ++d)
        if (std::isfinite(excess[static_cast<std::size_t>(d)])) {
            period.push_back(d);
            excess_sum += excess[static_cast<std::size_t>(d)];
        }
    ranking.excess_kwh = excess_sum;
    if (period.size() < 3) return ranking;

    // Each customer's usage ratio across the jump; the area's median ratio is the peers' reference.
    const std::int32_t window = options.drop_window;
    const bool has_jump = change.day >= window && change.day + window <= days;
    std::vector<double> ratio(end - begin, nan_value), before_mean(end - begin, nan_value);
    if (has_jump)
        for (std::uint32_t r = begin; r < end; ++r) {
            const float* u = customers.row(r);
            double before = 0, after = 0;
            int nb = 0, na = 0;
            for (std::int32_t d = change.day - window; d < change.day; ++d)
                if (!std::isnan(u[d])) before += u[d], ++nb;
            for (std::int32_t d = change.day; d < change.day + window; ++d)
                if (!std::isnan(u[d])) after += u[d], ++na;
            if (nb == 0 || na == 0 || before <= 0) continue;
            before_mean[r - begin] = before / nb;
            ratio[r - begin] = (after / na) / (before / nb);
        }
    std::vector<double> finite_ratios;
    for (double x : ratio)
        if (std::isfinite(x)) finite_ratios.push_back(x);
    const double peer_ratio = median(finite_ratios);

    const double excess_positive = std::max(excess_sum, 0.0);
    ranking.customers.reserve(end - begin);
    for (std::uint32_t r = begin; r < end; ++r) {
        const float* u = customers.row(r);
        // Correlation of usage with the excess loss once the area's supply is partialled out: the
        // weather and the weekday move every customer and the loss together, a bypass only the loss.
        double su = 0, se = 0, ss = 0, suu = 0, see = 0, sss = 0, sue = 0, sus = 0, ses = 0;
        int n = 0;
        for (std::int32_t d : period) {
            const double x = u[d];
            if (std::isnan(x)) continue;
            const double e = excess[static_cast<std::size_t>(d)], s = supply[static_cast<std::size_t>(d)];
            su += x, se += e, ss += s, suu += x * x, see += e * e, sss += s * s, sue += x * e, sus += x * s, ses += e * s;
            ++n;
        }
        CulpritScore score;
        score.row = r;
        if (n >= 3) {
            const double var_u = suu - su * su / n, var_e = see - se * se / n, var_s = sss - ss * ss / n;
            const double cov_ue = sue - su * se / n, cov_us = sus - su * ss / n, cov_es = ses - se * ss / n;
            if (var_u > 1e-9 && var_e > 1e-9) {
                const double r_ue = cov_ue / std::sqrt(var_u * var_e);
                score.correlation = r_ue;
                if (var_s > 1e-9) {
                    const double r_us = cov_us / std::sqrt(var_u * var_s), r_es = cov_es / std::sqrt(var_e * var_s);
                    const double denominator = std::sqrt(std::max(0.0, (1 - r_us * r_us) * (1 - r_es * r_es)));
                    if (denominator > 1e-6) score.correlation = std::clamp((r_ue - r_us * r_es) / denominator, -1.0, 1.0);
                }
            }
            // Stolen share proportional to registered usage (a bypass takes a fixed fraction).
            const double slope = suu > 0 ? std::clamp(sue / suu, 0.0, 10.0) : 0.0;
            if (score.correlation > 0) score.estimated_kwh = slope * su * std::max(score.correlation, 0.0);
        }
        if (std::isfinite(ratio[r - begin]) && std::isfinite(peer_ratio) && peer_ratio > 0) {
            score.drop = std::clamp(1.0 - ratio[r - begin] / peer_ratio, -1.0, 1.0);
            if (score.drop > 0)
                score.estimated_kwh = std::max(score.estimated_kwh, before_mean[r - begin] * peer_ratio * score.drop *
                                                                        static_cast<double>(period.size()));
        }
        if (excess_positive > 0) score.estimated_kwh = std::min(score.estimated_kwh, excess_positive);
        const double explained = excess_positive > 0 ? score.estimated_kwh / excess_positive : 0.0;
        score.score = (0.5 * std::max(score.correlation, 0.0) + 0.5 * std::max(score.drop, 0.0)) *
                      (0.5 + 0.5 * std::sqrt(std::clamp(explained, 0.0, 1.0)));
        ranking.customers.push_back(score);
    }
    std::sort(ranking.customers.begin(), ranking.customers.end(), [](const CulpritScore& a, const CulpritScore& b) {
        return a.score != b.score ? a.score > b.score : a.row < b.row;
    });
    return ranking;
}

MoveFit fit_customer_move(const float* usage, std::span<const double> excess_recorded,
                          std::span<const double> excess_other) {
    double su = 0, sa = 0, sb = 0, suu = 0, saa = 0, sbb = 0, sua = 0, sub = 0;
    int n = 0;
    for (std::size_t d = 0; d < excess_recorded.size(); ++d) {
        const double x = usage[d], a = excess_recorded[d], b = excess_other[d];
        if (std::isnan(x) || !std::isfinite(a) || !std::isfinite(b)) continue;
        su += x, sa += a, sb += b, suu += x * x, saa += a * a, sbb += b * b, sua += x * a, sub += x * b, ++n;
    }
    MoveFit fit;
    fit.days = n;
    if (n < 3) return fit;
    const double var_u = suu - su * su / n, var_a = saa - sa * sa / n, var_b = sbb - sb * sb / n;
    if (var_u <= 1e-9) return fit;
    const double cov_a = sua - su * sa / n, cov_b = sub - su * sb / n;
    fit.coefficient_recorded = cov_a / var_u;
    fit.coefficient_other = cov_b / var_u;
    if (var_a > 1e-9) fit.correlation_recorded = cov_a / std::sqrt(var_u * var_a);
    if (var_b > 1e-9) fit.correlation_other = cov_b / std::sqrt(var_u * var_b);
    return fit;
}

}  // namespace gridaudit
