// Factories of the line-loss rules (inspection area LOSS) and their registration.
#pragma once

#include <memory>

#include "rules/rule.hpp"

namespace gridaudit {

class Catalogue;

[[nodiscard]] std::unique_ptr<Rule> make_loss_area_high_rule();
[[nodiscard]] std::unique_ptr<Rule> make_loss_area_negative_rule();
[[nodiscard]] std::unique_ptr<Rule> make_loss_feeder_high_rule();
[[nodiscard]] std::unique_ptr<Rule> make_loss_bus_unbalance_rule();
[[nodiscard]] std::unique_ptr<Rule> make_loss_suspect_rule();
[[nodiscard]] std::unique_ptr<Rule> make_loss_topology_rule();
[[nodiscard]] std::unique_ptr<Rule> make_loss_tamper_event_rule();
[[nodiscard]] std::unique_ptr<Rule> make_loss_demand_rule();

// Adds every LOSS rule to `catalogue`, in a stable order.
void add_loss_rules(Catalogue& catalogue);

}  // namespace gridaudit
