// METER-CT-SIZING: a CT whose primary rating is too large or too small for the load it measures.
#include <fmt/format.h>

#include <charconv>

#include "rules/evidence.hpp"
#include "rules/meter/meter_rules.hpp"
#include "rules/meter/meter_service.hpp"

namespace gridaudit {
namespace {

// The primary of a ratio written "600/5" (600); NaN when the text is not of that shape.
double ratio_primary(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nan("");
    double primary = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + slash, primary);
    return error == std::errc() && end == text.data() + slash && primary > 0 ? primary : std::nan("");
}

class MeterCtSizingRule final : public Rule {
public:
    MeterCtSizingRule() {
        info_.id = "METER-CT-SIZING";
        info_.area = InspectionArea::METER;
        info_.title = "CT primary rating does not fit the load";
        info_.description =
            "A current transformer is accurate between a few percent and about 120 % of its rated primary current. "
            "Sized far above the load (the full-load current of the contracted capacity below min_capacity_fraction of "
            "the rating, or even the busiest day's mean current below low_range_fraction of it) it measures most of "
            "the time in its inaccurate low range and under-registers; sized below the load (the contracted "
            "capacity's current above max_capacity_fraction of the rating, or the busiest day's mean current above "
            "saturation_fraction of it) it saturates at the peaks and under-registers too. Currents are computed "
            "three-phase at the PT's primary voltage, or at low_voltage_kv without a PT (single-phase meters at "
            "single_phase_kv), from the daily registers x CT ratio x PT ratio (whatever the recorded multiplier). "
            "Customer meters are judged on capacity and measured load, gateway meters not at all (their CTs follow "
            "the transformer, whose overload is a planning matter). The CT should "
            "be replaced by one of the right ratio (with the multiplier changed through a work order).";
        info_.parameters = {
            {"min_capacity_fraction", 0.3, "",
             "Full-load current of the contracted capacity below this share of the "
             "CT's rated primary current: oversized."},
            {"max_capacity_fraction", 1.2, "", "Full-load current above this share of the rating: undersized."},
            {"low_range_fraction", 0.01, "",
             "Busiest day's mean current below this share of the rating: below the "
             "range of every accuracy class (S classes are specified from 1 %)."},
            {"saturation_fraction", 1.2, "", "Busiest day's mean current above this share of the rating: saturation."},
            {"low_voltage_kv", 0.38, "kV", "Line voltage of three-phase points without a PT."},
            {"single_phase_kv", 0.22, "kV", "Voltage of single-phase points."},
            {"lookback_days", 365.0, "days", "Window of daily registers for the measured load."},
        };
        info_.evidence_fields = {"ct_ratio",
                                 "ct_primary_a",
                                 "voltage_kv",
                                 "capacity_kva",
                                 "capacity_current_a",
                                 "busiest_day_kwh",
                                 "busiest_day_mean_current_a",
                                 "problems"};
        info_.truth_anomalies = {"ct_sizing"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const MeterColumns& meters = frame.meters;
        const double min_capacity = settings.number("min_capacity_fraction");
        const double max_capacity = settings.number("max_capacity_fraction");
        const double low_range = settings.number("low_range_fraction");
        const double saturation = settings.number("saturation_fraction");
        const auto lookback = static_cast<std::int32_t>(settings.number("lookback_days"));
        for (std::size_t m = 0; m < meters.size(); ++m) {
            // Gateway meters are not judged: their CTs follow the transformer, whose overload is a planning matter.
            if (meters.is_gateway[m] || meters.ct_ratio[m] == 1 || !in_service(meters, m, context.as_of)) continue;
            double primary = ratio_primary(meters.ct_ratio_text[m]);
            if (std::isnan(primary)) primary = meters.ct_ratio[m] * 5;  // "120" as a bare ratio of a 5 A secondary
            const double pt_volts = meters.pt_ratio[m] == 1 ? std::nan("") : ratio_primary(meters.pt_ratio_text[m]);
            const double kv = !std::isnan(pt_volts)     ? pt_volts / 1000
                              : meters.pt_ratio[m] != 1 ? meters.pt_ratio[m] * 0.1
                              : meters.phases[m] == 1   ? settings.number("single_phase_kv")
                                                        : settings.number("low_voltage_kv");
            const double phase_factor = meters.phases[m] == 1 ? 1.0 : std::sqrt(3.0);
            const auto current_of = [&](double kva) { return kva / (phase_factor * kv); };

            std::vector<std::string> problems;
            double capacity = std::nan("");
            double capacity_current = std::nan("");
            capacity = frame.customers.contracted_kva[meters.customer[m].value()];
            if (capacity > 0) {
                capacity_current = current_of(capacity);
                if (capacity_current < min_capacity * primary) problems.emplace_back("oversized_for_capacity");
                if (capacity_current > max_capacity * primary) problems.emplace_back("undersized_for_capacity");
            }
            const MeasuredLoad load = measured_load(frame, m, lookback, physical_ratio(meters, m));
            const double day_current = std::isnan(load.max_day_kwh) ? std::nan("") : current_of(load.max_day_kwh / 24);
            if (day_current > saturation * primary) problems.emplace_back("saturated");
            if (load.mean_day_kwh > 0 && day_current < low_range * primary) problems.emplace_back("low_range");
            if (problems.empty()) continue;

            const bool too_small =
                std::find(problems.begin(), problems.end(), "saturated") != problems.end() ||
                std::find(problems.begin(), problems.end(), "undersized_for_capacity") != problems.end();
            Finding finding = finding_of(info_, "meter", meters.id[m]);
            finding.severity = too_small ? Severity::high : Severity::medium;
            finding.summary =
                fmt::format("Meter {} of customer {}: CT {} {} ({})", meters.id[m],
                            frame.customers.id[meters.customer[m].value()], meters.ct_ratio_text[m],
                            too_small ? "too small for the load" : "too large for the load", fmt::join(problems, ", "));
            finding.evidence_json = Evidence(info_)
                                        .text("ct_ratio", meters.ct_ratio_text[m])
                                        .number("ct_primary_a", primary)
                                        .number("voltage_kv", kv)
                                        .number("capacity_kva", capacity)
                                        .number("capacity_current_a", capacity_current)
                                        .number("busiest_day_kwh", load.max_day_kwh)
                                        .number("busiest_day_mean_current_a", day_current)
                                        .texts("problems", problems)
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_meter_ct_sizing_rule() {
    return std::make_unique<MeterCtSizingRule>();
}

}  // namespace gridaudit
