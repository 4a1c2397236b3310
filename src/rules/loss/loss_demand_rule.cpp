// LOSS-DEMAND-ABOVE-CONTRACT (私增容): customers whose billed maximum demand (the demand register x
// the multiplier) exceeds their contracted capacity in several months of a window ending with the
// audited month. The finding carries what the penalty needs (the capacity above the contract, the
// months, the tariff's basic price); the audit adds the penalty itself, computed by recovery/
// (audit/capacity_penalty.hpp), since rules sit above the recovery calculator.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "rules/evidence.hpp"
#include "rules/loss/loss_rules.hpp"

namespace gridaudit {
namespace {

class LossDemandRule final : public Rule {
public:
    LossDemandRule() {
        info_.id = "LOSS-DEMAND-ABOVE-CONTRACT";
        info_.area = InspectionArea::LOSS;
        info_.title = "Maximum demand above the contracted capacity (capacity added without a contract)";
        info_.description =
            "A customer that connects equipment beyond its contract (私增容) draws more than its contracted "
            "capacity: its monthly maximum demand (the demand register x the multiplier, as billed: bills.csv "
            "demand_kw) exceeds contracted_kva. A customer is reported when its billed maximum demand is above "
            "ratio x contracted_kva in at least min_months of the last window_months months up to the audited month "
            "(kW against kVA: at a power factor below 1 the real apparent power is higher still, so the test is "
            "conservative). The evidence names the months, the largest demand and the capacity above the contract "
            "(largest demand less contracted capacity, kW counted as kVA), with the basic price of the customer's "
            "two-part tariff; the audit adds the Supply Business Rules art. 100 penalty for capacity above the "
            "contract computed by the recovery calculator (docs/recovery.md: for a two-part customer the basic "
            "charge of the added capacity over the months used times the policy's multiple; otherwise a fixed "
            "amount per kW), which is also the finding's money at risk.";
        info_.parameters.push_back(
            {"ratio", 1.1, "", "Demand above this multiple of contracted_kva counts as above the contract."});
        info_.parameters.push_back(
            {"window_months", 6.0, "months", "Months up to the audited month that are looked at."});
        info_.parameters.push_back({"min_months", 3.0, "months", "Months above the contract needed for a finding."});
        info_.evidence_fields = {"contracted_kva", "max_demand_kw", "months_above", "periods", "from", "to", "added_kw",
                                 "two_part", "basic_price", "tariff_id",
                                 // Added by the audit (audit/capacity_penalty.hpp):
                                 "basic_charge", "penalty", "penalty_article", "penalty_formula", "penalty_error"};
        info_.truth_anomalies = {"demand_above_contract"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const BillColumns& bills = frame.bills;
        if (bills.first_of_customer.size() != frame.customers.size() + 1) return;
        const Period last = context.period ? *context.period : Period::of(context.as_of);
        const Period first = last - (static_cast<std::int32_t>(settings.number("window_months")) - 1);
        const double ratio = settings.number("ratio");
        const auto min_months = static_cast<std::int64_t>(settings.number("min_months"));
        for (std::size_t c = 0; c < frame.customers.size(); ++c) {
            const double contracted = frame.customers.contracted_kva[c];
            if (!(contracted > 0)) continue;
            std::vector<std::string> periods;
            double largest = 0;
            for (std::uint32_t b = bills.first_of_customer[c]; b < bills.first_of_customer[c + 1]; ++b) {
                if (bills.period[b] < first || last < bills.period[b]) continue;
                const double demand = bills.demand_kw[b];
                if (!(demand > ratio * contracted)) continue;
                if (std::find(periods.begin(), periods.end(), bills.period[b].to_string()) == periods.end())
                    periods.push_back(bills.period[b].to_string());
                largest = std::max(largest, demand);
            }
            if (static_cast<std::int64_t>(periods.size()) < min_months) continue;
            std::sort(periods.begin(), periods.end());
            // The basic price of its tariff in force at the window's end, when the tariff has one.
            const std::string& tariff_id = frame.customers.tariff_id[c];
            const Tariff* tariff = nullptr;
            if (frame.tariffs) {
                if (auto found = frame.tariffs->find(tariff_id, last.last_day())) tariff = *found;
            }
            const bool two_part = tariff != nullptr && tariff->basic.has_value();
            const double added = std::ceil((largest - contracted) * 100) / 100;
            Finding finding = finding_of(info_, "customer", frame.customers.id[c]);
            finding.period = last.to_string();
            finding.severity = Severity::high;
            finding.summary = fmt::format(
                "customer {} ({} kVA contracted) drew up to {:.1f} kW in {} of the months {} to {}: {:.2f} kW above "
                "the contract",
                frame.customers.id[c], contracted, largest, periods.size(), first.to_string(), last.to_string(), added);
            Evidence evidence(info_);
            evidence.number("contracted_kva", contracted)
                .number("max_demand_kw", largest)
                .integer("months_above", static_cast<std::int64_t>(periods.size()))
                .texts("periods", periods)
                .text("from", periods.front())
                .text("to", periods.back())
                .number("added_kw", added)
                .flag("two_part", two_part)
                .text("tariff_id", tariff_id);
            if (two_part)
                evidence.text("basic_price", tariff->basic->price.to_string());
            else
                evidence.null("basic_price");
            finding.evidence_json = evidence.dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_loss_demand_rule() {
    return std::make_unique<LossDemandRule>();
}

}  // namespace gridaudit
