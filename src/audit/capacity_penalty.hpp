// The penalty of LOSS-DEMAND-ABOVE-CONTRACT's findings (capacity above the contract, Supply
// Business Rules art. 100), computed by the recovery calculator (recovery/) from what the rule's
// evidence carries (the capacity above the contract, the months above it, the two-part basic
// price) and written back into the evidence and the finding's money at risk. Rules sit above
// recovery/ in the layers, so the audit does this after they ran.
// Thread safety: pure function over its arguments.
#pragma once

#include <vector>

#include "model/finding.hpp"
#include "recovery/recovery_policy.hpp"
#include "rules/rule.hpp"

namespace gridaudit {

// For each finding of `rule` (LOSS-DEMAND-ABOVE-CONTRACT): basic_charge, penalty,
// penalty_article and penalty_formula added to its evidence (or penalty_error when the calculator
// refuses the inputs) and the penalty as its money at risk. Other findings are left as they are.
void attach_capacity_penalties(std::vector<Finding>& findings, const RuleInfo& rule, const RecoveryPolicy& policy);

}  // namespace gridaudit
