// BILL-RECOMPUTE-MISMATCH: an issued bill's component differs from the same bill recomputed from
// its own quantities under the customer's tariff.
#include <fmt/format.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "rules/billing/billing_rules.hpp"
#include "rules/billing/billing_scope.hpp"
#include "rules/evidence.hpp"

namespace gridaudit {
namespace {

struct ComponentCheck {
    const char* name;
    Money billed;
    Money recomputed;
};

class BillRecomputeMismatchRule final : public Rule {
public:
    BillRecomputeMismatchRule() {
        info_.id = "BILL-RECOMPUTE-MISMATCH";
        info_.area = InspectionArea::BILL;
        info_.title = "Bill differs from its recomputation";
        info_.description =
            "Each bill is priced again from its own quantities (kWh by time-of-use register, kvarh, demand), the "
            "customer's capacity, power-factor standard and supply dates, under the version of the customer's "
            "tariff in force in the billing month, with tier accumulation carried from the customer's first bill. "
            "A component (energy, basic charge, power-factor adjustment, funds and surcharges, fixed charges) "
            "that differs by more than the tolerance is a finding, itemised. A bill whose tariff is missing or "
            "cannot price it is a finding too; a stored tariff that cannot be used at all is reported once by the "
            "audit run (a warning and its record) and its customers' bills are left alone. Bills that are zero throughout are left to BILL-ZERO-WITH-CAPACITY; "
            "amounts outside the tariff's components to BILL-UNLISTED-CHARGE.";
        info_.parameters = {
            {"tolerance", 0.01, "currency", "Largest difference per component taken as rounding."},
            {"lookback_months", 12.0, "months", "Billing months judged up to the audit day (without --period)."},
        };
        info_.evidence_fields = {"bill_id",          "tariff_id", "components", "billed_total",
                                 "recomputed_total", "problem",   "bills"};
        info_.truth_anomalies = {"bill_recompute_mismatch"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const BillColumns& bills = frame.bills;
        if (bills.size() == 0) return;
        const BillWindow window = bill_window(context, settings);
        const auto tolerance = money_units(settings.number("tolerance"));
        for (std::size_t c = 0; c < frame.customers.size(); ++c) {
            const BillRange range = bills_of_customer(bills, c);
            bool any_in_window = false;
            for (std::size_t b = range.begin; b < range.end; ++b) any_in_window |= window.contains(bills.period[b]);
            if (!any_in_window) continue;
            // A stored tariff that cannot be used is reported once by the audit run, not per customer.
            if (frame.unusable_tariff(frame.customers.tariff_id[c])) continue;
            const auto recomputed = recompute_customer_bills(frame, c);
            std::string unpriced_problem;
            std::string unpriced_period;
            std::vector<std::string> unpriced_bills;
            for (std::size_t b = range.begin; b < range.end; ++b) {
                if (!window.contains(bills.period[b]) || all_zero(bills, b)) continue;
                const RecomputedBill& result = recomputed[b - range.begin];
                if (!result.bill) {
                    unpriced_problem = result.problem;
                    unpriced_period = bills.period[b].to_string();
                    unpriced_bills.push_back(bills.id[b]);
                    continue;
                }
                report_differences(frame, c, b, *result.bill, tolerance, findings);
            }
            if (!unpriced_bills.empty()) {
                Finding finding = billing_finding(info_, frame, c, unpriced_period);
                finding.severity = Severity::medium;
                finding.summary = fmt::format("{} bill(s) of customer {} cannot be recomputed: {}",
                                              unpriced_bills.size(), frame.customers.id[c], unpriced_problem);
                finding.evidence_json = Evidence(info_)
                                            .text("bill_id", unpriced_bills.back())
                                            .texts("bills", unpriced_bills)
                                            .text("tariff_id", frame.customers.tariff_id[c])
                                            .text("problem", unpriced_problem)
                                            .dump();
                findings.push_back(std::move(finding));
            }
        }
    }

private:
    static bool all_zero(const BillColumns& bills, std::size_t b) {
        return bills.kwh_total[b] == 0 && bills.total[b] == Money();
    }

    void report_differences(const RegionFrame& frame, std::size_t c, std::size_t b, const MonthBill& bill,
                            std::int64_t tolerance, std::vector<Finding>& findings) const {
        const BilledComponents billed = billed_components(frame.bills, b);
        const auto component = [&](BillComponent which) { return bill.component(which); };
        const ComponentCheck checks[] = {
            {"energy_charge", billed.energy, component(BillComponent::energy) + component(BillComponent::demand)},
            {"basic_charge", billed.basic, component(BillComponent::basic)},
            {"pf_adjustment", billed.power_factor, component(BillComponent::power_factor)},
            {"surcharges", billed.funds, component(BillComponent::funds)},
            {"fixed_charges", billed.fixed, component(BillComponent::fixed) + component(BillComponent::minimum)},
        };
        nlohmann::json differing = nlohmann::json::object();
        Money difference;
        std::string first_name;
        for (const ComponentCheck& check : checks) {
            const Money delta = check.billed - check.recomputed;
            if (std::llabs(delta.units()) <= tolerance) continue;
            if (first_name.empty()) first_name = check.name;
            differing[check.name] = {{"billed", check.billed.to_string(2)},
                                     {"recomputed", check.recomputed.to_string(2)},
                                     {"difference", delta.to_string(2)}};
            difference += delta;
        }
        if (differing.empty()) return;
        const BillColumns& bills = frame.bills;
        Finding finding = billing_finding(info_, frame, c, bills.period[b].to_string());
        finding.severity = std::llabs(difference.units()) >= 100 * Money::units_per_currency ? Severity::high
                                                                                            : Severity::medium;
        finding.summary = fmt::format("bill {} ({}) of customer {}: {} differs from the recomputed bill by {}{}",
                                      bills.id[b], bills.period[b].to_string(), frame.customers.id[c], first_name,
                                      amount_text(difference), differing.size() > 1 ? " (with other components)" : "");
        finding.evidence_json = Evidence(info_)
                                    .text("bill_id", bills.id[b])
                                    .text("tariff_id", frame.customers.tariff_id[c])
                                    .json("components", std::move(differing))
                                    .money("billed_total", bills.total[b])
                                    .money("recomputed_total", bill.total)
                                    .dump();
        finding.money_at_risk = Money::from_units(std::llabs(difference.units()));
        findings.push_back(std::move(finding));
    }

    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_bill_recompute_mismatch_rule() { return std::make_unique<BillRecomputeMismatchRule>(); }

}  // namespace gridaudit
