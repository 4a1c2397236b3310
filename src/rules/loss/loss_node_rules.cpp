// LOSS-AREA-HIGH, LOSS-AREA-NEGATIVE, LOSS-FEEDER-HIGH, LOSS-FEEDER-NEGATIVE: nodes whose audited
// month's loss rate is abnormal, with the monthly loss series and the period it turned abnormal as evidence.
#include <fmt/format.h>

#include <cmath>

#include "rules/catalogue.hpp"
#include "rules/loss/loss_evidence.hpp"
#include "rules/loss/loss_rules.hpp"

namespace gridaudit {
namespace {

bool is_high(LossClass c) { return c == LossClass::high || c == LossClass::very_high; }
bool is_negative(LossClass c) { return c == LossClass::negative; }

class LossNodeRule final : public Rule {
public:
    LossNodeRule(RuleInfo info, NodeKind kind, bool negative) : info_(std::move(info)), kind_(kind), negative_(negative) {}

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const auto analysis = shared_loss_analysis(context.analyses, context.frame, loss_thresholds(settings));
        if (!analysis) return;
        const auto month = analysis->month_column(context.period);
        if (!month) return;
        const BalanceTable& monthly = analysis->balance.monthly;
        const auto abnormal = negative_ ? &is_negative : &is_high;
        for (std::size_t n = 0; n < context.frame.network.size(); ++n) {
            if (context.frame.network.kind[n] != kind_) continue;
            const LossClass loss_class = monthly.loss_class[monthly.at(n, *month)];
            if (!abnormal(loss_class)) continue;
            LossChangeOptions change_options;
            change_options.direction = negative_ ? -1 : 1;
            const LossChange change =
                find_loss_change(analysis->daily_supply(n), analysis->daily_sales(n), change_options);
            const double rate = monthly.loss_rate(n, *month);
            const double loss = monthly.loss(n, *month);
            Finding finding = finding_of(info_, "node", context.frame.network.id[n]);
            finding.period = Period::from_index(analysis->balance.month_index[*month]).to_string();
            finding.severity = loss_class == LossClass::high ? Severity::medium : Severity::high;
            finding.kwh_at_risk = negative_ ? std::abs(loss) : loss;
            Evidence evidence(info_);
            const std::string abnormal_since = add_node_loss_evidence(evidence, *analysis, n, *month, abnormal, change);
            finding.summary = fmt::format("{} {} ({}): loss rate {:.1f} % in {} ({}), abnormal since {}",
                                          kind_ == NodeKind::area ? "Transformer area" : "Feeder",
                                          context.frame.network.id[n], context.frame.network.name[n], rate * 100,
                                          finding.period, loss_class_name(loss_class), abnormal_since);
            finding.evidence_json = evidence.dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
    NodeKind kind_;
    bool negative_;
};

RuleInfo node_rule_info(std::string id, std::string title, std::string description, double high, double very_high,
                        std::vector<std::string> truth_anomalies) {
    RuleInfo info;
    info.id = std::move(id);
    info.area = InspectionArea::LOSS;
    info.title = std::move(title);
    info.description = std::move(description);
    info.parameters = loss_threshold_parameters(high, very_high);
    info.evidence_fields = {"months", "abnormal_since", "jump_day", "rate_before", "rate_after"};
    // Scored against the generator's abnormal nodes: the areas and feeders whose injected anomalies
    // make the audited month's balance abnormal (generator/loss_anomaly_plan.hpp).
    info.truth_anomalies = std::move(truth_anomalies);
    return info;
}

}  // namespace

std::unique_ptr<Rule> make_loss_area_high_rule() {
    auto info = node_rule_info(
        "LOSS-AREA-HIGH", "Transformer area with high line loss",
        "The audited month's line loss of a transformer area (supply measured by its gateway meter minus the "
        "customers' metered sales, over supply) is above the qualified range. Typical causes: electricity theft, "
        "stopped or slow meters, customers supplied by the area but filed under another one, a wrong multiplier. "
        "The evidence lists the monthly supply, sales, loss and rate, the month the area turned abnormal and the "
        "day the daily loss rate jumped; LOSS-SUSPECT ranks the customers that explain it. Months with missing "
        "gateway data or too few customers read are not judged.",
        0.07, 0.30, {"area_loss_high"});
    return std::make_unique<LossNodeRule>(std::move(info), NodeKind::area, false);
}

std::unique_ptr<Rule> make_loss_area_negative_rule() {
    auto info = node_rule_info(
        "LOSS-AREA-NEGATIVE", "Transformer area with negative line loss",
        "The customers of a transformer area were billed for more energy than its gateway meter measured. "
        "Physically impossible: customers filed under this area but supplied by another, a wrong multiplier on "
        "the gateway or on a customer meter, or reads taken at different times. LOSS-TOPOLOGY names the customer "
        "or the multiplier that would close the balance.",
        0.07, 0.30, {"area_loss_negative"});
    return std::make_unique<LossNodeRule>(std::move(info), NodeKind::area, true);
}

std::unique_ptr<Rule> make_loss_feeder_high_rule() {
    auto info = node_rule_info(
        "LOSS-FEEDER-HIGH", "10 kV feeder with high line loss",
        "The audited month's line loss of a 10 kV feeder (its gateway minus its transformer areas' gateways and "
        "its 10 kV customers' meters) is above the qualified range. The transformer areas' own losses are not "
        "part of it, so a high feeder loss points at the line or at the 10 kV customers (theft, wrong multiplier).",
        0.05, 0.15, {"feeder_loss_high"});
    return std::make_unique<LossNodeRule>(std::move(info), NodeKind::feeder, false);
}

std::unique_ptr<Rule> make_loss_feeder_negative_rule() {
    // The thresholds default to LOSS-FEEDER-HIGH's, so an audit balances the feeders once for both.
    auto info = node_rule_info(
        "LOSS-FEEDER-NEGATIVE", "10 kV feeder with negative line loss",
        "In the audited month a 10 kV feeder's transformer areas' gateways and its 10 kV customers' meters "
        "registered more energy than the feeder's own gateway measured. Physically impossible: a gateway "
        "multiplier too large (the feeder's too small, or a transformer area's too large, which inflates the "
        "feeder's sales), customers or areas filed under this feeder but fed from another one, a child area's "
        "gateway over-registering, or reads taken at different times. A child area whose gateway over-registers "
        "usually shows a high loss of its own (LOSS-AREA-HIGH); LOSS-TOPOLOGY names a multiplier that would close "
        "the balance.",
        0.05, 0.15, {"feeder_loss_negative"});
    return std::make_unique<LossNodeRule>(std::move(info), NodeKind::feeder, true);
}

void add_loss_rules(Catalogue& catalogue) {
    catalogue.add(make_loss_area_high_rule());
    catalogue.add(make_loss_area_negative_rule());
    catalogue.add(make_loss_feeder_high_rule());
    catalogue.add(make_loss_feeder_negative_rule());
    catalogue.add(make_loss_bus_unbalance_rule());
    catalogue.add(make_loss_suspect_rule());
    catalogue.add(make_loss_topology_rule());
    catalogue.add(make_loss_tamper_event_rule());
    catalogue.add(make_loss_demand_rule());
}

}  // namespace gridaudit
