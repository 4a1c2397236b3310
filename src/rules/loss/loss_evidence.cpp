// Monthly loss series and abnormal-period evidence for LOSS findings (see loss_evidence.hpp).
#include "rules/loss/loss_evidence.hpp"

#include <cmath>

namespace gridaudit {

LossThresholds loss_thresholds(const RuleSettings& settings) {
    LossThresholds t;
    t.high_rate = settings.number("high_rate");
    t.very_high_rate = settings.number("very_high_rate");
    t.negative_rate = settings.number("negative_rate");
    t.min_coverage = settings.number("min_coverage");
    t.min_month_days_share = settings.number("min_month_days_share");
    return t;
}

LossThresholds loss_table_thresholds(const Policy& policy, BalanceLevel level) {
    const std::string section = level == BalanceLevel::area ? "rules.LOSS-AREA-HIGH" : "rules.LOSS-FEEDER-HIGH";
    LossThresholds thresholds;
    if (level != BalanceLevel::area) thresholds.high_rate = 0.05, thresholds.very_high_rate = 0.15;
    thresholds.high_rate = policy.number(section, "high_rate", thresholds.high_rate);
    thresholds.very_high_rate = policy.number(section, "very_high_rate", thresholds.very_high_rate);
    thresholds.negative_rate = policy.number(section, "negative_rate", thresholds.negative_rate);
    thresholds.min_coverage = policy.number(section, "min_coverage", thresholds.min_coverage);
    thresholds.min_month_days_share = policy.number(section, "min_month_days_share", thresholds.min_month_days_share);
    return thresholds;
}

std::vector<RuleParameter> loss_threshold_parameters(double high_rate, double very_high_rate) {
    return {
        {"high_rate", high_rate, "", "Loss rate above which a month is high loss (qualified below)."},
        {"very_high_rate", very_high_rate, "", "Loss rate above which a month is very high loss."},
        {"negative_rate", -0.01, "", "Loss rate below which a month is negative loss (sales exceed supply)."},
        {"min_coverage", 0.8, "",
         "Share of customers with measured data needed for a day to count; days below it are not computable."},
        {"min_month_days_share", 0.75, "",
         "Share of a month's days that must be computable for the month's loss to be judged at all."},
    };
}

std::string add_node_loss_evidence(Evidence& evidence, const LossAnalysis& analysis, std::size_t node,
                                   std::int32_t month, bool (*abnormal)(LossClass), const LossChange& change) {
    const BalanceTable& monthly = analysis.balance.monthly;
    nlohmann::json months = nlohmann::json::array();
    std::int32_t since = month;
    while (since > 0 && abnormal(monthly.loss_class[monthly.at(node, since - 1)])) --since;
    for (std::int32_t m = 0; m <= month; ++m) {
        const std::size_t i = monthly.at(node, m);
        const auto number = [](double x) { return std::isfinite(x) ? nlohmann::json(std::round(x * 100) / 100) : nlohmann::json(); };
        months.push_back({{"month", Period::from_index(analysis.balance.month_index[m]).to_string()},
                          {"supply_kwh", number(monthly.supply[i])},
                          {"sales_kwh", number(monthly.sales[i])},
                          {"loss_kwh", number(monthly.supply[i] - monthly.sales[i])},
                          {"loss_rate", std::isfinite(monthly.loss_rate(node, m))
                                            ? nlohmann::json(std::round(monthly.loss_rate(node, m) * 1e4) / 1e4)
                                            : nlohmann::json()},
                          {"coverage", std::round(monthly.coverage[i] * 1000) / 1000},
                          {"class", loss_class_name(monthly.loss_class[i])}});
    }
    std::string abnormal_since = Period::from_index(analysis.balance.month_index[since]).to_string();
    evidence.json("months", std::move(months)).text("abnormal_since", abnormal_since);
    if (change.day >= 0) {
        evidence.date("jump_day", analysis.first_day + change.day)
            .number("rate_before", std::round(change.rate_before * 1e4) / 1e4)
            .number("rate_after", std::round(change.rate_after * 1e4) / 1e4);
    } else {
        evidence.null("jump_day");
    }
    return abnormal_since;
}

}  // namespace gridaudit
