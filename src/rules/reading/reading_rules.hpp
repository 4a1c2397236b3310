// Factories of the meter-reading quality rules (inspection area SERV) and of the register rules
// METER-STOPPED and METER-REVERSED, which read the daily register series of the frame.
#pragma once

#include <memory>

#include "rules/catalogue.hpp"
#include "rules/reading/billing_reads.hpp"
#include "rules/rule.hpp"

namespace gridaudit {

[[nodiscard]] std::unique_ptr<Rule> make_meter_stopped_rule();
[[nodiscard]] std::unique_ptr<Rule> make_meter_reversed_rule();
[[nodiscard]] std::unique_ptr<Rule> make_serv_estimated_read_rule(BillingReadsSource reads);
[[nodiscard]] std::unique_ptr<Rule> make_serv_missed_read_rule(BillingReadsSource reads);
[[nodiscard]] std::unique_ptr<Rule> make_serv_wrong_read_rule(BillingReadsSource reads);

// Adds METER-STOPPED and METER-REVERSED, and the three SERV read rules when `reads` is given.
void add_reading_rules(Catalogue& catalogue, BillingReadsSource reads = {});

}  // namespace gridaudit
