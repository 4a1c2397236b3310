// METER-STOPPED: a register that stopped advancing while its customer is active and the area's
// supply is normal (the area gateway keeps registering energy).
#include <fmt/format.h>

#include <cmath>

#include "rules/evidence.hpp"
#include "rules/reading/daily_register_scan.hpp"
#include "rules/reading/reading_rules.hpp"

namespace gridaudit {
namespace {

class MeterStoppedRule final : public Rule {
public:
    MeterStoppedRule() {
        info_.id = "METER-STOPPED";
        info_.area = InspectionArea::METER;
        info_.title = "Meter register stopped";
        info_.description =
            "The import register of a customer meter has not moved for days up to the audit day, although the "
            "customer is active, used energy before, and the gateway of its area (or feeder) kept registering "
            "energy over the same days, so the supply was normal. A stopped meter bills nothing; the field team "
            "should test the meter on site (a stopped meter is also a theft indicator).";
        info_.parameters = {
            {"min_flat_days", 7.0, "days", "Days in a row without any register advance."},
            {"min_prior_daily_kwh", 0.5, "kWh/day",
             "Average daily consumption before the register stopped (after the multiplier) below which a flat "
             "register is not judged (vacant homes)."},
            {"prior_days", 30.0, "days", "Days before the stop over which that average is taken."},
            {"high_severity_days", 30.0, "days", "Stopped longer than this is high severity."},
        };
        info_.evidence_fields = {"register", "flat_since", "flat_days", "prior_daily_kwh", "gateway_meter",
                                 "gateway_advance_kwh"};
        info_.truth_anomalies = {"meter_stopped"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        if (!frame.has_daily()) return;
        const DailyMatrix& daily = frame.daily;
        const std::int32_t today = daily_index(daily, context.as_of);
        if (today < 1) return;
        const auto min_flat = static_cast<std::int32_t>(settings.number("min_flat_days"));
        const auto prior_days = static_cast<std::int32_t>(settings.number("prior_days"));
        const auto days = static_cast<std::size_t>(daily.day_count);
        for (std::size_t m = 0; m < frame.meters.size(); ++m) {
            if (frame.meters.is_gateway[m] || !frame.meters.customer[m].valid()) continue;
            if (!meter_installed(frame.meters, m, context.as_of)) continue;
            if (!customer_active(frame.customers, frame.meters.customer[m], context.as_of)) continue;
            const double* row = &daily.import_register[m * days];
            std::int32_t last = today;
            while (last >= 0 && std::isnan(row[last])) --last;
            if (last < 1) continue;
            const double value = row[last];
            std::int32_t flat_from = last;
            std::int32_t before = -1;
            for (std::int32_t d = last - 1; d >= 0; --d) {
                if (std::isnan(row[d])) continue;
                if (row[d] != value) {
                    before = d;
                    break;
                }
                flat_from = d;
            }
            // Days since the value was first seen without any advance (the register stopped at the
            // latest after day flat_from). A register flat over the whole loaded window stopped before
            // it: its earlier use is unknown (NaN) and not required.
            const std::int32_t flat_days = last - flat_from;
            if (flat_days < min_flat) continue;
            double prior_daily = std::nan("");
            if (before >= 0) {
                std::int32_t first_valid = std::max(0, before - prior_days);
                while (first_valid < before && std::isnan(row[first_valid])) ++first_valid;
                prior_daily = (value - row[first_valid]) * frame.meters.multiplier[m] /
                              static_cast<double>(flat_from - first_valid);
                if (!(prior_daily >= settings.number("min_prior_daily_kwh"))) continue;
            } else if (frame.meters.installed_on[m] >= daily.first_day + flat_from) {
                continue;  // installed inside the window and never advanced: nothing says it ever ran
            }
            // Energy moving on the export register instead is METER-REVERSED's case.
            const double exported = row_advance(&daily.export_register[m * days], flat_from, last);
            if (exported > 0) continue;
            const NodeIndex node = frame.meters.node[m];
            const MeterIndex gateway = node.valid() ? frame.network.gateway_meter[node.value()] : MeterIndex{};
            if (!gateway.valid()) continue;
            const double gateway_advance =
                row_advance(&daily.import_register[gateway.value() * days], flat_from, last) *
                frame.meters.multiplier[gateway.value()];
            if (!(gateway_advance > 0)) continue;  // supply not shown normal
            const CivilDate since = daily.first_day + (flat_from + 1);
            Finding finding = finding_of(info_, "meter", frame.meters.id[m]);
            finding.severity = flat_days > settings.number("high_severity_days") ? Severity::high : Severity::medium;
            finding.summary = fmt::format("register of meter {} stuck at {:.2f} for {} days since {}{}", frame.meters.id[m],
                                          value, flat_days, since.to_string(),
                                          std::isnan(prior_daily) ? std::string(" (the whole loaded window)")
                                                                  : fmt::format(" (used {:.1f} kWh/day before)", prior_daily));
            finding.evidence_json = Evidence(info_)
                                        .number("register", value)
                                        .date("flat_since", since)
                                        .integer("flat_days", flat_days)
                                        .number("prior_daily_kwh", prior_daily)
                                        .text("gateway_meter", frame.meters.id[gateway.value()])
                                        .number("gateway_advance_kwh", gateway_advance)
                                        .dump();
            if (!std::isnan(prior_daily)) finding.kwh_at_risk = prior_daily * flat_days;
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_meter_stopped_rule() { return std::make_unique<MeterStoppedRule>(); }

}  // namespace gridaudit
