// Evidence shared by the LOSS rules: a node's monthly loss series and the period it turned abnormal.
#pragma once

#include <nlohmann/json.hpp>

#include "rules/loss/loss_analysis.hpp"
#include "rules/rule.hpp"

namespace gridaudit {

// The thresholds a rule's settings hold (parameters high_rate, very_high_rate, negative_rate,
// min_coverage, min_month_days_share).
[[nodiscard]] LossThresholds loss_thresholds(const RuleSettings& settings);

// The rule parameters behind loss_thresholds, with the given defaults for the rates.
[[nodiscard]] std::vector<RuleParameter> loss_threshold_parameters(double high_rate, double very_high_rate);

// {"months": [{"month","supply_kwh","sales_kwh","loss_kwh","loss_rate","coverage","class"}...],
//  "abnormal_since": "YYYY-MM", "jump_day": "YYYY-MM-DD" or null, "rate_before", "rate_after"}
[[nodiscard]] nlohmann::json node_loss_evidence(const LossAnalysis& analysis, std::size_t node, std::int32_t month,
                                                bool (*abnormal)(LossClass), const LossChange& change);

}  // namespace gridaudit
