// The billing-audit rules (area BILL): every issued bill recomputed, checked against the reads,
// the tariff fit and the fee accounts. Registered by standard_catalogue().
//
//   BILL-RECOMPUTE-MISMATCH   a component differs from the bill recomputed under the tariff
//   BILL-ENERGY-VS-READS      billed kWh differs from read delta x multiplier, per register
//   BILL-TARIFF-CATEGORY      the tariff does not fit the customer's category, voltage or capacity
//   BILL-PF-STANDARD          wrong power-factor standard, or an adjustment where none is due
//   BILL-UNLISTED-CHARGE      an amount on the bill that no tariff item defines
//   BILL-ZERO-WITH-CAPACITY   a connected customer with capacity billed zero for months
//   BILL-ACCOUNT-RECONCILE    paid bills without payments, payments without bills, late-payment
//                             charges not levied, daily collections that differ from their payments
#pragma once

#include "rules/catalogue.hpp"

namespace gridaudit {

void add_billing_rules(Catalogue& catalogue);

std::unique_ptr<Rule> make_bill_recompute_mismatch_rule();
std::unique_ptr<Rule> make_bill_energy_vs_reads_rule();
std::unique_ptr<Rule> make_bill_tariff_category_rule();
std::unique_ptr<Rule> make_bill_pf_standard_rule();
std::unique_ptr<Rule> make_bill_unlisted_charge_rule();
std::unique_ptr<Rule> make_bill_zero_with_capacity_rule();
std::unique_ptr<Rule> make_bill_account_reconcile_rule();

}  // namespace gridaudit
