// Inside an abnormal transformer area: when did its loss jump, and would a customer's consumption
// fit another area's balance better, or its multiplier be wrong (REFERENCE.md section 9). The
// customers that took energy unmetered are loss_decomposition.hpp's.
//
// All series are per day over the same columns: the area's supply and sales from
// compute_balance (NaN on days that are not computable) and its customers' usage rows.
// The excess loss of a day is loss - base_rate x supply, base_rate being the area's loss rate
// before the jump (or a reference rate the caller chooses). Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/balance/energy_balance.hpp"

namespace gridaudit {

struct LossChange {
    std::int32_t day = -1;    // first column of the abnormal period; -1 when no clear jump
    double rate_before = 0;   // mean loss rate of computable days before `day`
    double rate_after = 0;    // ... from `day` on (the whole series when day == -1)
    double t_statistic = 0;
};

struct LossChangeOptions {
    int direction = 1;            // +1: look for a rise of the loss rate, -1: for a fall
    std::int32_t min_segment = 7; // days on each side of a change point
    double min_shift = 0.02;      // smallest jump of the loss rate that counts
    double min_t = 5.0;           // smallest t statistic of the jump
};

// The largest shift of the daily loss rate in `direction` (a one-change-point mean-shift test).
[[nodiscard]] LossChange find_loss_change(std::span<const double> supply, std::span<const double> sales,
                                          const LossChangeOptions& options);

// How a customer's usage would fit if it belonged to another area, on day-to-day changes, which a
// step in either area's loss (a theft starting, a meter stopping) touches on one day only: the change of each area's excess loss is regressed on the
// change of the customer's usage with the change of that area's supply partialled out (a wrong
// base rate or the weather moves supply and loss together), over columns [from, to). The t
// statistics and partial correlations of both coefficients come with them.
struct MoveChangeFit {
    double coefficient_recorded = 0, t_recorded = 0, correlation_recorded = 0;
    double coefficient_other = 0, t_other = 0, correlation_other = 0;
    std::int32_t days = 0;
};

struct AreaChanges {
    std::vector<double> excess, supply;  // day-to-day changes; NaN where either day is not computable
};

// Day-to-day changes of an area's excess loss and supply (column 0 is NaN).
[[nodiscard]] AreaChanges area_changes(std::span<const double> supply, std::span<const double> sales, double base_rate);

[[nodiscard]] MoveChangeFit fit_customer_move_changes(const float* usage, const AreaChanges& recorded,
                                                      const AreaChanges& other, std::int32_t from, std::int32_t to);

}  // namespace gridaudit

namespace gridaudit {

// Joint fit of a node's day-to-day extra-loss changes on the usage changes of several customers
// at once (and the node's supply changes), over columns [from, to): one coefficient and t statistic
// per customer. A customer billed at a multiplier k times too small leaves (k - 1) x its registered
// usage in the loss, so its coefficient is k - 1; fitting the suspects of a node together keeps one
// suspect's error out of another's coefficient (their usages move together with the weather).
struct JointCoefficient {
    double coefficient = 0, t = 0;
};

[[nodiscard]] std::vector<JointCoefficient> fit_joint_usage_changes(std::span<const float* const> usages,
                                                                    const AreaChanges& changes, std::int32_t from,
                                                                    std::int32_t to);

}  // namespace gridaudit
