// METER-ACCURACY-CLASS: meter, CT or PT less accurate than the metering class requires.
#include <fmt/format.h>

#include <cmath>

#include "engine/metering_class.hpp"
#include "rules/evidence.hpp"
#include "rules/meter/meter_rules.hpp"
#include "rules/meter/meter_service.hpp"

namespace gridaudit {
namespace {

class MeterAccuracyClassRule final : public Rule {
public:
    MeterAccuracyClassRule() {
        info_.id = "METER-ACCURACY-CLASS";
        info_.area = InspectionArea::METER;
        info_.title = "Accuracy class below what the metering class requires";
        info_.description =
            "DL/T 448-2000 sorts metering points into classes I-V by capacity (>= 10,000 / 2,000 / 315 kVA) and "
            "monthly energy (>= 5 GWh / 1 GWh / 100 MWh); single-phase points are class V. Each class requires a "
            "minimum accuracy of the active-energy meter (I: 0.5S, II: 0.5, III: 1.0, IV and V: 2.0) and of its "
            "CT and PT (I and II: 0.2; III and IV: CT 0.5S, PT 0.5). A less accurate device under-measures within "
            "its tolerance without anyone noticing; it must be replaced.";
        info_.parameters = {};
        info_.evidence_fields = {"metering_class", "capacity_kva", "max_monthly_kwh", "installed", "required",
                                 "failing"};
        info_.truth_anomalies = {"accuracy_class_low"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings&, std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const MeterColumns& meters = frame.meters;
        for (std::size_t m = 0; m < meters.size(); ++m) {
            if (!in_service(meters, m, context.as_of)) continue;
            double capacity = std::nan("");
            double monthly = std::nan("");
            if (meters.is_gateway[m]) {
                capacity = frame.network.rated_kva[meters.node[m].value()];
            } else {
                const std::uint32_t c = meters.customer[m].value();
                capacity = frame.customers.contracted_kva[c];
                monthly = frame.max_monthly_kwh[c];
            }
            if (std::isnan(capacity)) capacity = 0;
            const MeteringClass metering_class = required_metering_class(meters.phases[m], capacity, monthly);
            const AccuracyRequirement required = accuracy_requirement(metering_class);

            // Each failing device in the summary as its evidence has it: installed and required class.
            std::vector<std::string> failing;
            std::vector<std::string> shortfalls;
            const auto fails = [&](std::string_view device, std::string_view label, std::string_view installed,
                                   std::string_view needed) {
                failing.emplace_back(device);
                shortfalls.push_back(fmt::format("{} of class {} installed, {} required", label, installed, needed));
            };
            if (accuracy_rank(meters.accuracy_class[m]) && !meets_accuracy(meters.accuracy_class[m], required.active_meter))
                fails("meter", "meter", meters.accuracy_class[m], required.active_meter);
            if (meters.ct_ratio[m] != 1 && !required.current_transformer.empty() && accuracy_rank(meters.ct_class[m]) &&
                !meets_accuracy(meters.ct_class[m], required.current_transformer))
                fails("ct", "CT", meters.ct_class[m], required.current_transformer);
            if (meters.pt_ratio[m] != 1 && !required.voltage_transformer.empty() && accuracy_rank(meters.pt_class[m]) &&
                !meets_accuracy(meters.pt_class[m], required.voltage_transformer))
                fails("pt", "PT", meters.pt_class[m], required.voltage_transformer);
            if (failing.empty()) continue;

            Finding finding = finding_of(info_, "meter", meters.id[m]);
            finding.severity = static_cast<int>(metering_class) <= 2 ? Severity::high : Severity::medium;
            finding.summary = fmt::format("Meter {} (class {} point, {:g} kVA): {}", meters.id[m],
                                          metering_class_name(metering_class), capacity, fmt::join(shortfalls, "; "));
            finding.evidence_json =
                Evidence(info_)
                    .text("metering_class", metering_class_name(metering_class))
                    .number("capacity_kva", capacity)
                    .number("max_monthly_kwh", monthly)
                    .json("installed",
                          {{"meter", meters.accuracy_class[m]}, {"ct", meters.ct_class[m]}, {"pt", meters.pt_class[m]}})
                    .json("required", {{"meter", required.active_meter},
                                       {"ct", required.current_transformer},
                                       {"pt", required.voltage_transformer}})
                    .texts("failing", failing)
                    .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_meter_accuracy_class_rule() { return std::make_unique<MeterAccuracyClassRule>(); }

}  // namespace gridaudit
