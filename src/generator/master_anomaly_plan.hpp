// The master-data side of the synthetic utility: every customer's supply address, and the injected
// master-data anomalies (truth kinds duplicate_customer and missing_link), decided on a finished
// plan after every other anomaly is placed, before any series is simulated.
//
// Addresses draw no randomness (they follow the node and the customer's place in it, so no two
// customers share one). The anomalies draw from their own random stream
// (RandomStream::master_anomalies) and touch only customers and nodes that carry no other anomaly,
// so the other kinds come out as before:
// - duplicate_customer: a customer of an area takes the name and the address (written differently:
//   other case, full-width digits, extra spaces and punctuation) of an older customer of the same
//   area; the later of the two by (supply_start, id) is the truth subject.
// - missing_link: a vacant home (a few tenths of a kWh a day) whose account is filed under its
//   area's feeder instead of the area (customers.csv node_id); the area still supplies it, so no
//   balance moves beyond its tiny consumption.
// Thread safety: plain functions on a plan owned by the caller.
#pragma once

#include "generator/utility_plan.hpp"

namespace gridaudit {

// Gives every customer of `plan` an address, injects the master-data anomalies into a utility of
// `customers` customers and adds their truth rows.
void plan_master_anomalies(UtilityPlan& plan, int customers);

}  // namespace gridaudit
