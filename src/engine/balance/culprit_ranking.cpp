// Loss change points and customer-move fits (see culprit_ranking.hpp).
#include "engine/balance/culprit_ranking.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gridaudit {
namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();


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

AreaChanges area_changes(std::span<const double> supply, std::span<const double> sales, double base_rate) {
    AreaChanges changes;
    changes.excess.assign(supply.size(), nan_value);
    changes.supply.assign(supply.size(), nan_value);
    for (std::size_t d = 1; d < supply.size(); ++d) {
        const double e1 = supply[d] - sales[d] - base_rate * supply[d];
        const double e0 = supply[d - 1] - sales[d - 1] - base_rate * supply[d - 1];
        if (!std::isfinite(e1) || !std::isfinite(e0)) continue;
        changes.excess[d] = e1 - e0;
        changes.supply[d] = supply[d] - supply[d - 1];
    }
    return changes;
}

namespace {

// Coefficient and t statistic of y on x with z partialled out, from the centred sums.
struct PartialFit {
    double coefficient = 0, t = 0, correlation = 0;
};

PartialFit partial_fit(double sxx, double syy, double szz, double sxy, double sxz, double syz, int n) {
    PartialFit fit;
    if (n < 5 || sxx <= 1e-12) return fit;
    // Residualise x and y on z (when z moves at all).
    double rxx = sxx, rxy = sxy, ryy = syy;
    if (szz > 1e-12) {
        rxx = sxx - sxz * sxz / szz;
        rxy = sxy - sxz * syz / szz;
        ryy = syy - syz * syz / szz;
    }
    if (rxx <= 1e-12 * sxx || rxx <= 1e-12) return fit;
    fit.coefficient = rxy / rxx;
    if (ryy > 1e-12) fit.correlation = std::clamp(rxy / std::sqrt(rxx * ryy), -1.0, 1.0);
    const double residual = std::max(0.0, ryy - fit.coefficient * rxy);
    const double se = std::sqrt(residual / std::max(1, n - 3) / rxx);
    fit.t = se > 0 ? fit.coefficient / se : (fit.coefficient > 0 ? 1e9 : -1e9);
    return fit;
}

}  // namespace

MoveChangeFit fit_customer_move_changes(const float* usage, const AreaChanges& recorded, const AreaChanges& other,
                                        std::int32_t from, std::int32_t to) {
    // Sums for x = usage change, a = recorded excess change, p = recorded supply change, b, q = the other's.
    double sx = 0, sa = 0, sp = 0, sb = 0, sq = 0;
    double sxx = 0, saa = 0, spp = 0, sbb = 0, sqq = 0, sxa = 0, sxp = 0, sap = 0, sxb = 0, sxq = 0, sbq = 0;
    int n = 0;
    const auto end = static_cast<std::int32_t>(std::min(recorded.excess.size(), other.excess.size()));
    for (std::int32_t d = std::max(from, 1); d < std::min(to, end); ++d) {
        const auto i = static_cast<std::size_t>(d);
        const double x = static_cast<double>(usage[d]) - static_cast<double>(usage[d - 1]);
        const double a = recorded.excess[i], p = recorded.supply[i], b = other.excess[i], q = other.supply[i];
        if (!std::isfinite(x) || !std::isfinite(a) || !std::isfinite(b)) continue;
        sx += x, sa += a, sp += p, sb += b, sq += q;
        sxx += x * x, saa += a * a, spp += p * p, sbb += b * b, sqq += q * q;
        sxa += x * a, sxp += x * p, sap += a * p, sxb += x * b, sxq += x * q, sbq += b * q;
        ++n;
    }
    MoveChangeFit fit;
    fit.days = n;
    if (n < 5) return fit;
    const auto centred = [n](double sxy, double sx_, double sy_) { return sxy - sx_ * sy_ / n; };
    const PartialFit r = partial_fit(centred(sxx, sx, sx), centred(saa, sa, sa), centred(spp, sp, sp),
                                     centred(sxa, sx, sa), centred(sxp, sx, sp), centred(sap, sa, sp), n);
    const PartialFit o = partial_fit(centred(sxx, sx, sx), centred(sbb, sb, sb), centred(sqq, sq, sq),
                                     centred(sxb, sx, sb), centred(sxq, sx, sq), centred(sbq, sb, sq), n);
    fit.coefficient_recorded = r.coefficient, fit.t_recorded = r.t, fit.correlation_recorded = r.correlation;
    fit.coefficient_other = o.coefficient, fit.t_other = o.t, fit.correlation_other = o.correlation;
    return fit;
}

}  // namespace gridaudit

namespace gridaudit {

std::vector<JointCoefficient> fit_joint_usage_changes(std::span<const float* const> usages, const AreaChanges& changes,
                                                      std::int32_t from, std::int32_t to) {
    const std::size_t k = usages.size();
    const std::size_t p = k + 2;  // the usages, the supply change, the intercept
    std::vector<JointCoefficient> result(k);
    if (k == 0) return result;
    std::vector<double> xtx(p * p, 0.0), xty(p, 0.0), x(p);
    double yty = 0;
    int n = 0;
    const auto end = static_cast<std::int32_t>(changes.excess.size());
    for (std::int32_t d = std::max(from, 1); d < std::min(to, end); ++d) {
        const auto i = static_cast<std::size_t>(d);
        const double y = changes.excess[i];
        if (!std::isfinite(y) || !std::isfinite(changes.supply[i])) continue;
        bool valid = true;
        for (std::size_t j = 0; j < k && valid; ++j) {
            x[j] = static_cast<double>(usages[j][d]) - static_cast<double>(usages[j][d - 1]);
            valid = std::isfinite(x[j]);
        }
        if (!valid) continue;
        x[k] = changes.supply[i];
        x[k + 1] = 1.0;
        for (std::size_t a = 0; a < p; ++a) {
            xty[a] += x[a] * y;
            for (std::size_t b = 0; b < p; ++b) xtx[a * p + b] += x[a] * x[b];
        }
        yty += y * y;
        ++n;
    }
    if (n < static_cast<int>(p) + 5) return result;
    // Invert X'X by Gauss-Jordan with partial pivoting (p is small).
    std::vector<double> inverse(p * p, 0.0);
    for (std::size_t a = 0; a < p; ++a) inverse[a * p + a] = 1.0;
    std::vector<double> m = xtx;
    for (std::size_t c = 0; c < p; ++c) {
        std::size_t pivot = c;
        for (std::size_t r = c + 1; r < p; ++r)
            if (std::abs(m[r * p + c]) > std::abs(m[pivot * p + c])) pivot = r;
        if (std::abs(m[pivot * p + c]) < 1e-12 * (1 + std::abs(xtx[c * p + c]))) return result;  // collinear
        if (pivot != c)
            for (std::size_t b = 0; b < p; ++b) std::swap(m[c * p + b], m[pivot * p + b]), std::swap(inverse[c * p + b], inverse[pivot * p + b]);
        const double scale = 1.0 / m[c * p + c];
        for (std::size_t b = 0; b < p; ++b) m[c * p + b] *= scale, inverse[c * p + b] *= scale;
        for (std::size_t r = 0; r < p; ++r) {
            if (r == c) continue;
            const double factor = m[r * p + c];
            if (factor == 0) continue;
            for (std::size_t b = 0; b < p; ++b) m[r * p + b] -= factor * m[c * p + b], inverse[r * p + b] -= factor * inverse[c * p + b];
        }
    }
    std::vector<double> beta(p, 0.0);
    for (std::size_t a = 0; a < p; ++a)
        for (std::size_t b = 0; b < p; ++b) beta[a] += inverse[a * p + b] * xty[b];
    double residual = yty;
    for (std::size_t a = 0; a < p; ++a) residual -= beta[a] * xty[a];
    const double variance = std::max(0.0, residual) / std::max(1, n - static_cast<int>(p));
    for (std::size_t j = 0; j < k; ++j) {
        result[j].coefficient = beta[j];
        const double se = std::sqrt(variance * std::max(0.0, inverse[j * p + j]));
        result[j].t = se > 0 ? beta[j] / se : (beta[j] > 0 ? 1e9 : -1e9);
    }
    return result;
}

}  // namespace gridaudit
