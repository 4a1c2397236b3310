// Evidence and thresholds shared by the LOSS rules: a node's monthly loss series and the period it
// turned abnormal; the thresholds of a rule's settings, and those the monthly loss table takes from
// the policy.
#pragma once

#include "analysis/loss_analysis.hpp"
#include "rules/evidence.hpp"
#include "rules/policy.hpp"
#include "rules/rule.hpp"

namespace gridaudit {

// The thresholds a rule's settings hold (parameters high_rate, very_high_rate, negative_rate,
// min_coverage, min_month_days_share).
[[nodiscard]] LossThresholds loss_thresholds(const RuleSettings& settings);

// The rule parameters behind loss_thresholds, with the given defaults for the rates.
[[nodiscard]] std::vector<RuleParameter> loss_threshold_parameters(double high_rate, double very_high_rate);

// The thresholds the monthly table classifies the nodes of `level` with (`gridaudit loss` and the
// report): the policy's [rules.LOSS-AREA-HIGH] values for areas, [rules.LOSS-FEEDER-HIGH] for
// feeders, buses and substations, over the defaults (high 7 %, very high 30 % for areas; 5 % and
// 15 % above them).
[[nodiscard]] LossThresholds loss_table_thresholds(const Policy& policy, BalanceLevel level);

// Writes into `evidence` "months": [{"month","supply_kwh","sales_kwh","loss_kwh","loss_rate","coverage",
// "class"}...], "abnormal_since": "YYYY-MM", "jump_day": "YYYY-MM-DD" or null, "rate_before", "rate_after"
// (the last two only with a jump day); returns abnormal_since.
// REQUIRES: the rule of `evidence` declares those fields.
std::string add_node_loss_evidence(Evidence& evidence, const LossAnalysis& analysis, std::size_t node,
                                   std::int32_t month, bool (*abnormal)(LossClass), const LossChange& change);

}  // namespace gridaudit
