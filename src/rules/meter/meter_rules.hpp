// Factories of the metering-device rules (inspection area METER).
#pragma once

#include <memory>

#include "rules/rule.hpp"

namespace gridaudit {

[[nodiscard]] std::unique_ptr<Rule> make_meter_rotation_overdue_rule();
[[nodiscard]] std::unique_ptr<Rule> make_meter_multiplier_mismatch_rule();
[[nodiscard]] std::unique_ptr<Rule> make_meter_accuracy_class_rule();

}  // namespace gridaudit
