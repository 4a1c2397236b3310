// Several culprits in one transformer area: the area's daily loss rate decomposed into a base
// rate plus what each customer's consumption took unmetered (REFERENCE.md sections 9 and 11).
//
// A bypass, a stopped meter or a reversed current circuit leaves energy in the area's supply that
// no meter sells. The loss rate of day d is then
//     loss(d) / supply(d) = base_rate + sum_j coefficient_j x feature_j(d) / supply(d) + noise(d)
// with one feature per culprit:
//   - a *step*: from the day a customer's share of its peers' consumption fell, the usage it no
//     longer registers (its share before the fall x the peers' usage of the day - its usage). A
//     bypass, a stopped meter and a reversal all leave exactly that energy in the loss, so the
//     coefficient is about 1; an honest customer who went on holiday leaves none (about 0).
//   - a *level*: the registered usage itself, for a culprit that took a fixed share throughout the
//     window (no step to see): a bypass taking f of the consumption has coefficient f / (1 - f);
//     a meter registering the whole consumption backwards (net usage negative) has coefficient 2
//     on the negated usage.
// Features enter by forward selection (the one that reduces the residual sum of squares most, with
// a positive coefficient in range and a t statistic of at least its threshold), so one culprit's energy is not
// credited to another whose consumption moves with it (weather, weekdays): every area can hold
// several culprits with different start days. The noise of a day's loss rate is about equal across
// days (technical loss is a share of supply), so the fit is ordinary least squares on the rate.
//
// Thread safety: a stateless function.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/balance/energy_balance.hpp"

namespace gridaudit {

enum class CulpritSignal : std::uint8_t {
    step,   // registered usage fell from `from` on, and the loss rose by what went missing
    bypass, // from `from` on, the loss follows the usage it still registers (a share taken unmetered)
    level,  // the loss follows the registered usage throughout
};

struct CulpritTerm {
    std::uint32_t row = 0;           // customer row in the usage matrix
    CulpritSignal signal = CulpritSignal::step;
    std::int32_t from = -1;          // step, bypass: first column of the low side (-1: level)
    std::int32_t to = -1;            // ... first column after it (-1: to the end; a rise ends the low side)
    double coefficient = 0;          // kWh of loss per kWh of the feature (step: about 1)
    double t = 0;                    // of the coefficient in the joint fit
    double drop = 0;                 // step: share of its expected usage it stopped registering (1 = all, 2 = reversed)
    double estimated_kwh = 0;        // coefficient x feature, summed over its columns: energy taken unmetered
};

struct LossDecomposition {
    std::vector<CulpritTerm> terms;  // best first (largest t)
    // Meters that stopped (register nothing at all on their low side) or run backwards there, whose
    // term the balance alone does not carry (too small against the noise, or another term took
    // it): an indicator on its own (REFERENCE.md section 11). Coefficient 1 assumed: the energy it
    // stopped registering, by its share before; t is what the balance gave the term alone.
    std::vector<CulpritTerm> indicators;
    double base_rate = 0;            // intercept: the area's loss rate without the culprits
    double excess_kwh = 0;           // sum of loss - base_rate x supply over the computable columns
    double residual_sigma = 0;       // of the daily loss rate after the fit
    std::int32_t days = 0;           // computable columns used
};

struct DecompositionOptions {
    double min_t = 4.0;               // t statistic a step or bypass feature needs to enter
    double min_stopped_t = 2.5;       // ... a step to exactly nothing registered (a stopped meter)
    double min_level_t = 8.0;         // ... a level feature (no step of its own to show)
    std::size_t max_terms = 12;       // culprits per area at most
    std::int32_t min_segment = 14;    // columns on each side of a customer's step
    std::int32_t min_episode = 42;    // columns of a low stretch that starts and ends inside the window
    double min_step_t = 4.0;          // a customer's step in share must stand this many standard errors clear
    double min_step_drop = 0.25;      // ... and lose at least this share of its usage
    double min_step_coefficient = 0.3; // a step explains at least this many kWh of loss per kWh missing
    double max_step_coefficient = 3;   // ... and at most this many
    double max_share_coefficient = 9; // bypass and level: at most 90 % taken unmetered (f / (1 - f) = 9)
    double min_level_coefficient = 0.1; // level: at least about 9 % taken unmetered
    double outlier_sigmas = 5;        // columns this many robust standard deviations off the first fit are left out
};

// How a customer takes part in the decomposition.
enum class CandidateRole : std::uint8_t {
    suspect,    // a candidate like any other
    none,       // not a candidate (closed, suspended, generating); its usage still counts among the peers
    unbounded,  // a candidate whose records already disagree (recorded multiplier != CT x PT): its
                // coefficient is not bounded, so the loss it explains is not put on its neighbours
};

// A customer whose energy the node's balance holds though its usage is sold under another node
// (`sign` +1: supplied here, recorded elsewhere), or whose usage is sold here though its energy is
// not in the supply (`sign` -1: recorded here, supplied elsewhere; give it the role `none` too):
// a level feature without bound, so the balance's error is not put on a neighbour.
struct MisfiledCustomer {
    std::uint32_t row = 0;  // in the usage matrix, inside [begin, end) or not
    double sign = 1;
};

// Decomposes the loss of one node over all columns whose balance is computable. `usage` rows
// [begin, end) are the node's customers; `roles[row - begin]` says how each takes part (empty: all
// suspects); `misfiled` are the customers whose records put them under the wrong node (their terms,
// when chosen, carry their own row, which may lie outside [begin, end)).
[[nodiscard]] LossDecomposition decompose_loss(const UsageMatrix& usage, std::uint32_t begin, std::uint32_t end,
                                               std::span<const double> supply, std::span<const double> sales,
                                               std::span<const CandidateRole> roles, const DecompositionOptions& options,
                                               std::span<const MisfiledCustomer> misfiled = {});

}  // namespace gridaudit
