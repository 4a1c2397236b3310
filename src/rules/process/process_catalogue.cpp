// Registration of the service-process rules.
#include "rules/process/process_rules.hpp"

namespace gridaudit {

void add_process_rules(Catalogue& catalogue) {
    catalogue.add(make_proc_step_overdue_rule());
    catalogue.add(make_proc_ticket_sequence_rule());
    catalogue.add(make_proc_temporary_expired_rule());
    catalogue.add(make_proc_change_not_applied_rule());
    catalogue.add(make_proc_suspension_consuming_rule());
    catalogue.add(make_proc_category_at_acceptance_rule());
    catalogue.add(make_serv_complaint_overdue_rule());
    catalogue.add(make_serv_transfer_supply_rule());
}

}  // namespace gridaudit
