// The metering-device anomalies of the synthetic utility (truth kinds for the METER rules of
// docs/metering.md), decided on a finished plan after every other anomaly and the work orders are
// placed, before any series is simulated.
//
// They draw from their own random stream (RandomStream::meter_anomalies) and touch only customers,
// meters and nodes that carry no other anomaly, so the other kinds come out as before:
// - meter_test_overdue: a class I-III point (a high-voltage customer of 315 kVA or more, or an area
//   gateway of a 315 kVA transformer or larger) whose last on-site test is 15-200 days past its
//   3 / 6 / 12-month interval.
// - prohibited_model: a direct-connected meter recorded as an induction model (DD862-4, DT862-4).
// - metering_class_by_load: a class III high-voltage customer metered on the low-voltage side (no
//   PT, CT re-sized at 0.4 kV), or a single-phase meter on a three-phase supply above 10 kVA.
// - ct_sizing: a low-voltage CT customer whose CT is four or more times its full-load current, or
//   below 70 % of it (the multiplier follows the CT, so no multiplier is wrong).
// - multiplier_changed_unordered: a low-voltage CT customer's meter replaced in the window by one
//   behind a CT one standard step away, with no meter-change work order; the new meter (ids
//   M8nnnnnnn) is the truth subject.
// - meter_after_supply_end: an active residential or commercial account whose supply_end is 45-120
//   days before the last day, its meter still in service and registering.
// Not injected: gateway_not_named (MASTER-MISSING-LINK judges a gateway meter no node names too) and
// meter_registered_twice (a second meter with the same series would add to its area's sales).
// Last, CT-connected meters installed in the last year get their first on-site test, a few days after
// commissioning, where the plan recorded only the verification before installation.
// Thread safety: plain functions on a plan owned by the caller.
#pragma once

#include "generator/utility_plan.hpp"

namespace gridaudit {

// Injects the metering-device anomalies into a utility of `customers` customers and adds their
// truth rows. REQUIRES: the plan's work orders are planned (a change must not get one).
void plan_meter_anomalies(UtilityPlan& plan, int customers);

}  // namespace gridaudit
