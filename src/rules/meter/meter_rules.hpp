// The metering-device rules (inspection area METER), registered by standard_catalogue() through
// add_meter_rules(). docs/metering.md says what each checks.
//
//   METER-ROTATION-OVERDUE     in service past the rotation period (JJG 307-2006)
//   METER-MULTIPLIER-MISMATCH  multiplier differs from CT ratio x PT ratio
//   METER-ACCURACY-CLASS       meter, CT or PT less accurate than the metering class requires
//   METER-TEST-OVERDUE         on-site test interval of the metering class exceeded
//   METER-PROHIBITED-MODEL     a prohibited model, or older than its model's own rotation period
//   METER-CLASS-BY-LOAD        the configuration does not fit the class the load implies
//   METER-CT-SIZING            CT primary too large or too small for capacity and measured load
//   METER-MULTIPLIER-CHANGED   successive meters with different multipliers and no meter-change order
//   METER-OWNERSHIP            meters of closed customers, unnamed gateways, one meter registered twice
#pragma once

#include <memory>

#include "rules/catalogue.hpp"
#include "rules/rule.hpp"

namespace gridaudit {

void add_meter_rules(Catalogue& catalogue);

[[nodiscard]] std::unique_ptr<Rule> make_meter_rotation_overdue_rule();
[[nodiscard]] std::unique_ptr<Rule> make_meter_multiplier_mismatch_rule();
[[nodiscard]] std::unique_ptr<Rule> make_meter_accuracy_class_rule();
[[nodiscard]] std::unique_ptr<Rule> make_meter_test_overdue_rule();
[[nodiscard]] std::unique_ptr<Rule> make_meter_prohibited_model_rule();
[[nodiscard]] std::unique_ptr<Rule> make_meter_class_by_load_rule();
[[nodiscard]] std::unique_ptr<Rule> make_meter_ct_sizing_rule();
[[nodiscard]] std::unique_ptr<Rule> make_meter_multiplier_changed_rule();
[[nodiscard]] std::unique_ptr<Rule> make_meter_ownership_rule();

}  // namespace gridaudit
