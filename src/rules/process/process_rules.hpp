// The service-process rules (area PROC): the chain from application to connection, supervised
// from the work orders (work_orders.csv) and the master data. Registered by standard_catalogue().
//
//   PROC-STEP-OVERDUE       a step (supply plan, design review, completion check, connection,
//                           whole process) over its time limit in working days for the segment
//   PROC-TICKET-SEQUENCE    steps out of order, or a required step missing
//   PROC-TEMPORARY-EXPIRED  temporary supply past its end date still active or consuming
//   PROC-CHANGE-NOT-APPLIED a finished capacity, category, status or meter change missing from the
//                           master data or the next bills
//   PROC-SUSPENSION-CONSUMING  consumption registered or billed during a suspension
//   PROC-CATEGORY-AT-ACCEPTANCE  category that does not fit the declared use (industry) or capacity
//   SERV-COMPLAINT-OVERDUE  a complaint or metering dispute not answered within its time limit
//                           (area SERV, but judged from the same work orders and calendar)
//   SERV-TRANSFER-SUPPLY    an account that appears to resupply others (转供电)
#pragma once

#include "rules/catalogue.hpp"

namespace gridaudit {

void add_process_rules(Catalogue& catalogue);

std::unique_ptr<Rule> make_proc_step_overdue_rule();
std::unique_ptr<Rule> make_proc_ticket_sequence_rule();
std::unique_ptr<Rule> make_proc_temporary_expired_rule();
std::unique_ptr<Rule> make_serv_complaint_overdue_rule();
std::unique_ptr<Rule> make_proc_change_not_applied_rule();
std::unique_ptr<Rule> make_proc_suspension_consuming_rule();
std::unique_ptr<Rule> make_proc_category_at_acceptance_rule();
std::unique_ptr<Rule> make_serv_transfer_supply_rule();

}  // namespace gridaudit
