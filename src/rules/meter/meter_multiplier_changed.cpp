// METER-MULTIPLIER-CHANGED: a customer's multiplier changed with a meter replacement that no
// completed meter-change work order covers.
#include <fmt/format.h>

#include "rules/evidence.hpp"
#include "rules/meter/meter_rules.hpp"
#include "rules/meter/meter_service.hpp"

namespace gridaudit {
namespace {

struct Change {
    std::uint32_t customer;
    std::uint32_t before;  // meter removed
    std::uint32_t after;   // meter installed in its place
    bool covered = false;
    std::vector<std::string> other_orders;  // meter-change orders of the customer on other days
};

class MeterMultiplierChangedRule final : public Rule {
public:
    MeterMultiplierChangedRule() {
        info_.id = "METER-MULTIPLIER-CHANGED";
        info_.area = InspectionArea::METER;
        info_.title = "Multiplier changed without a meter-change work order";
        info_.description =
            "meters.csv holds one row per meter, so a change of a customer's multiplier shows as a meter removed and "
            "its successor installed (on or after the removal day) with a different multiplier. Every such change "
            "must go through a meter-change work order (装拆表工单) completed around the change day: the order is "
            "the utility's 'mechanism to check each other' between the field crew that changes the CT and the "
            "billing clerk who changes the multiplier. A change without an order may be a clerical error in the "
            "multiplier or an unrecorded CT swap, and the bills since the change may be wrong by the ratio of the "
            "two multipliers. Findings name the new meter; a different multiplier on the same meter row cannot be "
            "seen (the export keeps no history).";
        info_.parameters = {
            {"relative_tolerance", 0.001, "", "Relative difference of the multipliers below which they are equal."},
            {"order_window_days", 15.0, "days", "A completed order within this many days of the change day covers it."},
            {"order_types", std::vector<std::string>{"meter_change"}, "", "Work-order types that cover a change."},
            {"max_gap_days", 31.0, "days",
             "Largest gap between the removal and the successor's installation that "
             "still makes them one change."},
            {"utc_offset_hours", 8.0, "hours", "Local time of the utility, for the day an order was completed."},
        };
        info_.evidence_fields = {
            "customer_id",       "previous_meter", "previous_multiplier", "multiplier", "change_day",
            "previous_ct_ratio", "ct_ratio",       "previous_pt_ratio",   "pt_ratio",   "other_orders"};
        info_.truth_anomalies = {"multiplier_changed_unordered"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const MeterColumns& meters = frame.meters;
        const double tolerance = settings.number("relative_tolerance");
        const auto window = static_cast<std::int32_t>(settings.number("order_window_days"));
        const auto max_gap = static_cast<std::int32_t>(settings.number("max_gap_days"));
        const auto& types = settings.list("order_types");
        const int offset_minutes = static_cast<int>(settings.number("utc_offset_hours") * 60);

        // Successive meters of one customer with different multipliers (one pass over the meters).
        const CustomerMeters grouped(frame);
        std::vector<Change> changes;
        std::vector<std::int32_t> first_change(frame.customers.size(), -1);
        for (std::size_t c = 0; c < frame.customers.size(); ++c) {
            if (grouped.count(c) < 2) continue;
            for (std::uint32_t i = grouped.first[c] + 1; i < grouped.first[c + 1]; ++i) {
                const std::uint32_t before = grouped.order[i - 1];
                const std::uint32_t after = grouped.order[i];
                const auto& removed = meters.removed_on[before];
                if (!removed || meters.installed_on[after] > context.as_of) continue;
                const std::int32_t gap = meters.installed_on[after] - *removed;
                if (gap < -1 || gap > max_gap) continue;  // overlapping meters are not a replacement
                const double a = meters.multiplier[before];
                const double b = meters.multiplier[after];
                if (!(a > 0) || !(b > 0) || std::abs(a - b) <= tolerance * std::max(a, b)) continue;
                if (first_change[c] < 0) first_change[c] = static_cast<std::int32_t>(changes.size());
                changes.push_back(Change{static_cast<std::uint32_t>(c), before, after, false, {}});
            }
        }
        if (changes.empty()) return;
        // Completed covering orders (one pass over the orders).
        const WorkOrderColumns& orders = frame.work_orders;
        for (std::size_t o = 0; o < orders.size(); ++o) {
            if (!orders.customer[o].valid() || first_change[orders.customer[o].value()] < 0) continue;
            if (std::find(types.begin(), types.end(), orders.type[o]) == types.end()) continue;
            const auto& done = orders.connected_at[o] ? orders.connected_at[o] : orders.closed_at[o];
            if (!done) continue;
            const CivilDate day = done->civil_date(offset_minutes);
            const std::uint32_t c = orders.customer[o].value();
            for (std::size_t k = static_cast<std::size_t>(first_change[c]);
                 k < changes.size() && changes[k].customer == c; ++k) {
                if (std::abs(day - meters.installed_on[changes[k].after]) <= window)
                    changes[k].covered = true;
                else
                    changes[k].other_orders.push_back(orders.id[o]);
            }
        }
        for (const Change& change : changes) {
            if (change.covered) continue;
            const std::size_t before = change.before;
            const std::size_t after = change.after;
            const CivilDate day = meters.installed_on[after];
            Finding finding = finding_of(info_, "meter", meters.id[after]);
            finding.severity = Severity::high;
            finding.summary = fmt::format(
                "Customer {}: multiplier {:g} (meter {}) became {:g} (meter {}) on {} without a completed meter-change "
                "order",
                frame.customers.id[change.customer], meters.multiplier[before], meters.id[before],
                meters.multiplier[after], meters.id[after], day.to_string());
            finding.evidence_json = Evidence(info_)
                                        .text("customer_id", frame.customers.id[change.customer])
                                        .text("previous_meter", meters.id[before])
                                        .number("previous_multiplier", meters.multiplier[before])
                                        .number("multiplier", meters.multiplier[after])
                                        .date("change_day", day)
                                        .text("previous_ct_ratio", meters.ct_ratio_text[before])
                                        .text("ct_ratio", meters.ct_ratio_text[after])
                                        .text("previous_pt_ratio", meters.pt_ratio_text[before])
                                        .text("pt_ratio", meters.pt_ratio_text[after])
                                        .texts("other_orders", change.other_orders)
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_meter_multiplier_changed_rule() {
    return std::make_unique<MeterMultiplierChangedRule>();
}

}  // namespace gridaudit
