// PROC-CHANGE-NOT-APPLIED: a finished change order (capacity, category, suspension, resumption,
// closure, meter change) whose new value is missing from the master data or the next bills.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "rules/evidence.hpp"
#include "rules/process/process_rules.hpp"
#include "rules/process/process_scope.hpp"

namespace gridaudit {
namespace {

double parse_kva(const std::string& text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && value >= 0 ? value : std::nan("");
}

enum class ChangeKind : std::uint8_t { capacity, category, status, meter };

std::optional<ChangeKind> change_kind(const std::string& type) {
    if (type == "capacity_increase" || type == "capacity_decrease") return ChangeKind::capacity;
    if (type == "category_change") return ChangeKind::category;
    if (type == "suspension" || type == "resumption" || type == "closure") return ChangeKind::status;
    if (type == "meter_change") return ChangeKind::meter;
    return std::nullopt;
}

std::string expected_status(const std::string& type) {
    if (type == "suspension") return "suspended";
    if (type == "resumption") return "active";
    return "closed";
}

class ProcChangeNotAppliedRule final : public Rule {
public:
    ProcChangeNotAppliedRule() {
        info_.id = "PROC-CHANGE-NOT-APPLIED";
        info_.area = InspectionArea::PROC;
        info_.title = "Finished change not carried into the master data or bills";
        info_.description =
            "A change order that is finished (closed) but whose result the customer's records do not show: after a "
            "capacity increase or decrease the contracted capacity is not the new one (or the first whole month's "
            "basic charge of a per-kVA two-part tariff is not on the new capacity); after a category change the "
            "category, or the category of the tariff billed, is not the new one; after a suspension, resumption or "
            "closure the account status is not suspended, active or closed; after a meter change the new meter "
            "is not registered to the customer or the old one is still in service. Only the latest finished order "
            "of each kind per customer is judged (a later one supersedes it). Such gaps let a customer use more "
            "capacity than billed, stay on a cheaper price, or be billed from the wrong meter. The basic charge "
            "missing from the whole months billed on less than the new capacity is the money at risk.";
        info_.parameters = {
            {"capacity_tolerance_kva", 0.5, "kVA",
             "Difference between the order's new capacity and the record "
             "(or the capacity implied by the basic charge) that is ignored."},
            {"meter_tolerance_days", 3.0, "days",
             "Days between the meter change and the new meter's installation (or the old one's removal) that are "
             "ignored."},
            {"grace_days", 0.0, "days", "Days after the change before the master data must show it."},
            {"utc_offset_hours", 8.0, "hours", "Local time of the utility, for the day each step happened."},
        };
        info_.evidence_fields = {"order_type",   "customer_id", "old_value", "new_value",
                                 "effective_on", "recorded",    "problems"};
        info_.truth_anomalies = {"change_not_applied"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const WorkOrderColumns& orders = frame.work_orders;
        const CustomerColumns& customers = frame.customers;
        const double offset = settings.number("utc_offset_hours");
        const auto grace = static_cast<std::int32_t>(settings.number("grace_days"));
        const CustomerOrders by_customer = orders_by_customer(orders, customers.size());
        const CustomerOrders meters_of = meters_by_customer(frame.meters, customers.size());
        for (std::size_t c = 0; c < customers.size(); ++c) {
            // The latest finished order of each kind (by effective day, then acceptance).
            std::array<std::optional<std::pair<CivilDate, std::uint32_t>>, 4> latest;
            for (std::uint32_t i = by_customer.first[c]; i < by_customer.first[c + 1]; ++i) {
                const std::uint32_t o = by_customer.rows[i];
                const auto kind = change_kind(orders.type[o]);
                if (!kind) continue;
                const auto day = order_effective_day(orders, o, context.as_of, offset);
                if (!day || *day + grace > context.as_of) continue;
                auto& slot = latest[static_cast<std::size_t>(*kind)];
                if (!slot || slot->first <= *day) slot = std::make_pair(*day, o);
            }
            for (std::size_t k = 0; k < latest.size(); ++k) {
                if (!latest[k]) continue;
                const auto [day, o] = *latest[k];
                std::string recorded;
                std::vector<std::string> problems;
                Money missing;  // basic charge not billed after a capacity change
                switch (static_cast<ChangeKind>(k)) {
                    case ChangeKind::capacity:
                        judge_capacity(frame, settings, c, o, day, recorded, problems, missing);
                        break;
                    case ChangeKind::category:
                        judge_category(frame, c, o, day, recorded, problems);
                        break;
                    case ChangeKind::status:
                        recorded = "status=" + customers.status[c];
                        if (customers.status[c] != expected_status(orders.type[o]))
                            problems.push_back(
                                fmt::format("status is {} after the {}", customers.status[c], orders.type[o]));
                        break;
                    case ChangeKind::meter:
                        judge_meter(frame, settings, meters_of, c, o, day, recorded, problems);
                        break;
                }
                if (problems.empty()) continue;
                Finding finding = work_order_finding(info_, orders, o);
                finding.severity = Severity::medium;
                finding.summary = fmt::format("{} {} of customer {} ({} -> {}, {}) not applied: {}", orders.type[o],
                                              orders.id[o], customers.id[c], orders.old_value[o], orders.new_value[o],
                                              day.to_string(), fmt::join(problems, "; "));
                finding.evidence_json = Evidence(info_)
                                            .text("order_type", orders.type[o])
                                            .text("customer_id", customers.id[c])
                                            .text("old_value", orders.old_value[o])
                                            .text("new_value", orders.new_value[o])
                                            .date("effective_on", day)
                                            .text("recorded", recorded)
                                            .texts("problems", problems)
                                            .dump();
                if (missing.units() > 0) finding.money_at_risk = missing;
                findings.push_back(std::move(finding));
            }
        }
    }

private:
    // Contracted capacity against the new value; the basic charge of the first whole month after the
    // change against it, when the customer's tariff charges per kVA of capacity.
    static void judge_capacity(const RegionFrame& frame, const RuleSettings& settings, std::size_t c, std::uint32_t o,
                               CivilDate day, std::string& recorded, std::vector<std::string>& problems,
                               Money& missing) {
        const CustomerColumns& customers = frame.customers;
        const double tolerance = settings.number("capacity_tolerance_kva");
        const double wanted = parse_kva(frame.work_orders.new_value[o]);
        recorded = fmt::format("contracted_kva={}", customers.contracted_kva[c]);
        if (std::isnan(wanted)) {
            problems.push_back(fmt::format("new value '{}' is not a capacity in kVA", frame.work_orders.new_value[o]));
            return;
        }
        if (std::fabs(customers.contracted_kva[c] - wanted) > tolerance)
            problems.push_back(fmt::format("contracted capacity is {} kVA, the order set {} kVA",
                                           customers.contracted_kva[c], wanted));
        if (!frame.tariffs || frame.bills.first_of_customer.size() != customers.size() + 1) return;
        // Whole months after the change on a per-kVA basic charge: the first one is judged; the basic
        // charge missing on every one of them (the new capacity priced, less what was billed) is the
        // money at risk.
        const BillColumns& bills = frame.bills;
        bool judged = false;
        for (std::uint32_t b = bills.first_of_customer[c]; b < bills.first_of_customer[c + 1]; ++b) {
            if (bills.period[b].first_day() <= day) continue;
            const auto tariff = frame.tariffs->find(customers.tariff_id[c], bills.period[b].first_day());
            if (!tariff || !(*tariff)->basic || (*tariff)->basic->basis != BasicChargeBasis::capacity ||
                !bills.basic_charge[b] || (*tariff)->basic->price.units() <= 0)
                continue;
            const double price = static_cast<double>((*tariff)->basic->price.units()) / 1e8;
            const double billed_kva = static_cast<double>(bills.basic_charge[b]->units()) / 1e4 / price;
            const bool off = std::fabs(billed_kva - wanted) > std::max(tolerance, 0.01 * wanted);
            if (!judged && off)
                problems.push_back(fmt::format("basic charge of {} is on {:.1f} kVA, not {} kVA",
                                               bills.period[b].to_string(), billed_kva, wanted));
            judged = true;
            if (off && billed_kva < wanted)
                missing = missing + Money::from_units(std::llround((wanted - billed_kva) * price * 1e4));
        }
    }

    // Category against the new value, and the category the billed tariff is meant for.
    static void judge_category(const RegionFrame& frame, std::size_t c, std::uint32_t o, CivilDate day,
                               std::string& recorded, std::vector<std::string>& problems) {
        const CustomerColumns& customers = frame.customers;
        const std::string& wanted = frame.work_orders.new_value[o];
        recorded = "category=" + customers.category[c] + " tariff_id=" + customers.tariff_id[c];
        if (customers.category[c] != wanted)
            problems.push_back(fmt::format("category is {}, the order set {}", customers.category[c], wanted));
        if (!frame.tariffs) return;
        const auto tariff = frame.tariffs->find(customers.tariff_id[c], day);
        if (tariff && !(*tariff)->category.empty() && (*tariff)->category != wanted)
            problems.push_back(fmt::format("tariff {} is for {} customers, not {}", customers.tariff_id[c],
                                           (*tariff)->category, wanted));
    }

    // new_value names the meter installed, old_value the meter removed (meters.csv meter_id).
    static void judge_meter(const RegionFrame& frame, const RuleSettings& settings, const CustomerOrders& meters_of,
                            std::size_t c, std::uint32_t o, CivilDate day, std::string& recorded,
                            std::vector<std::string>& problems) {
        const MeterColumns& meters = frame.meters;
        const auto tolerance = static_cast<std::int32_t>(settings.number("meter_tolerance_days"));
        const std::string& new_id = frame.work_orders.new_value[o];
        const std::string& old_id = frame.work_orders.old_value[o];
        std::optional<std::uint32_t> installed, removed;
        std::vector<std::string> listed;
        for (std::uint32_t i = meters_of.first[c]; i < meters_of.first[c + 1]; ++i) {
            const std::uint32_t m = meters_of.rows[i];
            listed.push_back(meters.id[m] +
                             (meters.removed_on[m] ? " removed " + meters.removed_on[m]->to_string() : ""));
            if (!new_id.empty() && meters.id[m] == new_id) installed = m;
            if (!old_id.empty() && meters.id[m] == old_id) removed = m;
        }
        recorded = fmt::format("meters={}", fmt::join(listed, ", "));
        if (!new_id.empty() && !installed)
            problems.push_back(fmt::format("new meter {} is not registered to the customer", new_id));
        if (installed && (meters.installed_on[*installed] > day + tolerance ||
                          (meters.removed_on[*installed] && *meters.removed_on[*installed] <= day)))
            problems.push_back(fmt::format(
                "new meter {} is recorded in service from {}{}", new_id, meters.installed_on[*installed].to_string(),
                meters.removed_on[*installed] ? " to " + meters.removed_on[*installed]->to_string() : std::string()));
        if (removed && (!meters.removed_on[*removed] || *meters.removed_on[*removed] > day + tolerance))
            problems.push_back(fmt::format("old meter {} is still in service", old_id));
    }

    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_proc_change_not_applied_rule() {
    return std::make_unique<ProcChangeNotAppliedRule>();
}

}  // namespace gridaudit
