// METER-MULTIPLIER-MISMATCH: the billing multiplier differs from CT ratio x PT ratio.
#include <fmt/format.h>

#include <cmath>

#include "engine/register_usage.hpp"
#include "rules/evidence.hpp"
#include "rules/meter/meter_rules.hpp"
#include "rules/meter/meter_service.hpp"

namespace gridaudit {
namespace {

class MeterMultiplierMismatchRule final : public Rule {
public:
    MeterMultiplierMismatchRule() {
        info_.id = "METER-MULTIPLIER-MISMATCH";
        info_.area = InspectionArea::METER;
        info_.title = "Multiplier differs from CT ratio x PT ratio";
        info_.description =
            "The billing multiplier (倍率) recorded for a meter is not the product of its current- and "
            "voltage-transformer ratios. Every kWh billed through it is wrong by the factor right/recorded - 1 "
            "(Supply Business Rules art. 81: 'wrong multiplier'); on a gateway meter it distorts the area's line "
            "loss instead. The energy at risk is the register advance over the look-back window times the "
            "difference of the multipliers (negative when the customer was over-billed and is owed a refund).";
        info_.parameters = {
            {"relative_tolerance", 0.001, "", "Relative difference below which the two are taken as equal."},
            {"lookback_days", 365.0, "days", "Window of register advance used for the energy at risk."},
        };
        info_.evidence_fields = {"ct_ratio",          "pt_ratio",        "expected_multiplier", "recorded_multiplier",
                                 "correction_factor", "gateway",         "register_advance",    "window_days"};
        info_.truth_anomalies = {"wrong_multiplier_customer", "wrong_multiplier_gateway"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const MeterColumns& meters = frame.meters;
        const double tolerance = settings.number("relative_tolerance");
        const auto window = static_cast<std::int32_t>(settings.number("lookback_days"));
        for (std::size_t m = 0; m < meters.size(); ++m) {
            if (!in_service(meters, m, context.as_of)) continue;
            const double expected = meters.ct_ratio[m] * meters.pt_ratio[m];
            const double recorded = meters.multiplier[m];
            if (!(expected > 0) || std::abs(recorded - expected) <= tolerance * expected) continue;

            Evidence evidence(info_);
            evidence.text("ct_ratio", meters.ct_ratio_text[m])
                .text("pt_ratio", meters.pt_ratio_text[m])
                .number("expected_multiplier", expected)
                .number("recorded_multiplier", recorded)
                .number("correction_factor", recorded > 0 ? expected / recorded - 1 : 0.0)
                .flag("gateway", static_cast<bool>(meters.is_gateway[m]));
            Finding finding = finding_of(info_, "meter", meters.id[m]);
            if (frame.has_daily()) {
                const std::int32_t days = std::min(window, frame.daily.day_count);
                const double* values =
                    frame.daily.import_register.data() + m * static_cast<std::size_t>(frame.daily.day_count) +
                    static_cast<std::size_t>(frame.daily.day_count - days);
                const double advance = registered_delta(values, days);
                if (!std::isnan(advance)) {
                    evidence.number("register_advance", advance).integer("window_days", days);
                    if (!meters.is_gateway[m]) finding.kwh_at_risk = advance * (expected - recorded);
                }
            }
            const bool under_billed = expected > recorded;
            finding.severity = meters.is_gateway[m] ? Severity::medium : (under_billed ? Severity::high : Severity::medium);
            finding.summary = fmt::format("{} meter {}: multiplier {:g} but CT {} x PT {} = {:g}{}",
                                          meters.is_gateway[m] ? "Gateway" : "Customer", meters.id[m], recorded,
                                          meters.ct_ratio_text[m], meters.pt_ratio_text[m], expected,
                                          meters.is_gateway[m] ? " (area loss distorted)"
                                                               : (under_billed ? " (under-billed)" : " (over-billed)"));
            finding.evidence_json = evidence.dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_meter_multiplier_mismatch_rule() { return std::make_unique<MeterMultiplierMismatchRule>(); }

}  // namespace gridaudit
