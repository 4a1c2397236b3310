// METER-CLASS-BY-LOAD: the metering configuration does not fit the class the customer's load implies.
#include <fmt/format.h>

#include "rules/evidence.hpp"
#include "rules/meter/meter_rules.hpp"
#include "rules/meter/meter_service.hpp"

namespace gridaudit {
namespace {

// The more demanding (lower numbered) of two classes.
MeteringClass stricter(MeteringClass a, MeteringClass b) {
    return static_cast<int>(a) < static_cast<int>(b) ? a : b;
}

class MeterClassByLoadRule final : public Rule {
public:
    MeterClassByLoadRule() {
        info_.id = "METER-CLASS-BY-LOAD";
        info_.area = InspectionArea::METER;
        info_.title = "Metering configuration does not fit the class the load implies";
        info_.description =
            "The metering class of a customer's point follows its load: contracted capacity (>= 10,000 / 2,000 / "
            "315 kVA for classes I / II / III) and monthly energy (>= 5 GWh / 1 GWh / 100 MWh), here the larger of "
            "the energy billed and the energy measured on the meter's daily registers (x CT ratio x PT ratio). The "
            "installed configuration "
            "must fit that class: a single-phase meter only on a single-phase supply (up to single_phase_max_kva), "
            "class I-III points metered through CTs, and class I-III points supplied at high voltage metered on the "
            "high-voltage side through PTs (not 'high supply, low metering'). When the measured load raises the class "
            "above what the contract and bills give, the meter, CT and PT accuracy must meet that class too (below "
            "the contract's class it is METER-ACCURACY-CLASS). A point metered below its class under-measures and is "
            "tested too rarely; the metering scheme should be redesigned.";
        info_.parameters = {
            {"single_phase_max_kva", 10.0, "kVA", "Largest contracted capacity a single-phase meter may serve."},
            {"high_voltage_kv", 10.0, "kV",
             "Supply voltage from which class I-III points need PTs (high-side metering)."},
            {"lookback_days", 365.0, "days", "Window of daily registers for the measured monthly energy."},
        };
        info_.evidence_fields = {"load_class",
                                 "contract_class",
                                 "capacity_kva",
                                 "voltage_kv",
                                 "billed_max_monthly_kwh",
                                 "measured_max_monthly_kwh",
                                 "installed",
                                 "problems"};
        info_.truth_anomalies = {"metering_class_by_load"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const MeterColumns& meters = frame.meters;
        const CustomerColumns& customers = frame.customers;
        const double single_phase_max = settings.number("single_phase_max_kva");
        const double high_voltage = settings.number("high_voltage_kv");
        const auto lookback = static_cast<std::int32_t>(settings.number("lookback_days"));
        for (std::size_t m = 0; m < meters.size(); ++m) {
            if (meters.is_gateway[m] || !in_service(meters, m, context.as_of)) continue;
            const std::uint32_t c = meters.customer[m].value();
            const double capacity = std::isnan(customers.contracted_kva[c]) ? 0 : customers.contracted_kva[c];
            const double billed = frame.max_monthly_kwh[c];
            const bool single_phase_point = meters.phases[m] == 1 && capacity <= single_phase_max;
            if (single_phase_point) continue;  // class V, and a single-phase meter fits it
            const double measured = measured_load(frame, m, lookback, physical_ratio(meters, m)).max_month_kwh;
            double energy = billed;
            if (!std::isnan(measured) && (std::isnan(energy) || measured > energy)) energy = measured;
            const MeteringClass load_class = required_metering_class(3, capacity, energy);
            const MeteringClass contract_class = required_metering_class(meters.phases[m], capacity, billed);

            std::vector<std::string> problems;
            const int load_rank = static_cast<int>(load_class);
            if (meters.phases[m] == 1) problems.emplace_back("single_phase_meter");
            if (load_rank <= 3 && meters.ct_ratio[m] == 1) problems.emplace_back("no_ct");
            if (load_rank <= 3 && customers.voltage_kv[c] >= high_voltage && meters.pt_ratio[m] == 1)
                problems.emplace_back("low_voltage_side");
            if (stricter(load_class, contract_class) != contract_class) {
                const AccuracyRequirement required = accuracy_requirement(load_class);
                const AccuracyRequirement contract = accuracy_requirement(contract_class);
                const auto short_of = [](const std::string& installed, std::string_view load, std::string_view base) {
                    // Fails the load's class but meets the contract's (else METER-ACCURACY-CLASS reports it).
                    return !installed.empty() && accuracy_rank(installed) && !load.empty() &&
                           !meets_accuracy(installed, load) && (base.empty() || meets_accuracy(installed, base));
                };
                if (short_of(meters.accuracy_class[m], required.active_meter, contract.active_meter))
                    problems.emplace_back("meter_accuracy");
                if (meters.ct_ratio[m] != 1 &&
                    short_of(meters.ct_class[m], required.current_transformer, contract.current_transformer))
                    problems.emplace_back("ct_accuracy");
                if (meters.pt_ratio[m] != 1 &&
                    short_of(meters.pt_class[m], required.voltage_transformer, contract.voltage_transformer))
                    problems.emplace_back("pt_accuracy");
            }
            if (problems.empty()) continue;

            Finding finding = finding_of(info_, "meter", meters.id[m]);
            finding.severity = load_rank <= 2 ? Severity::high : Severity::medium;
            finding.summary = fmt::format(
                "Meter {} of customer {} ({:g} kVA at {:g} kV): class {} point by load, "
                "configuration {}",
                meters.id[m], customers.id[c], capacity, customers.voltage_kv[c], metering_class_name(load_class),
                fmt::join(problems, ", "));
            finding.evidence_json = Evidence(info_)
                                        .text("load_class", metering_class_name(load_class))
                                        .text("contract_class", metering_class_name(contract_class))
                                        .number("capacity_kva", capacity)
                                        .number("voltage_kv", customers.voltage_kv[c])
                                        .number("billed_max_monthly_kwh", billed)
                                        .number("measured_max_monthly_kwh", measured)
                                        .json("installed", {{"phases", meters.phases[m]},
                                                            {"meter", meters.accuracy_class[m]},
                                                            {"ct_ratio", meters.ct_ratio_text[m]},
                                                            {"ct", meters.ct_class[m]},
                                                            {"pt_ratio", meters.pt_ratio_text[m]},
                                                            {"pt", meters.pt_class[m]}})
                                        .texts("problems", problems)
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_meter_class_by_load_rule() {
    return std::make_unique<MeterClassByLoadRule>();
}

}  // namespace gridaudit
