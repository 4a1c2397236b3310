// The service-process and service-quality anomalies of the synthetic utility (truth kinds
// ticket_out_of_sequence, change_not_applied, suspension_consuming, category_at_acceptance,
// transfer_supply), decided on a finished plan: after the work orders are numbered and every
// older anomaly is placed, before any series is simulated.
//
// They draw from their own random stream (RandomStream::process_anomalies) and touch only customers
// and work orders that carry no other anomaly, so the other kinds come out as before. What each
// kind changes is written beside its function in process_anomaly_plan.cpp and in docs/process.md.
// Thread safety: plain functions on a plan owned by the caller.
#pragma once

#include "generator/utility_plan.hpp"

namespace gridaudit {

// Injects the process anomalies into `plan` (of a utility of `customers` customers) and adds
// their truth rows. REQUIRES: the plan's work orders are sorted by acceptance and numbered.
void plan_process_anomalies(UtilityPlan& plan, int customers);

}  // namespace gridaudit
