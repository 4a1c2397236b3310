// METER-REVERSED: energy registered on the export (reverse) register of a customer without
// generation: a reversed current circuit or a meter wired backwards.
#include <fmt/format.h>

#include <cmath>

#include "rules/evidence.hpp"
#include "rules/reading/daily_register_scan.hpp"
#include "rules/reading/reading_rules.hpp"

namespace gridaudit {
namespace {

class MeterReversedRule final : public Rule {
public:
    MeterReversedRule() {
        info_.id = "METER-REVERSED";
        info_.area = InspectionArea::METER;
        info_.title = "Energy on the export register of a customer without generation";
        info_.description =
            "A customer meter registers energy on its export (reverse) register while its import register "
            "hardly moves, or its export register started moving after a long stretch in which the customer "
            "consumed and exported nothing (no generation). Customers with rooftop generation export every "
            "sunny day and keep importing at night, so neither pattern fits them. A reversed current circuit "
            "bills nothing; the field team should check the wiring (a theft indicator).";
        info_.parameters = {
            {"window_days", 30.0, "days", "Recent days over which import and export are compared."},
            {"min_export_kwh", 1.0, "kWh", "Export (after the multiplier) in the window below this is ignored."},
            {"max_import_share", 0.05, "",
             "Import / (import + export) in the window at or below which the meter is reversed."},
            {"baseline_days", 14.0, "days",
             "Days with import and no export before the export started, for a partly reversed meter."},
        };
        info_.evidence_fields = {"export_kwh", "import_kwh", "window_days", "export_since"};
        info_.truth_anomalies = {"meter_reversed"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        if (!frame.has_daily()) return;
        const DailyMatrix& daily = frame.daily;
        const std::int32_t today = daily_index(daily, context.as_of);
        if (today < 1) return;
        const auto window = static_cast<std::int32_t>(settings.number("window_days"));
        const auto baseline = static_cast<std::int32_t>(settings.number("baseline_days"));
        const auto days = static_cast<std::size_t>(daily.day_count);
        const std::int32_t from = std::max(0, today - window + 1);
        for (std::size_t m = 0; m < frame.meters.size(); ++m) {
            if (frame.meters.is_gateway[m] || !frame.meters.customer[m].valid()) continue;
            if (!meter_installed(frame.meters, m, context.as_of)) continue;
            const double multiplier = frame.meters.multiplier[m];
            const double* exports = &daily.export_register[m * days];
            const double* imports = &daily.import_register[m * days];
            const double exported = row_advance(exports, from, today) * multiplier;
            if (!(exported >= settings.number("min_export_kwh"))) continue;
            double imported = row_advance(imports, from, today) * multiplier;
            if (std::isnan(imported)) imported = 0;
            bool reversed = imported / (imported + exported) <= settings.number("max_import_share");
            // Or: no export at all before it started, while the customer consumed.
            std::int32_t first = 0;
            while (first < today && std::isnan(exports[first])) ++first;
            std::int32_t started = first;
            while (started <= today && (std::isnan(exports[started]) || exports[started] == exports[first])) ++started;
            const std::int32_t quiet_days = started - 1 - first;
            if (!reversed && quiet_days >= baseline && started <= today) {
                const double consumed = row_advance(imports, first, started - 1);
                reversed = consumed > 0;
            }
            if (!reversed) continue;
            const CivilDate since = daily.first_day + (started <= today ? started : from);
            Finding finding = finding_of(info_, "meter", frame.meters.id[m]);
            finding.severity = Severity::high;
            finding.summary = fmt::format("meter {} registered {:.1f} kWh on its export register and {:.1f} kWh on "
                                          "import in the last {} days; the customer has no generation before {}",
                                          frame.meters.id[m], exported, imported, today - from + 1, since.to_string());
            finding.evidence_json = Evidence(info_)
                                        .number("export_kwh", exported)
                                        .number("import_kwh", imported)
                                        .integer("window_days", today - from + 1)
                                        .date("export_since", since)
                                        .dump();
            finding.kwh_at_risk = exported;
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_meter_reversed_rule() { return std::make_unique<MeterReversedRule>(); }

}  // namespace gridaudit
