// Registration of the billing-audit rules.
#include "rules/billing/billing_rules.hpp"

namespace gridaudit {

void add_billing_rules(Catalogue& catalogue) {
    catalogue.add(make_bill_recompute_mismatch_rule());
    catalogue.add(make_bill_energy_vs_reads_rule());
    catalogue.add(make_bill_tariff_category_rule());
    catalogue.add(make_bill_pf_standard_rule());
    catalogue.add(make_bill_unlisted_charge_rule());
    catalogue.add(make_bill_zero_with_capacity_rule());
    catalogue.add(make_bill_account_reconcile_rule());
}

}  // namespace gridaudit
