// Registration of the metering-device rules, in the order `gridaudit rules` lists them.
#include "rules/meter/meter_rules.hpp"

namespace gridaudit {

void add_meter_rules(Catalogue& catalogue) {
    catalogue.add(make_meter_rotation_overdue_rule());
    catalogue.add(make_meter_multiplier_mismatch_rule());
    catalogue.add(make_meter_accuracy_class_rule());
    catalogue.add(make_meter_test_overdue_rule());
    catalogue.add(make_meter_prohibited_model_rule());
    catalogue.add(make_meter_class_by_load_rule());
    catalogue.add(make_meter_ct_sizing_rule());
    catalogue.add(make_meter_multiplier_changed_rule());
    catalogue.add(make_meter_ownership_rule());
}

}  // namespace gridaudit
