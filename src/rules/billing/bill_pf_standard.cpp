// BILL-PF-STANDARD: the customer's power-factor standard is not the one the 1983 rules prescribe,
// or bills carry an adjustment where none is due.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "rules/billing/billing_rules.hpp"
#include "rules/billing/billing_scope.hpp"
#include "rules/evidence.hpp"

namespace gridaudit {
namespace {

std::string standard_text(std::optional<PowerFactorStandard> standard) {
    return standard ? std::string(power_factor_standard_name(*standard)) : std::string("none");
}

bool listed(const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

class BillPfStandardRule final : public Rule {
public:
    BillPfStandardRule() {
        info_.id = "BILL-PF-STANDARD";
        info_.area = InspectionArea::BILL;
        info_.title = "Wrong power-factor standard";
        info_.description =
            "The power-factor adjustment standard a customer is billed under differs from the one the 1983 rules "
            "prescribe (REFERENCE.md section 5): 0.90 for high-voltage industrial customers of 160 kVA and more, "
            "0.80 for agricultural customers of 100 kVA and more, 0.85 for other non-residential customers of "
            "100 kVA and more, none below 100 kVA or for residential customers. Bills of a customer without a "
            "standard that carry a power-factor adjustment are findings too. The money at risk is the difference "
            "the customer's bills make recomputed under the prescribed standard.";
        info_.parameters = {
            {"min_kva", 100.0, "kVA", "Capacity from which an adjustment applies."},
            {"industrial_0_90_kva", 160.0, "kVA", "Capacity from which high-voltage industry is held to 0.90."},
            {"high_voltage_kv", 1.0, "kV", "Supply voltage from which a customer counts as high-voltage."},
            {"industrial_categories", std::vector<std::string>{"industrial", "large_industrial"}, "",
             "Categories held to 0.90 at high voltage."},
            {"agricultural_categories", std::vector<std::string>{"agricultural"}, "", "Categories held to 0.80."},
            {"exempt_categories", std::vector<std::string>{"residential"}, "", "Categories never adjusted."},
            {"lookback_months", 12.0, "months", "Billing months judged up to the audit day (without --period)."},
        };
        info_.evidence_fields = {"category", "voltage_kv", "contracted_kva", "pf_standard", "prescribed",
                                 "adjusted_bills", "difference_under_prescribed"};
        info_.truth_anomalies = {"pf_standard_wrong"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const CustomerColumns& customers = frame.customers;
        const BillWindow window = bill_window(context, settings);
        for (std::size_t c = 0; c < customers.size(); ++c) {
            if (customers.status[c] == "closed") continue;
            const auto recorded = customer_pf_standard(customers.pf_standard[c]);
            const auto due = prescribed(settings, customers.category[c], customers.voltage_kv[c],
                                        customers.contracted_kva[c]);
            std::vector<std::string> adjusted_bills;
            if (!recorded && !due) {
                const BillRange range = bills_of_customer(frame.bills, c);
                for (std::size_t b = range.begin; b < range.end; ++b)
                    if (window.contains(frame.bills.period[b]) && frame.bills.pf_adjustment[b] &&
                        frame.bills.pf_adjustment[b]->units() != 0)
                        adjusted_bills.push_back(frame.bills.id[b]);
            }
            const bool wrong_standard = recorded != due && !std::isnan(customers.contracted_kva[c]);
            if (!wrong_standard && adjusted_bills.empty()) continue;
            Finding finding = billing_finding(info_, frame, c, "");
            finding.severity = Severity::medium;
            finding.summary =
                wrong_standard
                    ? fmt::format("customer {} ({} kVA {} at {} kV) is adjusted to standard {}; the rules prescribe {}",
                                  customers.id[c], customers.contracted_kva[c], customers.category[c],
                                  customers.voltage_kv[c], standard_text(recorded), standard_text(due))
                    : fmt::format("{} bill(s) of customer {} carry a power-factor adjustment although none is due",
                                  adjusted_bills.size(), customers.id[c]);
            Evidence evidence(info_);
            evidence.text("category", customers.category[c])
                .number("voltage_kv", customers.voltage_kv[c])
                .number("contracted_kva", customers.contracted_kva[c])
                .text("pf_standard", standard_text(recorded))
                .text("prescribed", standard_text(due))
                .texts("adjusted_bills", adjusted_bills);
            // The bills in the window recomputed under the prescribed standard.
            if (const auto difference = recompute_difference(frame, c, window, RecomputeAs{std::nullopt, due})) {
                finding.money_at_risk = *difference;
                evidence.money("difference_under_prescribed", *difference);
            }
            finding.evidence_json = evidence.dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    static std::optional<PowerFactorStandard> prescribed(const RuleSettings& settings, const std::string& category,
                                                         double voltage_kv, double kva) {
        if (listed(settings.list("exempt_categories"), category) || !(kva >= settings.number("min_kva")))
            return std::nullopt;
        if (listed(settings.list("agricultural_categories"), category)) return PowerFactorStandard::pf_0_80;
        if (listed(settings.list("industrial_categories"), category) && voltage_kv >= settings.number("high_voltage_kv") &&
            kva >= settings.number("industrial_0_90_kva"))
            return PowerFactorStandard::pf_0_90;
        return PowerFactorStandard::pf_0_85;
    }

    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_bill_pf_standard_rule() { return std::make_unique<BillPfStandardRule>(); }

}  // namespace gridaudit
