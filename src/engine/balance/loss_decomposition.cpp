// Forward-selection decomposition of a node's loss rate into culprits (see loss_decomposition.hpp).
#include "engine/balance/loss_decomposition.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace gridaudit {
namespace {

// The best single change point of a customer's share over positions [from, to) of its series, in
// `direction` (+1: a fall, -1: a rise, 0: either): the position after it, both means, and the
// shift's t statistic (pooled variance within the range).
struct Split {
    std::int32_t at = -1;
    double before = 0, after = 0, t = 0;
};

Split best_split(std::span<const double> share, std::int32_t from, std::int32_t to, int direction,
                 std::int32_t min_segment) {
    Split split;
    const std::int32_t n = to - from;
    if (n < 2 * min_segment) return split;
    // The split maximises the shift weighted by sqrt(k (n - k) / n), the mean before minus the mean
    // after being (before x n - total x k) / (k (n - k)). Prefix sums first, then every k scored
    // without a branch (a wrong direction scores 0) and without a division (1 / (k (n - k)) is kept
    // per series length), then the best picked: mispredicted branches and divisions were what a
    // one-loop search cost.
    thread_local std::vector<double> prefix, inverse;
    thread_local std::int32_t inverse_for = -1;
    prefix.resize(static_cast<std::size_t>(n) + 1);
    prefix[0] = 0;
    double squares = 0;
    for (std::int32_t k = 0; k < n; ++k) {
        const double x = share[static_cast<std::size_t>(from + k)];
        prefix[static_cast<std::size_t>(k) + 1] = prefix[static_cast<std::size_t>(k)] + x;
        squares += x * x;
    }
    const double total = prefix[static_cast<std::size_t>(n)];
    if (inverse_for != n) {
        inverse.resize(static_cast<std::size_t>(n));
        for (std::int32_t k = 1; k < n; ++k) inverse[static_cast<std::size_t>(k)] = 1.0 / (static_cast<double>(k) * (n - k));
        inverse_for = n;
    }
    const std::int32_t first = std::max(1, min_segment), last = n - min_segment;  // k in [first, last]
    double best_value = 0;
    std::int32_t best_k = -1;
    for (std::int32_t k = first; k <= last; ++k) {
        const double numerator = prefix[static_cast<std::size_t>(k)] * n - total * k;  // positive: a fall
        const double value = direction * numerator >= 0 ? numerator * numerator * inverse[static_cast<std::size_t>(k)] : 0.0;
        if (value > best_value) best_value = value, best_k = k;
    }
    if (best_k < 0) return split;
    const double best = std::sqrt(best_value / n);
    const double sum_before = prefix[static_cast<std::size_t>(best_k)];
    split.before = sum_before / best_k;
    split.after = (total - sum_before) / (n - best_k);
    // Within-segment sum of squares from the sums: sum x^2 - k before^2 - (n - k) after^2.
    const double within = std::max(0.0, squares - best_k * split.before * split.before -
                                            (n - best_k) * split.after * split.after);
    const double sigma = std::sqrt(within / std::max(1, n - 2));
    split.t = sigma > 0 ? best / sigma : std::numeric_limits<double>::infinity();
    split.at = from + best_k;
    return split;
}

// A customer's step in its share of its peers' usage: the positions [low_begin, low_end) of its
// series where the share is low, the mean share there and on the high side, and the step's t
// statistic. A fall is a theft (or a stopped or reversed meter) starting, a rise one ending; a
// fall followed by a rise (a second split on the low side) is a theft that started and ended
// inside the window.
struct ShareStep {
    std::int32_t low_begin = -1, low_end = -1;
    double high = 0, low = 0, t = 0;
    [[nodiscard]] bool found() const { return low_begin >= 0; }
    // Share of the high level not registered at the low one (above 1: registered backwards).
    [[nodiscard]] double drop() const { return high > 0 ? 1 - low / high : 0; }
};

ShareStep find_share_step(std::span<const double> share, int direction, const DecompositionOptions& options) {
    ShareStep step;
    const auto n = static_cast<std::int32_t>(share.size());
    const Split first = best_split(share, 0, n, direction, options.min_segment);
    if (first.at < 0) return step;
    const bool falls = first.after < first.before;
    step.low_begin = falls ? first.at : 0;
    step.low_end = falls ? n : first.at;
    step.high = std::max(first.before, first.after);
    step.low = std::min(first.before, first.after);
    step.t = first.t;
    if (step.t < options.min_step_t) return step;  // not clear: no episode to look for
    // The low side may end (or begin) inside the window too: a second split on it, back to about the
    // high level (a theft ending gives the consumption back), at least `min_episode` columns long (a
    // holiday is shorter: the Spring Festival takes a month of households' usage down).
    const Split second = best_split(share, step.low_begin, step.low_end, falls ? -1 : 1, options.min_segment);
    if (second.at >= 0 && second.t >= options.min_step_t) {
        const double outer = falls ? second.after : second.before, inner = falls ? second.before : second.after;
        const std::int32_t inner_length = falls ? second.at - step.low_begin : step.low_end - second.at;
        if (inner < outer && 1 - inner / std::max(outer, 1e-300) >= options.min_step_drop &&
            std::abs(outer - step.high) <= 0.3 * step.high && inner_length >= options.min_episode) {
            (falls ? step.low_end : step.low_begin) = second.at;
            step.low = inner;
            // The high side now holds both outer parts.
            double high_sum = 0;
            std::int32_t high_count = 0;
            for (std::int32_t k = 0; k < n; ++k)
                if (k < step.low_begin || k >= step.low_end) high_sum += share[static_cast<std::size_t>(k)], ++high_count;
            if (high_count > 0) step.high = high_sum / high_count;
        }
    }
    return step;
}

// One candidate feature: its values on the computable columns (loss scale, kWh) and, while it is a
// candidate, its part orthogonal to the features already chosen (rate scale).
struct Candidate {
    std::uint32_t row = 0;
    CulpritSignal signal = CulpritSignal::step;
    std::int32_t from = -1, to = -1;
    double drop = 0;
    bool stopped = false;          // step: registers nothing at all on its low side
    bool unbounded = false;        // its records disagree: no upper bound on the coefficient
    bool backwards = false;        // step: registers backwards on its low side (net negative)
    std::vector<double> kwh;       // step, bypass: the feature per computable column
    const float* level_row = nullptr;  // level: the registered usage (NaN where missing) ...
    double level_sign = 1;             // ... negated when it runs backwards
    double mean = 0;               // of kwh / supply over the kept columns
    double norm = 0;               // squared norm of that, centred, before any orthogonalisation
    double left = 0;               // squared norm of its part orthogonal to the chosen features
    double product = 0;            // with the current residual
    bool chosen = false, dropped = false;

    // The feature in kWh on computable column k.
    [[nodiscard]] double feature(std::size_t k) const {
        if (!level_row) return kwh[k];
        const float u = level_row[k];
        return u == u ? level_sign * u : 0.0;  // missing: nothing
    }
};

// Four independent sums, so the loop pipelines (and vectorises) without reassociating one sum.
double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double lane[4] = {0, 0, 0, 0};
    const std::size_t n = a.size(), whole = n / 4 * 4;
    for (std::size_t i = 0; i < whole; i += 4)
        for (std::size_t j = 0; j < 4; ++j) lane[j] += a[i + j] * b[i + j];
    double sum = (lane[0] + lane[1]) + (lane[2] + lane[3]);
    for (std::size_t i = whole; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

// Solves the symmetric positive definite system a x = b in place (Cholesky); false when singular.
bool solve_symmetric(std::vector<double>& a, std::vector<double>& b, std::size_t n) {
    for (std::size_t j = 0; j < n; ++j) {
        double diagonal = a[j * n + j];
        for (std::size_t k = 0; k < j; ++k) diagonal -= a[j * n + k] * a[j * n + k];
        if (diagonal <= 1e-18) return false;
        a[j * n + j] = std::sqrt(diagonal);
        for (std::size_t i = j + 1; i < n; ++i) {
            double value = a[i * n + j];
            for (std::size_t k = 0; k < j; ++k) value -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = value / a[j * n + j];
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        double value = b[i];
        for (std::size_t k = 0; k < i; ++k) value -= a[i * n + k] * b[k];
        b[i] = value / a[i * n + i];
    }
    for (std::size_t i = n; i-- > 0;) {
        double value = b[i];
        for (std::size_t k = i + 1; k < n; ++k) value -= a[k * n + i] * b[k];
        b[i] = value / a[i * n + i];
    }
    return true;
}


struct FittedTerm {
    std::size_t candidate = 0;
    double coefficient = 0, t = 0;
};

struct Fit {
    std::vector<FittedTerm> terms;
    double base_rate = 0, sigma = 0, dof = 1;
    std::vector<double> residual;  // per column (0 where not kept)
};

// Median absolute deviation of the non-zero residuals, scaled to a normal standard deviation.
double robust_sigma(const std::vector<double>& residual) {
    std::vector<double> deviations;
    for (const double r : residual)
        if (r != 0) deviations.push_back(std::abs(r));
    if (deviations.size() < 10) return 0;
    const auto middle = deviations.begin() + static_cast<std::ptrdiff_t>(deviations.size() / 2);
    std::nth_element(deviations.begin(), middle, deviations.end());
    return 1.4826 * *middle;
}

// The t statistic a candidate needs to enter: a stopped meter (registers nothing at all on its low
// side) is an indicator on its own, so less of the balance's evidence is asked of it; a level has
// no step of its own to show and the balance's residuals move slowly (weather), so more.
double entry_t(const Candidate& c, const DecompositionOptions& options) {
    if (c.signal == CulpritSignal::level) return options.min_level_t;
    if (c.signal == CulpritSignal::step && c.stopped) return options.min_stopped_t;
    return options.min_t;
}

double most_coefficient(const Candidate& c, const DecompositionOptions& options) {
    if (c.unbounded) return std::numeric_limits<double>::infinity();
    return c.signal == CulpritSignal::step ? options.max_step_coefficient : options.max_share_coefficient;
}

double least_coefficient(const Candidate& c, const DecompositionOptions& options) {
    if (c.unbounded) return 0.0;
    switch (c.signal) {
        case CulpritSignal::step: return options.min_step_coefficient;
        case CulpritSignal::level: return options.min_level_coefficient;
        case CulpritSignal::bypass: return 0.0;
    }
    return 0.0;
}

// Forward selection of candidate features on the kept columns, then their joint least-squares fit
// with an intercept (the base rate). The rate scale: feature kWh / supply.
Fit select_and_fit(const std::vector<double>& all_rate, const std::vector<double>& all_supply,
                   std::vector<Candidate>& candidates, const std::vector<std::uint8_t>& keep,
                   const DecompositionOptions& options) {
    std::vector<std::size_t> kept;
    for (std::size_t k = 0; k < keep.size(); ++k)
        if (keep[k]) kept.push_back(k);
    const std::size_t n = kept.size();
    Fit fit;
    fit.residual.assign(keep.size(), 0.0);
    if (n < 10) return fit;
    double mean_rate = 0;
    for (const std::size_t k : kept) mean_rate += all_rate[k];
    mean_rate /= static_cast<double>(n);
    std::vector<double> residual(n);
    for (std::size_t i = 0; i < n; ++i) residual[i] = all_rate[kept[i]] - mean_rate;
    double rss = dot(residual, residual);
    std::vector<double> inverse_supply(n);
    for (std::size_t i = 0; i < n; ++i) inverse_supply[i] = 1 / all_supply[kept[i]];
    // Candidates are never materialised centred or orthogonalised: the residual is centred and
    // orthogonal to the chosen features, so a candidate's product with it is its raw (scaled)
    // feature's; every chosen direction is centred, so a projection on it is the raw feature's too;
    // and the squared norm left shrinks by each projection. One pass a round per candidate.
    std::vector<double> x(n);
    auto scaled = [&](const Candidate& c) {
        for (std::size_t i = 0; i < n; ++i) x[i] = c.feature(kept[i]) * inverse_supply[i];
    };
    for (Candidate& c : candidates) {
        c.chosen = false;
        scaled(c);
        double sum = 0, squares = 0;
        for (std::size_t i = 0; i < n; ++i) sum += x[i], squares += x[i] * x[i];
        c.mean = sum / static_cast<double>(n);
        c.norm = c.left = std::max(0.0, squares - sum * c.mean);
        c.product = dot(x, residual);
        c.dropped = !(c.norm > 1e-18);
    }
    std::vector<std::size_t> chosen;
    std::vector<std::vector<double>> directions;  // orthonormal and centred, one per chosen feature
    while (chosen.size() < options.max_terms) {
        std::size_t best = candidates.size();
        double best_reduction = 0;
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            const Candidate& c = candidates[i];
            if (c.chosen || c.dropped) continue;
            const double norm = c.left;
            if (norm <= 1e-6 * c.norm) continue;  // what is left of it lies in the chosen features
            const double coefficient = c.product / norm;
            if (coefficient <= least_coefficient(c, options) || coefficient > most_coefficient(c, options)) continue;
            const double reduction = c.product * c.product / norm;
            if (reduction <= best_reduction) continue;
            const double dof = static_cast<double>(n) - static_cast<double>(chosen.size()) - 2;
            const double sigma2 = std::max(rss - reduction, 1e-300) / std::max(1.0, dof);
            const double t = coefficient / std::sqrt(sigma2 / norm);
            if (t < entry_t(c, options)) continue;
            best = i, best_reduction = reduction;
        }
        if (best == candidates.size()) break;
        Candidate& picked = candidates[best];
        picked.chosen = true;
        chosen.push_back(best);
        for (Candidate& c : candidates)
            if (!c.chosen && c.row == picked.row) c.dropped = true;  // one feature per customer
        scaled(picked);
        std::vector<double> q(n);
        for (std::size_t i = 0; i < n; ++i) q[i] = x[i] - picked.mean;
        for (const auto& direction : directions) {
            const double along = dot(direction, q);
            for (std::size_t i = 0; i < n; ++i) q[i] -= along * direction[i];
        }
        const double length = std::sqrt(dot(q, q));
        if (!(length > 0)) break;
        for (double& v : q) v /= length;
        const double along = dot(q, residual);
        for (std::size_t i = 0; i < n; ++i) residual[i] -= along * q[i];
        rss = dot(residual, residual);
        for (Candidate& c : candidates) {
            if (c.chosen || c.dropped) continue;
            scaled(c);
            double projection = 0, product = 0;
            for (std::size_t i = 0; i < n; ++i) projection += x[i] * q[i], product += x[i] * residual[i];
            c.left -= projection * projection;
            c.product = product;
        }
        directions.push_back(std::move(q));
    }

    // The joint fit: coefficients, their t statistics, the base rate.
    const std::size_t p = chosen.size() + 1;
    std::vector<double> xtx(p * p, 0.0), xty(p, 0.0), row(p);
    auto features = [&](std::size_t k) {
        row[0] = 1;
        for (std::size_t j = 0; j < chosen.size(); ++j) row[j + 1] = candidates[chosen[j]].feature(k) / all_supply[k];
    };
    for (const std::size_t k : kept) {
        features(k);
        for (std::size_t a = 0; a < p; ++a) {
            xty[a] += row[a] * all_rate[k];
            for (std::size_t b = 0; b < p; ++b) xtx[a * p + b] += row[a] * row[b];
        }
    }
    std::vector<double> coefficients = xty, factor = xtx;
    if (!solve_symmetric(factor, coefficients, p)) {
        fit.base_rate = mean_rate;
        return fit;
    }
    double residual_ss = 0;
    for (std::size_t k = 0; k < keep.size(); ++k) {
        features(k);
        double fitted = 0;
        for (std::size_t a = 0; a < p; ++a) fitted += coefficients[a] * row[a];
        const double r = all_rate[k] - fitted;
        fit.residual[k] = r;
        if (keep[k]) residual_ss += r * r;
    }
    fit.dof = std::max(1.0, static_cast<double>(n) - static_cast<double>(p));
    const double sigma2 = residual_ss / fit.dof;
    fit.sigma = std::sqrt(sigma2);
    fit.base_rate = coefficients[0];
    for (std::size_t j = 0; j < chosen.size(); ++j) {
        // Variance of coefficient j: sigma2 x [(X'X)^-1]_jj, from solving X'X v = e_j.
        std::vector<double> unit(p, 0.0), factor_j = xtx;
        unit[j + 1] = 1;
        if (!solve_symmetric(factor_j, unit, p)) continue;
        const double t = coefficients[j + 1] / std::sqrt(std::max(sigma2 * unit[j + 1], 1e-300));
        // Held together, a term can lose what it seemed to explain alone: keep the ones that still stand.
        const Candidate& c = candidates[chosen[j]];
        if (t < entry_t(c, options) / 2 || coefficients[j + 1] <= least_coefficient(c, options) ||
            coefficients[j + 1] > most_coefficient(c, options))
            continue;
        fit.terms.push_back({chosen[j], coefficients[j + 1], t});
    }
    return fit;
}

// A term's description from its candidate (the fit adds coefficient, t and energy).
CulpritTerm term_of(const Candidate& c) {
    CulpritTerm term;
    term.row = c.row;
    term.signal = c.signal;
    term.from = c.from;
    term.to = c.to;
    term.drop = c.drop;
    return term;
}

bool term_taken(const LossDecomposition& result, std::uint32_t row) {
    return std::any_of(result.terms.begin(), result.terms.end(), [&](const CulpritTerm& t) { return t.row == row; });
}

}  // namespace

LossDecomposition decompose_loss(const UsageMatrix& usage, std::uint32_t begin, std::uint32_t end,
                                 std::span<const double> supply, std::span<const double> sales,
                                 std::span<const CandidateRole> roles, const DecompositionOptions& options,
                                 std::span<const MisfiledCustomer> misfiled) {
    LossDecomposition result;
    std::vector<std::int32_t> columns;
    for (std::size_t d = 0; d < supply.size(); ++d)
        if (std::isfinite(supply[d]) && std::isfinite(sales[d]) && supply[d] > 0 && sales[d] > 0)
            columns.push_back(static_cast<std::int32_t>(d));
    const std::size_t n = columns.size();
    result.days = static_cast<std::int32_t>(n);
    if (n < static_cast<std::size_t>(2 * options.min_segment) || end <= begin) return result;

    std::vector<double> rate(n), supply_of(n);
    for (std::size_t k = 0; k < n; ++k) {
        const auto d = static_cast<std::size_t>(columns[k]);
        supply_of[k] = supply[d];
        rate[k] = (supply[d] - sales[d]) / supply[d];
    }

    // Peers: the customers without a fall of their own (two passes: the first finds the falls
    // against the node's whole sales, the second measures every share against the steady ones and
    // finds the steps either way).
    const std::uint32_t rows = end - begin;
    // The node's usage on its computable columns, gathered once (rows x n, NaN where missing).
    std::vector<float> dense(static_cast<std::size_t>(rows) * n);
    const bool every_column = n == supply.size();  // the common case: a straight copy
    for (std::uint32_t r = 0; r < rows; ++r) {
        const float* row = usage.row(begin + r);
        if (every_column)
            std::copy(row, row + n, dense.begin() + static_cast<std::ptrdiff_t>(r * n));
        else
            for (std::size_t k = 0; k < n; ++k) dense[r * n + k] = row[columns[k]];
    }
    auto value = [&](std::uint32_t r, std::size_t k) { return dense[r * n + k]; };
    std::vector<std::uint8_t> steady(rows, 1);
    std::vector<double> peers(n), inverse_peers(n), share(n);
    std::vector<std::int32_t> share_columns(n);
    std::vector<ShareStep> steps(rows);
    for (int pass = 0; pass < 2; ++pass) {
        std::fill(peers.begin(), peers.end(), 0.0);
        for (std::uint32_t r = 0; r < rows; ++r) {
            if (!steady[r]) continue;
            const float* row = dense.data() + r * n;
            for (std::size_t k = 0; k < n; ++k) peers[k] += row[k] > 0 ? row[k] : 0.0f;  // NaN > 0 is false
        }
        bool peers_everywhere = true;
        for (std::size_t k = 0; k < n; ++k) {
            inverse_peers[k] = peers[k] > 0 ? 1 / peers[k] : 0.0;
            peers_everywhere = peers_everywhere && peers[k] > 0;
        }
        for (std::uint32_t r = 0; r < rows; ++r) {
            const float* row = dense.data() + r * n;
            std::size_t m = 0;
            std::size_t missing = 0;
            for (std::size_t k = 0; k < n; ++k) missing += row[k] != row[k];  // NaN: a count vectorises, an early exit does not
            const bool complete = peers_everywhere && missing == 0;
            if (complete) {  // the common case: every column, no compaction
                for (std::size_t k = 0; k < n; ++k) share[k] = row[k] * inverse_peers[k];
                std::iota(share_columns.begin(), share_columns.end(), 0);
                m = n;
            } else {
                for (std::size_t k = 0; k < n; ++k) {
                    const float u = row[k];
                    if (std::isnan(u) || inverse_peers[k] == 0) continue;
                    share[m] = u * inverse_peers[k];
                    share_columns[m++] = static_cast<std::int32_t>(k);
                }
            }
            // The first pass looks for falls only: while the peers still hold the customers that
            // fell, every other share rises with them.
            const ShareStep step = find_share_step(std::span<const double>(share.data(), m), pass == 0 ? 1 : 0, options);
            const bool clear = step.found() && step.high > 0 && step.t >= options.min_step_t &&
                               step.drop() >= options.min_step_drop;
            steps[r] = ShareStep{};
            if (clear) {
                // Positions in the share series -> computable columns.
                steps[r] = step;
                steps[r].low_begin = share_columns[static_cast<std::size_t>(step.low_begin)];
                steps[r].low_end = step.low_end < static_cast<std::int32_t>(m)
                                       ? share_columns[static_cast<std::size_t>(step.low_end)]
                                       : static_cast<std::int32_t>(n);
            }
            if (pass == 0) steady[r] = !clear;
        }
    }

    // Candidates: two step features for every customer with a clear step (what it did not register
    // on the low side, and what it did), a level feature for every customer whose usage moves at all.
    std::vector<Candidate> candidates;
    for (std::uint32_t r = 0; r < rows; ++r) {
        const CandidateRole role = roles.empty() ? CandidateRole::suspect : roles[r];
        if (role == CandidateRole::none) continue;
        const bool unbounded = role == CandidateRole::unbounded;
        if (const ShareStep& step = steps[r]; step.found()) {
            const auto low_begin = static_cast<std::size_t>(step.low_begin), low_end = static_cast<std::size_t>(step.low_end);
            const double high_share = step.high;
            Candidate missing;
            missing.row = begin + r;
            missing.unbounded = unbounded;
            missing.signal = CulpritSignal::step;
            missing.from = columns[low_begin];
            missing.to = low_end < n ? columns[low_end] : -1;
            missing.drop = step.drop();
            missing.kwh.assign(n, 0.0);
            // The usage it still registers on the low side: a bypass that takes a share f of the
            // consumption leaves f / (1 - f) of what the meter registers in the loss, day by day.
            Candidate registered = missing;
            registered.signal = CulpritSignal::bypass;
            double registered_sum = 0;
            bool nothing = true;
            for (std::size_t k = low_begin; k < low_end; ++k) {
                const float u = value(r, k);
                if (std::isnan(u)) continue;
                missing.kwh[k] = high_share * peers[k] - u;
                registered.kwh[k] = u;
                registered_sum += u;
                nothing = nothing && u == 0;
            }
            // Nothing registered from the window's start until a rise is a connection, not a theft.
            if (nothing && low_begin == 0) continue;
            missing.stopped = nothing;
            missing.backwards = registered_sum < 0;
            if (registered_sum < 0)  // registered backwards: the loss holds twice what it should sell
                for (double& x : registered.kwh) x = -x;
            candidates.push_back(std::move(missing));
            if (registered_sum != 0) candidates.push_back(std::move(registered));
        }
        double sum = 0;
        std::size_t valid = 0;
        for (std::size_t k = 0; k < n; ++k)
            if (const float u = value(r, k); !std::isnan(u)) sum += u, ++valid;
        if (valid < n / 2 || sum == 0) continue;
        Candidate c;
        c.row = begin + r;
        c.unbounded = unbounded;
        c.signal = CulpritSignal::level;
        c.level_row = dense.data() + static_cast<std::size_t>(r) * n;
        c.level_sign = sum < 0 ? -1.0 : 1.0;  // a reversed meter's net usage is negative
        candidates.push_back(std::move(c));
    }

    // Misfiled customers: their usage on the computable columns, a signed level feature each.
    std::vector<float> misfiled_usage(misfiled.size() * n);
    for (std::size_t e = 0; e < misfiled.size(); ++e) {
        const float* row = usage.row(misfiled[e].row);
        for (std::size_t k = 0; k < n; ++k) misfiled_usage[e * n + k] = row[columns[k]];
        Candidate c;
        c.row = misfiled[e].row;
        c.unbounded = true;
        c.signal = CulpritSignal::level;
        c.level_row = misfiled_usage.data() + e * n;
        c.level_sign = misfiled[e].sign;
        candidates.push_back(std::move(c));
    }

    // Fit once on every computable column, then again without the columns the first fit leaves far
    // off (a meter's gap shared evenly over several days puts a day's energy on the wrong days:
    // a spike no culprit explains, which would hide the small ones).
    std::vector<std::uint8_t> keep(n, 1);
    Fit fit = select_and_fit(rate, supply_of, candidates, keep, options);
    if (const double sigma = robust_sigma(fit.residual); sigma > 0) {
        std::size_t outliers = 0;
        for (std::size_t k = 0; k < n; ++k)
            if (std::abs(fit.residual[k]) > options.outlier_sigmas * sigma) keep[k] = 0, ++outliers;
        if (outliers > 0 && outliers < n / 10) fit = select_and_fit(rate, supply_of, candidates, keep, options);
    }
    result.days = static_cast<std::int32_t>(std::count(keep.begin(), keep.end(), 1));
    result.base_rate = fit.base_rate;
    result.residual_sigma = fit.sigma;
    for (std::size_t k = 0; k < n; ++k)
        if (keep[k]) result.excess_kwh += (rate[k] - result.base_rate) * supply_of[k];
    for (const FittedTerm& f : fit.terms) {
        const Candidate& c = candidates[f.candidate];
        CulpritTerm term = term_of(c);
        term.coefficient = f.coefficient;
        term.t = f.t;
        double kwh = 0;
        for (std::size_t k = 0; k < n; ++k)
            if (keep[k]) kwh += c.feature(k);
        term.estimated_kwh = std::max(0.0, term.coefficient * kwh);
        result.terms.push_back(term);
    }
    // Stopped and reversed meters the fit did not take, with what the balance gives them alone.
    for (const Candidate& c : candidates) {
        if (c.signal != CulpritSignal::step || !(c.stopped || c.backwards) || term_taken(result, c.row)) continue;
        double kwh = 0, product = 0, norm = 0;
        for (std::size_t k = 0; k < n; ++k) {
            if (!keep[k]) continue;
            kwh += c.feature(k);
            const double x = c.feature(k) / supply_of[k];
            product += x * fit.residual[k];
            norm += x * x;
        }
        CulpritTerm term = term_of(c);
        term.coefficient = 1;
        // The coefficient the fit's residual gives it alone, and that coefficient's t statistic.
        term.t = norm > 0 && fit.sigma > 0 ? (product / norm) / (fit.sigma / std::sqrt(norm)) : 0;
        term.estimated_kwh = std::max(0.0, kwh);
        // The balance must lean its way at least (the loss did not fall when it stopped).
        if (term.estimated_kwh > 0 && term.t > 0) result.indicators.push_back(term);
    }
    std::sort(result.indicators.begin(), result.indicators.end(),
              [](const CulpritTerm& a, const CulpritTerm& b) { return a.t != b.t ? a.t > b.t : a.row < b.row; });
    std::sort(result.terms.begin(), result.terms.end(),
              [](const CulpritTerm& a, const CulpritTerm& b) { return a.t != b.t ? a.t > b.t : a.row < b.row; });
    return result;
}

}  // namespace gridaudit
