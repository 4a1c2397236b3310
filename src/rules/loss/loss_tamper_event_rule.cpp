// LOSS-METER-TAMPER-EVENT: customers whose meters logged events that indicate tampering (covers
// opened, magnetic fields, current or voltage loss, reverse current, ...) over a window ending with
// the audited month, counted and weighed by analysis/meter_event_indicators.hpp.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "analysis/meter_event_indicators.hpp"
#include "rules/evidence.hpp"
#include "rules/loss/loss_rules.hpp"

namespace gridaudit {
namespace {

std::string weight_parameter(TamperIndicator indicator) {
    return fmt::format("weight_{}", tamper_indicator_code(indicator));
}

class LossTamperEventRule final : public Rule {
public:
    LossTamperEventRule() {
        info_.id = "LOSS-METER-TAMPER-EVENT";
        info_.area = InspectionArea::LOSS;
        info_.title = "Meter events indicating tampering";
        info_.description =
            "Smart meters log what happens to them (meter_events.csv). Opening the meter or terminal cover, a "
            "magnetic field near the meter, voltage or current loss on a phase, a phase break, reverse current, "
            "current imbalance and clock changes are what tampering leaves behind (REFERENCE.md, theft "
            "indicators); outages (power_off, power_on) and the meter's own faults are not counted. Over a window "
            "ending with the audited month (parameter window_days), each customer's meters' events are counted per "
            "indicator and day (an alarm repeated within a day is one event), their durations summed, and weighed "
            "(parameters weight_<code>): a customer whose weighted count reaches min_score is reported with the "
            "counts, durations and the first and last day. One spurious terminal-cover alarm or clock change stays "
            "below the threshold; a cover opened and then current loss, or repeated magnetic-field alarms, reach it. "
            "The same weighted count is one of the suspect ranking's signals (docs/suspects.md).";
        info_.parameters.push_back({"window_days", 365.0, "days",
                                    "Days up to the end of the audited month (or the audit day) whose events count."});
        info_.parameters.push_back({"min_score", 2.0, "", "Weighted event count from which a customer is reported."});
        info_.parameters.push_back(
            {"high_score", 6.0, "", "Weighted event count from which the finding is high severity."});
        const TamperWeights defaults;
        for (int k = 0; k < tamper_indicator_count; ++k) {
            const auto indicator = static_cast<TamperIndicator>(k);
            info_.parameters.push_back(
                {weight_parameter(indicator), defaults.weight[static_cast<std::size_t>(k)], "",
                 fmt::format("Weight of one day's {} event.", tamper_indicator_code(indicator))});
        }
        info_.evidence_fields = {"window_from", "window_to", "score",    "events", "durations_s",
                                 "event_days",  "first_day", "last_day", "meters"};
        info_.truth_anomalies = {"theft_bypass"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const CivilDate to = context.period ? context.period->last_day() : context.as_of;
        const CivilDate from = to - (static_cast<std::int32_t>(settings.number("window_days")) - 1);
        TamperWeights weights;
        for (int k = 0; k < tamper_indicator_count; ++k)
            weights.weight[static_cast<std::size_t>(k)] =
                settings.number(weight_parameter(static_cast<TamperIndicator>(k)));
        const double min_score = settings.number("min_score");
        const double high_score = settings.number("high_score");
        const std::vector<TamperEvents> events = customer_tamper_events(frame, from, to, weights);
        std::vector<std::vector<std::string>> meters_of(frame.customers.size());
        for (std::size_t m = 0; m < frame.meters.size(); ++m) {
            if (frame.meters.customer[m].valid())
                meters_of[frame.meters.customer[m].value()].push_back(frame.meters.id[m]);
        }
        for (std::size_t c = 0; c < events.size(); ++c) {
            const TamperEvents& e = events[c];
            if (e.score <= 0 || e.score < min_score) continue;
            Finding finding = finding_of(info_, "customer", frame.customers.id[c]);
            finding.period = Period::of(to).to_string();
            finding.severity = e.score >= high_score ? Severity::high : Severity::medium;
            nlohmann::json counts = nlohmann::json::object(), durations = nlohmann::json::object();
            std::vector<std::string> parts;
            for (int k = 0; k < tamper_indicator_count; ++k) {
                const auto i = static_cast<std::size_t>(k);
                if (e.count[i] == 0) continue;
                const std::string code(tamper_indicator_code(static_cast<TamperIndicator>(k)));
                counts[code] = e.count[i];
                durations[code] = e.duration_s[i];
                parts.push_back(e.duration_s[i] > 0
                                    ? fmt::format("{} {} ({:.1f} h)", e.count[i], code, e.duration_s[i] / 3600.0)
                                    : fmt::format("{} {}", e.count[i], code));
            }
            finding.summary =
                fmt::format("Customer {}: meter events indicating tampering on {} day{} from {} to {}: {}",
                            frame.customers.id[c], e.days, e.days == 1 ? "" : "s", e.first_day->to_string(),
                            e.last_day->to_string(), fmt::join(parts, ", "));
            finding.evidence_json = Evidence(info_)
                                        .date("window_from", from)
                                        .date("window_to", to)
                                        .number("score", e.score)
                                        .json("events", std::move(counts))
                                        .json("durations_s", std::move(durations))
                                        .integer("event_days", e.days)
                                        .date("first_day", e.first_day)
                                        .date("last_day", e.last_day)
                                        .texts("meters", meters_of[c])
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_loss_tamper_event_rule() {
    return std::make_unique<LossTamperEventRule>();
}

}  // namespace gridaudit
