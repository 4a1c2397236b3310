// The master-data rules (MASTER-*): the links between customers, meters and the network that every
// other check relies on. Registered by standard_catalogue(); reported in area PROC (the marketing
// system's records).
//
//   MASTER-MISSING-LINK   a low-voltage customer not under a transformer area, an active customer
//                         without a meter in service, a transformer area without a gateway meter, a
//                         gateway meter no node names as its gateway
//   MASTER-DUPLICATE-CUSTOMER  accounts with the same holder name and supply address (normalised)
//                         under different account ids, utility-wide
#pragma once

#include <string>
#include <string_view>

#include "rules/catalogue.hpp"

namespace gridaudit {

void add_master_rules(Catalogue& catalogue);

std::unique_ptr<Rule> make_master_missing_link_rule();
std::unique_ptr<Rule> make_master_duplicate_customer_rule();

// Name and address text as compared for duplicates: ASCII case and full-width forms folded,
// whitespace and punctuation (ASCII and CJK) dropped; other characters kept as they are.
[[nodiscard]] std::string normalise_master_text(std::string_view text);

}  // namespace gridaudit
