// PROC-TEMPORARY-EXPIRED: temporary supply past its end date still active, or its meters still
// registering consumption after the end date.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "rules/evidence.hpp"
#include "rules/process/process_rules.hpp"
#include "rules/process/process_scope.hpp"

namespace gridaudit {
namespace {

class ProcTemporaryExpiredRule final : public Rule {
public:
    ProcTemporaryExpiredRule() {
        info_.id = "PROC-TEMPORARY-EXPIRED";
        info_.area = InspectionArea::PROC;
        info_.title = "Temporary supply past its end date";
        info_.description =
            "A temporary supply (construction site, event) whose agreed end date has passed but whose account is "
            "still active, or whose meters keep registering energy after the end date: the supply should have been "
            "disconnected or the agreement extended through a work order. Energy registered after the end date "
            "(daily import registers x multiplier) is the energy at risk; an account that is not active but still "
            "consumes is the more serious case.";
        info_.parameters = {
            {"categories", std::vector<std::string>{"temporary"}, "", "Customer categories of temporary supply."},
            {"grace_days", 0.0, "days", "Days after the end date before the account must be closed."},
            {"min_kwh", 1.0, "kWh", "Energy after the end date (and grace) that counts as consumption."},
        };
        info_.evidence_fields = {"supply_end", "status", "days_past_end", "kwh_after_end", "meters"};
        info_.truth_anomalies = {"temporary_expired"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const CustomerColumns& customers = frame.customers;
        const auto& categories = settings.list("categories");
        const auto grace = static_cast<std::int32_t>(settings.number("grace_days"));
        const double min_kwh = settings.number("min_kwh");
        // Temporary customers past their end date, and their meters (one pass over the meters).
        std::vector<std::size_t> expired;
        std::vector<std::int32_t> slot(customers.size(), -1);
        for (std::size_t c = 0; c < customers.size(); ++c) {
            if (std::find(categories.begin(), categories.end(), customers.category[c]) == categories.end()) continue;
            if (!customers.supply_end[c] || *customers.supply_end[c] + grace >= context.as_of) continue;
            slot[c] = static_cast<std::int32_t>(expired.size());
            expired.push_back(c);
        }
        if (expired.empty()) return;
        std::vector<std::vector<std::size_t>> meters_of(expired.size());
        for (std::size_t m = 0; m < frame.meters.size(); ++m)
            if (frame.meters.customer[m].valid() && slot[frame.meters.customer[m].value()] >= 0)
                meters_of[static_cast<std::size_t>(slot[frame.meters.customer[m].value()])].push_back(m);
        for (std::size_t e = 0; e < expired.size(); ++e) {
            const std::size_t c = expired[e];
            const CivilDate end = *customers.supply_end[c];
            const CivilDate deadline = end + grace;
            const bool active = customers.status[c] == "active";
            std::vector<std::string> meter_ids;
            const double kwh = energy_after(frame, meters_of[e], deadline, context.as_of, meter_ids);
            const bool consuming = kwh >= min_kwh;
            if (!active && !consuming) continue;

            Finding finding = finding_of(info_, "customer", customers.id[c]);
            finding.severity = consuming ? Severity::high : Severity::medium;
            finding.summary = fmt::format(
                "temporary customer {} ({}) past its supply end {} by {} days{}", customers.id[c], customers.status[c],
                end.to_string(), context.as_of - end,
                consuming ? fmt::format(", {:.1f} kWh registered after the end", kwh)
                          : std::string(", account still active"));
            finding.evidence_json = Evidence(info_)
                                        .date("supply_end", end)
                                        .text("status", customers.status[c])
                                        .integer("days_past_end", context.as_of - end)
                                        .number("kwh_after_end", kwh)
                                        .texts("meters", meter_ids)
                                        .dump();
            if (consuming) finding.kwh_at_risk = kwh;
            findings.push_back(std::move(finding));
        }
    }

private:
    // kWh the customer's `meters` registered after `after` up to `until`: daily import registers x
    // multiplier, the last value minus the value of the day after `after` (or the first day loaded
    // after it), so the end day's own consumption never counts; NaN without daily series covering
    // the span. `meter_ids` gets the meters that advanced.
    static double energy_after(const RegionFrame& frame, const std::vector<std::size_t>& meters, CivilDate after,
                               CivilDate until, std::vector<std::string>& meter_ids) {
        if (!frame.has_daily()) return std::nan("");
        const DailyMatrix& daily = frame.daily;
        const CivilDate last_day = daily.first_day + (daily.day_count - 1);
        const CivilDate to = std::min(until, last_day);
        const CivilDate from = std::max(after + 1, daily.first_day);
        if (to <= from) return std::nan("");
        double total = std::nan("");
        for (const std::size_t m : meters) {
            // First and last valid readings in [from, to].
            std::optional<double> first, last;
            for (std::int32_t d = from - daily.first_day; d <= to - daily.first_day; ++d) {
                const double value = daily.import_at(m, d);
                if (std::isnan(value)) continue;
                if (!first) first = value;
                last = value;
            }
            if (!first) continue;
            const double multiplier = std::isnan(frame.meters.multiplier[m]) ? 1.0 : frame.meters.multiplier[m];
            const double kwh = std::max(0.0, *last - *first) * multiplier;
            total = std::isnan(total) ? kwh : total + kwh;
            if (kwh > 0) meter_ids.push_back(frame.meters.id[m]);
        }
        return total;
    }

    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_proc_temporary_expired_rule() { return std::make_unique<ProcTemporaryExpiredRule>(); }

}  // namespace gridaudit
