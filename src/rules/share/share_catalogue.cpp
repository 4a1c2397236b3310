// Registration of the closed-loop rules.
#include "rules/share/share_rules.hpp"

namespace gridaudit {

void add_share_rules(Catalogue& catalogue) {
    catalogue.add(make_share_case_overdue_rule());
    catalogue.add(make_share_unhandled_rule());
    catalogue.add(make_share_duplicate_rule());
}

}  // namespace gridaudit
