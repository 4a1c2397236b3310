// The closed-loop rules (area SHARE): the cases themselves audited, from the open cases, the
// handling of findings and the duplicate attempts the audit loads (frame/case_columns.hpp).
// Registered by standard_catalogue(); docs/cases.md describes the loop they watch.
//
//   SHARE-CASE-OVERDUE  an open case past the deadline of its state (set by the [cases] policy)
//   SHARE-UNHANDLED     a finding without a case or a dismissal past its deadline in working days
//   SHARE-DUPLICATE     a second case attempted for a subject and cause with an open case
#pragma once

#include "rules/catalogue.hpp"

namespace gridaudit {

void add_share_rules(Catalogue& catalogue);

std::unique_ptr<Rule> make_share_case_overdue_rule();
std::unique_ptr<Rule> make_share_unhandled_rule();
std::unique_ptr<Rule> make_share_duplicate_rule();

}  // namespace gridaudit
