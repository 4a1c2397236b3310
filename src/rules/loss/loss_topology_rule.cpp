// LOSS-TOPOLOGY: records that make a balance wrong — a customer filed under the wrong area, or a
// gateway or customer multiplier that would close an abnormal loss exactly.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "rules/evidence.hpp"
#include "rules/loss/loss_evidence.hpp"
#include "rules/loss/loss_outage_match.hpp"
#include "rules/loss/loss_rules.hpp"

namespace gridaudit {
namespace {

double median_rate(std::span<const double> supply, std::span<const double> sales) {
    std::vector<double> rates;
    for (std::size_t d = 0; d < supply.size(); ++d) {
        const double r = (supply[d] - sales[d]) / supply[d];
        if (std::isfinite(r) && supply[d] > 0) rates.push_back(r);
    }
    if (rates.empty()) return std::nan("");
    auto middle = rates.begin() + static_cast<std::ptrdiff_t>(rates.size() / 2);
    std::nth_element(rates.begin(), middle, rates.end());
    return *middle;
}

class LossTopologyRule final : public Rule {
public:
    LossTopologyRule() {
        info_.id = "LOSS-TOPOLOGY";
        info_.area = InspectionArea::LOSS;
        info_.title = "Record error behind a wrong line loss: area assignment or multiplier";
        info_.description =
            "Two record errors make a transformer area's balance wrong without any energy being lost. (1) A customer "
            "filed under one area but supplied by another: when an area loses supply, its gateway meter and every "
            "meter behind it record a power-off at the same moment, so a customer whose meters recorded another "
            "area's outages (and none of its recorded area's since) is supplied by that area. Without such events, "
            "the balance tells it for the larger customers of the same feeder: their daily consumption is missing from "
            "the real area's balance and extra in the recorded one, so the day-to-day changes of the recorded area's "
            "extra loss move against the changes of its usage (regression coefficient near -1, the area supply's "
            "changes partialled out) and the real area's with them (near +1), over all the data or over the recent "
            "days (a cut-over the records missed). (2) A wrong "
            "multiplier: for an area whose month is negative or very high loss, the gateway multiplier (or a CT "
            "customer's) that would bring the loss back to the normal rate is computed; when it equals the "
            "meter's CT ratio x PT ratio while the recorded multiplier does not, the multiplier is reported. In any "
            "month, a CT customer whose recorded multiplier is not CT x PT is reported when its node's daily extra "
            "loss moves with its daily usage by the missing factor (the fitted multiplier equals CT x PT), or when "
            "the balance rejects the recorded multiplier and agrees with CT x PT within its standard error.";
        info_.parameters = loss_threshold_parameters(0.07, 0.30);
        info_.parameters.push_back({"min_coefficient", 0.5, "",
                                    "Smallest size of both regression coefficients (ideal 1) for a wrong area."});
        info_.parameters.push_back({"max_coefficient", 1.6, "", "Largest size of both regression coefficients."});
        info_.parameters.push_back({"min_correlation", 0.3, "",
                                    "Smallest size of both partial correlations of the customer's day-to-day usage "
                                    "changes with the two areas' extra-loss changes."});
        info_.parameters.push_back({"min_t", 4.0, "", "Smallest t statistic of the regression coefficients for a wrong area or a fitted multiplier."});
        info_.parameters.push_back({"min_t_confirm", 3.0, "",
                                    "For a CT customer whose recorded multiplier is not CT x PT: smallest t statistic "
                                    "with which the balance must reject the recorded multiplier."});
        info_.parameters.push_back({"confirm_errors", 3.0, "standard errors",
                                    "... and largest distance of the fitted coefficient from the one CT x PT implies."});
        info_.parameters.push_back({"recent_days", 60.0, "days",
                                    "Length of the second window (ending with the audited month) tested for a cut-over."});
        info_.parameters.push_back({"outage_tolerance_s", 120.0, "s",
                                    "Largest time between an area gateway's power-off and a customer meter's for the "
                                    "customer to have seen that outage."});
        info_.parameters.push_back({"min_outage_matches", 1.0, "outages",
                                    "Outages of another area a customer's meters must have seen (and none of its "
                                    "recorded area's after them) to be reported as supplied by that area."});
        info_.parameters.push_back({"min_daily_kwh", 1.0, "kWh", "Customers using less per day on average are not tested."});
        info_.parameters.push_back({"reference_rate", 0.04, "", "Normal loss rate of an area the closing multiplier aims at."});
        info_.parameters.push_back({"multiplier_tolerance", 0.08, "",
                                    "Relative distance between the closing multiplier and CT ratio x PT ratio taken as equal."});
        info_.evidence_fields = {"recorded_node", "fitting_node", "coefficient_recorded", "coefficient_other",
                                 "correlation_recorded", "correlation_other", "t_recorded", "t_other", "fit_from",
                                 "recorded_multiplier",
                                 "closing_multiplier", "expected_multiplier", "node", "month_loss_rate",
                                 "outages_seen", "outage_times", "recorded_outages_seen_before"};
        info_.truth_anomalies = {"wrong_area", "wrong_multiplier_customer", "wrong_multiplier_gateway"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const auto analysis = shared_loss_analysis(context.analyses, context.frame, loss_thresholds(settings));
        // The audited month's column, -1 when there is none (a plain index: GCC's Release build
        // took the optional's value for possibly uninitialised once inlined).
        const std::int32_t month = analysis ? analysis->month_column(context.period).value_or(-1) : -1;
        // Events up to the end of the audited month (or the audit day without daily data).
        const CivilDate last_day = month >= 0 ? analysis->first_day + (analysis->balance.month_first_column[month] +
                                                                       analysis->balance.month_day_count[month] - 1)
                                   : context.period ? context.period->last_day()
                                                    : context.as_of;
        const std::string period = month >= 0 ? Period::from_index(analysis->balance.month_index[month]).to_string()
                                              : Period::of(last_day).to_string();
        std::vector<std::uint8_t> reported(context.frame.customers.size(), 0);
        find_outage_areas(context, settings, last_day, period, reported, findings);
        if (month < 0) return;
        find_wrong_areas(context, settings, *analysis, month, reported, findings);
        find_closing_multipliers(context, settings, *analysis, month, findings);
    }

private:
    // Customers whose meters saw another area's outages (and none of their recorded area's since).
    void find_outage_areas(const RuleContext& context, const RuleSettings& settings, CivilDate last_day,
                           const std::string& period, std::vector<std::uint8_t>& reported,
                           std::vector<Finding>& findings) const {
        const RegionFrame& frame = context.frame;
        OutageMatchOptions options;
        options.tolerance_s = static_cast<std::int64_t>(settings.number("outage_tolerance_s"));
        options.min_matches = static_cast<int>(settings.number("min_outage_matches"));
        for (const OutageAssignment& a : customers_supplied_elsewhere(frame, last_day, options)) {
            const std::size_t c = a.customer.value();
            if (last_day < frame.customers.supply_start[c]) continue;
            reported[c] = 1;
            Finding finding = finding_of(info_, "customer", frame.customers.id[c]);
            finding.period = period;
            finding.severity = Severity::medium;
            finding.summary = fmt::format(
                "Customer {} is filed under area {} but its meter recorded {} power outage{} of area {} (last {})",
                frame.customers.id[c], frame.network.id[a.recorded.value()], a.matches, a.matches == 1 ? "" : "s",
                frame.network.id[a.supplying.value()], a.outages.back().to_string(480).substr(0, 10));
            nlohmann::json times = nlohmann::json::array();
            for (const Instant& at : a.outages) times.push_back(at.to_string(480));
            finding.evidence_json = Evidence(info_)
                                        .text("recorded_node", frame.network.id[a.recorded.value()])
                                        .text("fitting_node", frame.network.id[a.supplying.value()])
                                        .integer("outages_seen", a.matches)
                                        .json("outage_times", std::move(times))
                                        .integer("recorded_outages_seen_before", a.own_matches)
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

    void find_wrong_areas(const RuleContext& context, const RuleSettings& settings, const LossAnalysis& analysis,
                          std::int32_t month, const std::vector<std::uint8_t>& reported,
                          std::vector<Finding>& findings) const {
        const RegionFrame& frame = context.frame;
        const std::size_t nodes = frame.network.size();
        std::vector<AreaChanges> changes(nodes);
        for (std::size_t n = 0; n < nodes; ++n)
            if (frame.network.kind[n] == NodeKind::area)
                changes[n] = area_changes(analysis.daily_supply(n), analysis.daily_sales(n),
                                          median_rate(analysis.daily_supply(n), analysis.daily_sales(n)));
        const double low = settings.number("min_coefficient"), high = settings.number("max_coefficient");
        const double min_correlation = settings.number("min_correlation");
        const double min_t = settings.number("min_t");
        const double min_daily = settings.number("min_daily_kwh");
        const std::string period = Period::from_index(analysis.balance.month_index[month]).to_string();
        // Two windows ending with the audited month: all the data (filed wrong from the start) and the
        // recent days (a cut-over the records missed).
        const std::int32_t to = analysis.balance.month_first_column[month] + analysis.balance.month_day_count[month];
        const std::int32_t recent_from =
            std::max<std::int32_t>(0, to - static_cast<std::int32_t>(settings.number("recent_days")));
        const auto fits = [&](const MoveChangeFit& fit) {
            return -fit.coefficient_recorded >= low && -fit.coefficient_recorded <= high && fit.coefficient_other >= low &&
                   fit.coefficient_other <= high && -fit.correlation_recorded >= min_correlation &&
                   fit.correlation_other >= min_correlation && -fit.t_recorded >= min_t && fit.t_other >= min_t;
        };
        const auto strength = [](const MoveChangeFit& fit) { return fit.t_other - fit.t_recorded; };
        for (std::size_t a = 0; a < nodes; ++a) {
            if (frame.network.kind[a] != NodeKind::area) continue;
            for (std::uint32_t row = analysis.graph().customer_offset[a]; row < analysis.graph().customer_offset[a + 1]; ++row) {
                const float* usage = analysis.customers().row(row);
                double total = 0;
                int valid = 0;
                for (std::int32_t d = 0; d < analysis.days; ++d)
                    if (!std::isnan(usage[d])) total += usage[d], ++valid;
                if (valid == 0 || total / valid < min_daily) continue;
                MoveChangeFit best;
                std::size_t best_node = nodes;
                std::int32_t best_from = 0;
                for (std::size_t b = 0; b < nodes; ++b) {
                    if (b == a || frame.network.kind[b] != NodeKind::area || frame.network.parent[b] != frame.network.parent[a])
                        continue;
                    for (const std::int32_t from : {std::int32_t{0}, recent_from}) {
                        const MoveChangeFit fit = fit_customer_move_changes(usage, changes[a], changes[b], from, to);
                        if (fits(fit) && (best_node == nodes || strength(fit) > strength(best)))
                            best = fit, best_node = b, best_from = from;
                    }
                }
                if (best_node == nodes) continue;
                const std::uint32_t c = analysis.customer_of_row()[row];
                if (reported[c]) continue;  // already named by the outages it saw
                Finding finding = finding_of(info_, "customer", frame.customers.id[c]);
                finding.period = period;
                finding.severity = Severity::medium;
                finding.summary = fmt::format("Customer {} is filed under area {} but its consumption fits area {}'s balance",
                                              frame.customers.id[c], frame.network.id[a], frame.network.id[best_node]);
                const auto rounded = [](double x) { return std::round(x * 1000) / 1000; };
                finding.evidence_json = Evidence(info_)
                                            .text("recorded_node", frame.network.id[a])
                                            .text("fitting_node", frame.network.id[best_node])
                                            .number("coefficient_recorded", rounded(best.coefficient_recorded))
                                            .number("coefficient_other", rounded(best.coefficient_other))
                                            .number("correlation_recorded", rounded(best.correlation_recorded))
                                            .number("correlation_other", rounded(best.correlation_other))
                                            .number("t_recorded", std::round(best.t_recorded * 10) / 10)
                                            .number("t_other", std::round(best.t_other * 10) / 10)
                                            .date("fit_from", analysis.first_day + best_from)
                                            .dump();
                findings.push_back(std::move(finding));
            }
        }
    }

    void report_multiplier(const RuleContext& context, std::size_t meter, std::size_t node, double closing,
                           double month_rate, const std::string& period, std::vector<Finding>& findings) const {
        const MeterColumns& meters = context.frame.meters;
        const double expected = meters.ct_ratio[meter] * meters.pt_ratio[meter];
        Finding finding = finding_of(info_, "meter", meters.id[meter]);
        finding.period = period;
        finding.severity = Severity::high;
        finding.summary = fmt::format(
            "{} meter {}: multiplier {:g} recorded, {:g} (= CT {} x PT {}) would close the loss of {} ({:.1f} %)",
            meters.is_gateway[meter] ? "Gateway" : "Customer", meters.id[meter], meters.multiplier[meter], expected,
            meters.ct_ratio_text[meter], meters.pt_ratio_text[meter], context.frame.network.id[node], month_rate * 100);
        finding.evidence_json = Evidence(info_)
                                    .text("node", context.frame.network.id[node])
                                    .number("month_loss_rate", std::round(month_rate * 1e4) / 1e4)
                                    .number("recorded_multiplier", meters.multiplier[meter])
                                    .number("closing_multiplier", std::round(closing * 1000) / 1000)
                                    .number("expected_multiplier", expected)
                                    .dump();
        findings.push_back(std::move(finding));
    }

    void find_closing_multipliers(const RuleContext& context, const RuleSettings& settings, const LossAnalysis& analysis,
                                  std::int32_t month, std::vector<Finding>& findings) const {
        const RegionFrame& frame = context.frame;
        const MeterColumns& meters = frame.meters;
        const BalanceTable& monthly = analysis.balance.monthly;
        const double reference = settings.number("reference_rate");
        const double tolerance = settings.number("multiplier_tolerance");
        const std::string period = Period::from_index(analysis.balance.month_index[month]).to_string();
        const auto close_to = [&](double value, double target) { return std::abs(value - target) <= tolerance * target; };
        const std::int32_t first = analysis.balance.month_first_column[month];
        const std::int32_t count = analysis.balance.month_day_count[month];
        std::vector<std::vector<std::uint32_t>> meters_of_customer(frame.customers.size());
        for (std::size_t m = 0; m < meters.size(); ++m)
            if (!meters.is_gateway[m] && !meters.removed_on[m])
                meters_of_customer[meters.customer[m].value()].push_back(static_cast<std::uint32_t>(m));
        const double min_t = settings.number("min_t");
        const double min_t_confirm = settings.number("min_t_confirm");
        const double confirm_errors = settings.number("confirm_errors");
        const std::int32_t to = first + count;
        std::vector<std::uint8_t> reported(meters.size(), 0);
        for (std::size_t n = 0; n < frame.network.size(); ++n) {
            if (frame.network.kind[n] != NodeKind::area && frame.network.kind[n] != NodeKind::feeder) continue;
            const LossClass loss_class = monthly.loss_class[monthly.at(n, month)];
            const double supply = monthly.supply[monthly.at(n, month)], sales = monthly.sales[monthly.at(n, month)];
            const double rate = (supply - sales) / supply;
            if (loss_class == LossClass::not_computable) continue;
            // Any month: CT customers whose recorded multiplier is not CT x PT, when the node's daily extra
            // loss moves with their daily usage by the missing factor (expected / recorded - 1). The
            // suspects of a node are fitted together (one's error would otherwise show in another's fit).
            {
                std::vector<std::uint32_t> suspects;  // usage rows
                std::vector<const float*> usages;
                for (std::uint32_t row = analysis.graph().customer_offset[n]; row < analysis.graph().customer_offset[n + 1];
                     ++row) {
                    const std::uint32_t c = analysis.customer_of_row()[row];
                    if (meters_of_customer[c].size() != 1) continue;
                    const std::uint32_t m = meters_of_customer[c].front();
                    const double expected = meters.ct_ratio[m] * meters.pt_ratio[m];
                    if (expected <= 1 || close_to(meters.multiplier[m], expected)) continue;
                    suspects.push_back(row);
                    usages.push_back(analysis.customers().row(row));
                }
                const AreaChanges changes =
                    suspects.empty() ? AreaChanges{}
                                     : area_changes(analysis.daily_supply(n), analysis.daily_sales(n),
                                                    median_rate(analysis.daily_supply(n), analysis.daily_sales(n)));
                const std::vector<JointCoefficient> fits = fit_joint_usage_changes(usages, changes, 0, to);
                for (std::size_t s = 0; s < suspects.size(); ++s) {
                    const std::uint32_t m = meters_of_customer[analysis.customer_of_row()[suspects[s]]].front();
                    const double expected = meters.ct_ratio[m] * meters.pt_ratio[m];
                    const JointCoefficient& fit = fits[s];
                    const double closing = meters.multiplier[m] * (1 + fit.coefficient);
                    // Or the balance rejects the recorded multiplier (coefficient 0) and agrees with CT x PT
                    // (coefficient expected / recorded - 1) within `confirm_errors` standard errors.
                    const double target = expected / meters.multiplier[m] - 1;
                    const double error = fit.t != 0 ? std::abs(fit.coefficient / fit.t) : 0;
                    const bool confirmed = error > 0 && std::abs(fit.t) >= min_t_confirm &&
                                           std::abs(fit.coefficient - target) <= confirm_errors * error;
                    if ((close_to(closing, expected) && std::abs(fit.t) >= min_t) || confirmed) {
                        report_multiplier(context, m, n, closing, rate, period, findings);
                        reported[m] = 1;
                    }
                }
            }
            if (loss_class != LossClass::negative && loss_class != LossClass::very_high) continue;
            // The gateway: supply x k should equal sales / (1 - reference).
            const std::int32_t gateway_row = analysis.graph().gateway_row[n];
            if (gateway_row >= 0 && frame.network.kind[n] == NodeKind::area) {
                const std::size_t g = analysis.gateway_meter()[static_cast<std::size_t>(gateway_row)];
                const double closing = meters.multiplier[g] * sales / ((1 - reference) * supply);
                const double expected = meters.ct_ratio[g] * meters.pt_ratio[g];
                if (expected > 0 && close_to(closing, expected) && !close_to(meters.multiplier[g], expected)) {
                    report_multiplier(context, g, n, closing, rate, period, findings);
                    continue;
                }
            }
            // A customer meter: its month's usage x (1 + excess / usage) closes the balance.
            const double excess = supply - sales - reference * supply;
            for (std::uint32_t row = analysis.graph().customer_offset[n]; row < analysis.graph().customer_offset[n + 1]; ++row) {
                const std::uint32_t c = analysis.customer_of_row()[row];
                double usage = 0;
                const float* u = analysis.customers().row(row);
                for (std::int32_t d = first; d < first + count; ++d)
                    if (!std::isnan(u[d])) usage += u[d];
                if (usage <= 0) continue;
                for (const std::uint32_t m : meters_of_customer[c]) {
                    const double expected = meters.ct_ratio[m] * meters.pt_ratio[m];
                    const double closing = meters.multiplier[m] * (1 + excess / usage);
                    if (!reported[m] && expected > 1 && close_to(closing, expected) && !close_to(meters.multiplier[m], expected))
                        report_multiplier(context, m, n, closing, rate, period, findings);
                }
            }
        }
    }

    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_loss_topology_rule() { return std::make_unique<LossTopologyRule>(); }

}  // namespace gridaudit
