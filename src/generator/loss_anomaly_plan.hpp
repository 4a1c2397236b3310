// Line-loss evidence the generator adds for the LOSS rules, drawn from its own random stream
// (RandomStream::loss_anomalies) so that nothing else the generator writes changes.
//
// Outages: a meter logs every loss of supply (power_off, then power_on when it returns), so every
// customer meter behind a transformer area records that area's outages, a few seconds after its
// gateway; a small share of the events never reaches the head end. The series simulation's own
// draw keeps about a third of them; `outage_reported_anyway` decides for the rest.
//
// Abnormal nodes: the truth of LOSS-AREA-HIGH, -NEGATIVE and LOSS-FEEDER-HIGH, -NEGATIVE is a node, not the
// customers in it (a 5 kWh/day theft does not move a 3,000 kWh/day area's rate). After every
// anomaly is planned, `plan_loss_node_truth` balances the last month of the window from the plan
// (each customer's mean consumption, where it is physically supplied, what its meter registers
// under the recorded multiplier, the gateways' recorded multipliers and the nodes' technical
// losses) and writes a truth row for every area whose rate is high (> 7 %) or negative (< -1 %)
// and every feeder whose line loss is high (> 5 %) or negative (< -1 %): `area_loss_high`,
// `area_loss_negative`, `feeder_loss_high`, `feeder_loss_negative`, magnitude the estimated rate
// (a feeder turns negative when the recorded multiplier of a child area's gateway or of a 10 kV
// customer's meter is too large and inflates the feeder's sales by more than its line loss). A bus gets
// `bus_unbalance` when its input and output differ by more than 2 % (Planner::inject_bus_unbalance's
// unmetered outgoing circuit). Clean nodes never qualify (technical losses
// stay inside the qualified range), so each row stands for injected anomalies large enough to be
// seen in the balance; near a threshold the estimate from mean consumption can fall either side.
// Thread safety: stateless functions.
#pragma once

#include <cstdint>
#include <optional>

#include "generator/utility_plan.hpp"

namespace gridaudit {

// Probability that a meter's outage event reaches the head end.
inline constexpr double outage_report_share = 0.95;

// For an outage (area-local `day`, `second` of the day) that the simulation's draw left out of a
// customer meter's events: the meter's delay in seconds (0..5) when it reports the outage after all
// (overall share outage_report_share), nullopt when the event is lost.
[[nodiscard]] std::optional<int> outage_reported_anyway(std::uint64_t seed, int meter, int day, int second);

// Adds the abnormal-node truth rows of the window's last month to `plan` (see above).
void plan_loss_node_truth(UtilityPlan& plan);

}  // namespace gridaudit
