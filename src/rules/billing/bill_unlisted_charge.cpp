// BILL-UNLISTED-CHARGE: an amount on a bill that no item of the customer's tariff defines.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "rules/billing/billing_rules.hpp"
#include "rules/billing/billing_scope.hpp"
#include "rules/evidence.hpp"

namespace gridaudit {
namespace {

// Item names compared as a billing clerk would: case, '_', '-' and spaces do not matter.
char folded(char c) {
    return c == '_' || c == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}
bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return folded(x) == folded(y); });
}

// Whether the tariff names an item `item` (a fixed charge or a fund).
bool tariff_defines_item(const Tariff& tariff, std::string_view item) {
    return std::any_of(tariff.fixed_charges.begin(), tariff.fixed_charges.end(),
                       [&](const FixedCharge& charge) { return same_name(charge.name, item); }) ||
           std::any_of(tariff.funds.begin(), tariff.funds.end(), [&](const Fund& fund) { return same_name(fund.name, item); });
}

class BillUnlistedChargeRule final : public Rule {
public:
    BillUnlistedChargeRule() {
        info_.id = "BILL-UNLISTED-CHARGE";
        info_.area = InspectionArea::BILL;
        info_.title = "Charge no tariff item defines";
        info_.description =
            "An amount on a bill that the customer's tariff does not define (arbitrary charges, 乱收费): an "
            "`other_charges` amount whose item is neither a fixed charge nor a fund of the tariff, a basic charge "
            "on a tariff without one, funds and surcharges on a tariff without funds, fixed or minimum charges on "
            "a tariff without them, or a total larger or smaller than the sum of the bill's components.";
        info_.parameters = {
            {"tolerance", 0.01, "currency", "Largest unexplained amount taken as rounding."},
            {"lookback_months", 12.0, "months", "Billing months judged up to the audit day (without --period)."},
        };
        info_.evidence_fields = {"bill_id", "tariff_id", "charges"};
        info_.truth_anomalies = {"unlisted_charge"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const BillColumns& bills = frame.bills;
        if (bills.size() == 0) return;
        const BillWindow window = bill_window(context, settings);
        const auto tolerance = money_units(settings.number("tolerance"));
        for (std::size_t b = 0; b < bills.size(); ++b) {
            if (!window.contains(bills.period[b])) continue;
            const std::size_t c = bills.customer[b].value();
            if (frame.unusable_tariff(frame.customers.tariff_id[c])) continue;  // reported by the audit run
            const Tariff* tariff = nullptr;
            if (frame.tariffs)
                if (auto found = frame.tariffs->find(frame.customers.tariff_id[c], bills.period[b].last_day()))
                    tariff = *found;
            const BilledComponents billed = billed_components(bills, b);
            nlohmann::json charges = nlohmann::json::array();
            Money unexplained;
            const auto add = [&](std::string what, Money amount) {
                charges.push_back({{"charge", std::move(what)}, {"amount", amount.to_string(2)}});
                unexplained += amount;
            };
            if (billed.other.units() != 0 &&
                (tariff == nullptr || !tariff_defines_item(*tariff, bills.other_charges_item[b])))
                add(bills.other_charges_item[b].empty() ? "other charges (no item named)"
                                                        : "other charges: " + bills.other_charges_item[b],
                    billed.other);
            if (tariff != nullptr) {
                if (billed.basic.units() != 0 && !tariff->basic && !tariff->demand)
                    add("basic charge on a tariff without one", billed.basic);
                if (billed.funds.units() != 0 && tariff->funds.empty())
                    add("funds and surcharges on a tariff without funds", billed.funds);
                if (billed.fixed.units() != 0 && tariff->fixed_charges.empty() && tariff->monthly_minimum == Money() &&
                    tariff->yearly_minimum == Money())
                    add("fixed charges on a tariff without fixed or minimum charges", billed.fixed);
            }
            const Money components =
                billed.energy + billed.basic + billed.power_factor + billed.funds + billed.fixed + billed.other;
            const Money gap = bills.total[b] - components;
            if (std::llabs(gap.units()) > tolerance) add("total differs from the sum of its components", gap);
            if (charges.empty()) continue;
            Finding finding = billing_finding(info_, frame, c, bills.period[b].to_string());
            finding.severity = Severity::high;
            finding.summary = fmt::format("bill {} ({}) of customer {} carries {} not defined by tariff {}: {}",
                                          bills.id[b], bills.period[b].to_string(), frame.customers.id[c],
                                          amount_text(unexplained), frame.customers.tariff_id[c],
                                          charges.front()["charge"].get<std::string>());
            finding.evidence_json = Evidence(info_)
                                        .text("bill_id", bills.id[b])
                                        .text("tariff_id", frame.customers.tariff_id[c])
                                        .json("charges", charges)
                                        .dump();
            finding.money_at_risk = Money::from_units(std::llabs(unexplained.units()));
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_bill_unlisted_charge_rule() { return std::make_unique<BillUnlistedChargeRule>(); }

}  // namespace gridaudit
