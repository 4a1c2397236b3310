// PROC-SUSPENSION-CONSUMING: energy registered or billed while the supply is suspended.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "rules/evidence.hpp"
#include "rules/process/process_rules.hpp"
#include "rules/process/process_scope.hpp"

namespace gridaudit {
namespace {

struct Suspension {
    CivilDate from;               // the suspension day (it may still be supplied)
    std::optional<CivilDate> to;  // the resumption or closure day; open when absent
    std::string order_id;         // "" when only the account status says suspended
};

class ProcSuspensionConsumingRule final : public Rule {
public:
    ProcSuspensionConsumingRule() {
        info_.id = "PROC-SUSPENSION-CONSUMING";
        info_.area = InspectionArea::PROC;
        info_.title = "Consumption during a suspension";
        info_.description =
            "A customer whose supply is suspended (暂停: a finished suspension order not yet followed by a "
            "resumption or closure, or an account whose status is suspended) but whose meters still register "
            "energy, or whose bills for months wholly inside the suspension carry energy. A suspended customer pays "
            "no basic charge on the sealed capacity, so using it is a contract violation (REFERENCE.md section 2: "
            "use of suspended equipment) and a theft indicator. The suspension day and the resumption day are "
            "not judged. Energy registered (daily import registers x CT x PT ratio) is the kWh at risk; without "
            "daily series the billed energy is used. An account marked suspended without a suspension order is "
            "judged over the last `status_lookback_days`.";
        info_.parameters = {
            {"min_kwh", 1.0, "kWh", "Energy in a suspension that counts as consumption."},
            {"status_lookback_days", 60.0, "days",
             "Days before the audit day judged for an account marked suspended without a suspension order."},
            {"utc_offset_hours", 8.0, "hours", "Local time of the utility, for the day each step happened."},
        };
        info_.evidence_fields = {"status",         "suspended_on", "resumed_on", "order_id",
                                 "kwh_registered", "kwh_billed",   "bills",      "meters"};
        info_.truth_anomalies = {"suspension_consuming"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const CustomerColumns& customers = frame.customers;
        const WorkOrderColumns& orders = frame.work_orders;
        const double offset = settings.number("utc_offset_hours");
        const double min_kwh = settings.number("min_kwh");
        const auto lookback = static_cast<std::int32_t>(settings.number("status_lookback_days"));
        const CustomerOrders by_customer = orders_by_customer(orders, customers.size());
        const CustomerOrders meters_of = meters_by_customer(frame.meters, customers.size());
        const bool bills_indexed = frame.bills.first_of_customer.size() == customers.size() + 1;
        std::vector<std::pair<CivilDate, std::uint32_t>> events;
        for (std::size_t c = 0; c < customers.size(); ++c) {
            // Suspension spans from the customer's finished orders, in the order they took effect.
            events.clear();
            for (std::uint32_t i = by_customer.first[c]; i < by_customer.first[c + 1]; ++i) {
                const std::uint32_t o = by_customer.rows[i];
                const std::string& type = orders.type[o];
                if (type != "suspension" && type != "resumption" && type != "closure") continue;
                if (const auto day = order_effective_day(orders, o, context.as_of, offset))
                    events.emplace_back(*day, o);
            }
            if (events.empty() && customers.status[c] != "suspended") continue;
            std::stable_sort(events.begin(), events.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
            std::vector<Suspension> spans;
            for (const auto& [day, o] : events) {
                if (orders.type[o] == "suspension") {
                    if (spans.empty() || spans.back().to) spans.push_back({day, std::nullopt, orders.id[o]});
                } else if (!spans.empty() && !spans.back().to) {
                    spans.back().to = day;
                }
            }
            if (customers.status[c] == "suspended" && (spans.empty() || spans.back().to))
                spans.push_back({context.as_of - lookback, std::nullopt, ""});
            for (const Suspension& span : spans)
                judge(context, frame, meters_of, bills_indexed, c, span, min_kwh, findings);
        }
    }

private:
    void judge(const RuleContext& context, const RegionFrame& frame, const CustomerOrders& meters_of,
               bool bills_indexed, std::size_t c, const Suspension& span, double min_kwh,
               std::vector<Finding>& findings) const {
        const CustomerColumns& customers = frame.customers;
        // Days wholly inside the suspension: after the suspension day, before the resumption day.
        const CivilDate first = span.from + 1;
        const CivilDate last = span.to ? std::min(*span.to - 1, context.as_of) : context.as_of;
        if (last <= first) return;
        double registered = std::nan("");
        std::vector<std::string> meter_ids;
        for (std::uint32_t i = meters_of.first[c]; i < meters_of.first[c + 1]; ++i) {
            const std::uint32_t m = meters_of.rows[i];
            // From the register of the suspension day: the first day wholly suspended counts.
            const double kwh = register_advance_kwh(frame, m, span.from, last);
            if (std::isnan(kwh)) continue;
            registered = std::isnan(registered) ? kwh : registered + kwh;
            if (kwh >= min_kwh) meter_ids.push_back(frame.meters.id[m]);
        }
        double billed = 0;
        std::vector<std::string> bill_ids;
        if (bills_indexed) {
            const BillColumns& bills = frame.bills;
            for (std::uint32_t b = bills.first_of_customer[c]; b < bills.first_of_customer[c + 1]; ++b) {
                if (bills.period[b].first_day() < first || bills.period[b].last_day() > last) continue;
                if (!(bills.kwh_total[b] >= min_kwh)) continue;
                billed += bills.kwh_total[b];
                bill_ids.push_back(bills.id[b]);
            }
        }
        const bool consuming = registered >= min_kwh || billed >= min_kwh;
        if (!consuming) return;
        const double at_risk = registered >= min_kwh ? registered : billed;

        Finding finding = finding_of(info_, "customer", customers.id[c]);
        finding.severity = Severity::high;
        finding.summary = fmt::format("customer {} ({}) suspended since {}{}: {:.1f} kWh {} during the suspension",
                                      customers.id[c], customers.status[c], span.from.to_string(),
                                      span.to ? " until " + span.to->to_string() : std::string(), at_risk,
                                      registered >= min_kwh ? "registered" : "billed");
        finding.evidence_json = Evidence(info_)
                                    .text("status", customers.status[c])
                                    .date("suspended_on", span.from)
                                    .date("resumed_on", span.to)
                                    .text("order_id", span.order_id)
                                    .number("kwh_registered", registered)
                                    .number("kwh_billed", billed)
                                    .texts("bills", bill_ids)
                                    .texts("meters", meter_ids)
                                    .dump();
        finding.kwh_at_risk = at_risk;
        findings.push_back(std::move(finding));
    }

    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_proc_suspension_consuming_rule() {
    return std::make_unique<ProcSuspensionConsumingRule>();
}

}  // namespace gridaudit
