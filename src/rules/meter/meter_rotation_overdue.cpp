// METER-ROTATION-OVERDUE: a meter still in service past its rotation (replacement) period.
#include <fmt/format.h>

#include <algorithm>

#include "rules/evidence.hpp"
#include "rules/meter/meter_rules.hpp"
#include "rules/meter/meter_service.hpp"

namespace gridaudit {
namespace {

class MeterRotationOverdueRule final : public Rule {
public:
    MeterRotationOverdueRule() {
        info_.id = "METER-ROTATION-OVERDUE";
        info_.area = InspectionArea::METER;
        info_.title = "Meter past its rotation period";
        info_.description =
            "A meter still in service longer than its rotation period (JJG 307-2006: three-phase at most 6 years, "
            "single-phase at most 10 years, single-phase magnetic-bearing or double-jewel models at most 15). Old "
            "meters drift out of their accuracy class; the operator should replace the meter (and check its "
            "CT/PT) and the inspection team should ask why the rotation plan missed it.";
        info_.parameters = {
            {"three_phase_years", 6.0, "years", "Rotation period of three-phase meters."},
            {"single_phase_years", 10.0, "years", "Rotation period of single-phase meters."},
            {"long_life_single_phase_years", 15.0, "years",
             "Rotation period of single-phase models listed in long_life_models."},
            {"long_life_models", std::vector<std::string>{}, "",
             "Single-phase models with magnetic bearings or double jewels (exact model designations)."},
            {"high_severity_overdue_days", 730.0, "days", "Overdue by more than this is high severity."},
        };
        info_.evidence_fields = {"installed_on", "phases", "model", "rotation_years", "due_on", "days_overdue"};
        info_.truth_anomalies = {"meter_past_rotation"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const MeterColumns& meters = context.frame.meters;
        const auto& long_life = settings.list("long_life_models");
        for (std::size_t m = 0; m < meters.size(); ++m) {
            if (!in_service(meters, m, context.as_of)) continue;
            double years = meters.phases[m] == 3 ? settings.number("three_phase_years")
                                                 : settings.number("single_phase_years");
            if (meters.phases[m] != 3 &&
                std::find(long_life.begin(), long_life.end(), meters.model[m]) != long_life.end())
                years = settings.number("long_life_single_phase_years");
            const CivilDate due = add_years(meters.installed_on[m], static_cast<int>(years));
            if (context.as_of <= due) continue;
            const int overdue = context.as_of - due;
            Finding finding = finding_of(info_, "meter", meters.id[m]);
            finding.severity = overdue > settings.number("high_severity_overdue_days") ? Severity::high
                                                                                        : Severity::medium;
            finding.summary = fmt::format("{}-phase meter {} installed {} is {} days past its {:g}-year rotation",
                                          meters.phases[m], meters.id[m], meters.installed_on[m].to_string(), overdue,
                                          years);
            finding.evidence_json = Evidence(info_)
                                        .date("installed_on", meters.installed_on[m])
                                        .integer("phases", meters.phases[m])
                                        .text("model", meters.model[m])
                                        .number("rotation_years", years)
                                        .date("due_on", due)
                                        .integer("days_overdue", overdue)
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_meter_rotation_overdue_rule() { return std::make_unique<MeterRotationOverdueRule>(); }

}  // namespace gridaudit
