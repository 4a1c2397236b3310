// LOSS-BUS-UNBALANCE: a bus whose measured input (its incoming gateway meter) and output (the gateways
// of the feeders it supplies, and any customer metered on it) differ over the audited month by more
// than the tolerance (practice: +/-2 %), with both sides and the meters that make them as evidence.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "rules/loss/loss_evidence.hpp"
#include "rules/loss/loss_rules.hpp"

namespace gridaudit {
namespace {

// The balance the bus rule reads: LOSS-FEEDER-HIGH's default thresholds (so an audit that runs both
// balances the region once). The classes are not used, only the monthly input and output and
// whether the month is computable.
LossThresholds bus_balance_thresholds() {
    LossThresholds thresholds;
    thresholds.high_rate = 0.05;
    thresholds.very_high_rate = 0.15;
    return thresholds;
}

double rounded(double x, double scale) {
    return std::round(x * scale) / scale;
}

nlohmann::json kwh_or_null(double x) {
    return std::isfinite(x) ? nlohmann::json(rounded(x, 100)) : nlohmann::json();
}

// What child node `child` of bus `bus` took over the days of `month` on which the bus's balance is
// computable (the days the bus's monthly input and output add up), NaN when it has none.
double output_over_bus_days(const BalanceResult& balance, std::size_t bus, std::size_t child, std::int32_t month) {
    const BalanceTable& daily = balance.daily;
    const std::int32_t first = balance.month_first_column[static_cast<std::size_t>(month)];
    const std::int32_t end = first + balance.month_day_count[static_cast<std::size_t>(month)];
    double kwh = 0;
    bool any = false;
    for (std::int32_t d = first; d < end; ++d) {
        if (!std::isfinite(daily.sales[daily.at(bus, d)])) continue;
        const double supply = daily.supply[daily.at(child, d)];
        if (!std::isfinite(supply)) return std::numeric_limits<double>::quiet_NaN();
        kwh += supply;
        any = true;
    }
    return any ? kwh : std::numeric_limits<double>::quiet_NaN();
}

class LossBusUnbalanceRule final : public Rule {
public:
    explicit LossBusUnbalanceRule(RuleInfo info) : info_(std::move(info)) {}

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const double tolerance = settings.number("tolerance");
        const double high_rate = settings.number("high_severity_rate");
        const auto analysis = shared_loss_analysis(context.analyses, context.frame, bus_balance_thresholds());
        if (!analysis) return;
        const auto month = analysis->month_column(context.period);
        if (!month) return;
        const RegionFrame& frame = context.frame;
        const BalanceTable& monthly = analysis->balance.monthly;
        for (std::size_t n = 0; n < frame.network.size(); ++n) {
            if (frame.network.kind[n] != NodeKind::bus) continue;
            // A bus without an incoming meter, or a month without enough measured days on either
            // side, has no measured input to balance: nothing is judged.
            const std::int32_t gateway_row = analysis->graph().gateway_row[n];
            if (gateway_row < 0) continue;
            const std::size_t i = monthly.at(n, *month);
            if (monthly.loss_class[i] == LossClass::not_computable) continue;
            const double input = monthly.supply[i];
            const double output = monthly.sales[i];
            const double rate = monthly.loss_rate(n, *month);
            if (!std::isfinite(rate) || input <= 0 || std::abs(rate) <= tolerance) continue;

            const std::string period = Period::from_index(analysis->balance.month_index[*month]).to_string();
            const std::uint32_t input_meter = analysis->gateway_meter()[static_cast<std::size_t>(gateway_row)];
            nlohmann::json input_meters = nlohmann::json::array();
            input_meters.push_back(
                {{"meter", frame.meters.id[input_meter]}, {"node", frame.network.id[n]}, {"kwh", kwh_or_null(input)}});
            nlohmann::json output_meters = nlohmann::json::array();
            double children = 0;
            for (std::size_t c = 0; c < frame.network.size(); ++c) {
                if (!frame.network.parent[c].valid() || frame.network.parent[c].value() != n) continue;
                const std::int32_t row = analysis->graph().gateway_row[c];
                const double kwh = output_over_bus_days(analysis->balance, n, c, *month);
                if (std::isfinite(kwh)) children += kwh;
                output_meters.push_back(
                    {{"meter", row >= 0 ? nlohmann::json(
                                              frame.meters.id[analysis->gateway_meter()[static_cast<std::size_t>(row)]])
                                        : nlohmann::json()},
                     {"node", frame.network.id[c]},
                     {"kwh", kwh_or_null(kwh)}});
            }
            const double difference = input - output;
            Finding finding = finding_of(info_, "node", frame.network.id[n]);
            finding.period = period;
            finding.severity = std::abs(rate) > high_rate ? Severity::high : Severity::medium;
            finding.kwh_at_risk = std::abs(difference);
            Evidence evidence(info_);
            evidence.text("month", period)
                .number("input_kwh", rounded(input, 100))
                .number("output_kwh", rounded(output, 100))
                .number("difference_kwh", rounded(difference, 100))
                .number("unbalance_rate", rounded(rate, 1e4))
                .number("tolerance", tolerance)
                .number("coverage", rounded(monthly.coverage[i], 1000))
                .json("input_meters", std::move(input_meters))
                .json("output_meters", std::move(output_meters))
                // Energy metered on the bus by customers rather than feeder gateways.
                .number("customer_output_kwh", rounded(output - children, 100));
            finding.summary = fmt::format(
                "Bus {} ({}): input {:.0f} kWh, output {:.0f} kWh in {}, unbalance {:.1f} % (beyond "
                "±{:.1f} %)",
                frame.network.id[n], frame.network.name[n], input, output, period, rate * 100, tolerance * 100);
            finding.evidence_json = evidence.dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_loss_bus_unbalance_rule() {
    RuleInfo info;
    info.id = "LOSS-BUS-UNBALANCE";
    info.area = InspectionArea::LOSS;
    info.title = "Bus with unbalanced input and output";
    info.description =
        "Over the audited month the energy measured entering a bus (its incoming gateway meter) and leaving it "
        "(the gateways of the feeders it supplies, and any customer metered on the bus) differ by more than the "
        "tolerance, as a share of the input (line-loss practice: a bus balances within +/-2 %; a bus has almost "
        "no losses of its own). Typical causes: an incoming or outgoing meter with a wrong multiplier, a blown "
        "PT fuse or a lost phase, an outgoing circuit without a meter (station service, a new feeder not yet in "
        "the records), reads taken at different times. The evidence gives both sides with the meters that make "
        "them. A bus without an incoming meter, or a month with too few days measured on either side, is not "
        "judged.";
    info.parameters = {
        {"tolerance", 0.02, "", "Largest unbalance rate, either sign, of a balanced bus ((input - output) / input)."},
        {"high_severity_rate", 0.05, "", "Unbalance rate, either sign, beyond which the finding's severity is high."},
    };
    info.evidence_fields = {"month",     "input_kwh", "output_kwh",   "difference_kwh", "unbalance_rate",
                            "tolerance", "coverage",  "input_meters", "output_meters",  "customer_output_kwh"};
    // Scored against the generator's unbalanced buses (generator/loss_anomaly_plan.hpp).
    info.truth_anomalies = {"bus_unbalance"};
    return std::make_unique<LossBusUnbalanceRule>(std::move(info));
}

}  // namespace gridaudit
