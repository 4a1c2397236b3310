// BILL-ZERO-WITH-CAPACITY: a connected customer with capacity billed zero for consecutive months.
#include <fmt/format.h>

#include <algorithm>

#include "rules/billing/billing_rules.hpp"
#include "rules/billing/billing_scope.hpp"
#include "rules/evidence.hpp"

namespace gridaudit {
namespace {

class BillZeroWithCapacityRule final : public Rule {
public:
    BillZeroWithCapacityRule() {
        info_.id = "BILL-ZERO-WITH-CAPACITY";
        info_.area = InspectionArea::BILL;
        info_.title = "Connected capacity billed zero for months";
        info_.description =
            "An active customer with contracted capacity whose bills show no energy for several consecutive "
            "months: the meter is stopped or bypassed, or billing has stopped while the customer consumes. "
            "Residential customers are exempt by default (vacant dwellings are common; the loss analysis "
            "covers them). The evidence says whether the billing reads advanced over those months.";
        info_.parameters = {
            {"min_months", 3.0, "months", "Consecutive zero bills that make a finding."},
            {"min_kva", 1.0, "kVA", "Smallest contracted capacity judged."},
            {"exempt_categories", std::vector<std::string>{"residential"}, "", "Categories not judged."},
            {"lookback_months", 12.0, "months", "Billing months judged up to the audit day (without --period)."},
        };
        info_.evidence_fields = {"zero_periods", "contracted_kva", "category", "read_kwh"};
        info_.truth_anomalies = {"zero_with_capacity"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const CustomerColumns& customers = frame.customers;
        const BillColumns& bills = frame.bills;
        if (bills.size() == 0) return;
        const BillWindow window = bill_window(context, settings);
        const auto min_months = static_cast<std::size_t>(settings.number("min_months"));
        const auto& exempt = settings.list("exempt_categories");
        for (std::size_t c = 0; c < customers.size(); ++c) {
            if (customers.status[c] != "active" || !(customers.contracted_kva[c] >= settings.number("min_kva")) ||
                std::find(exempt.begin(), exempt.end(), customers.category[c]) != exempt.end())
                continue;
            const BillRange range = bills_of_customer(bills, c);
            // The longest run of consecutive zero-energy months in the window.
            std::vector<std::size_t> run, longest;
            for (std::size_t b = range.begin; b < range.end; ++b) {
                const bool zero = window.contains(bills.period[b]) && bills.kwh_total[b] == 0;
                const bool consecutive = !run.empty() && bills.period[run.back()] + 1 == bills.period[b];
                if (!zero) {
                    run.clear();
                    continue;
                }
                if (!consecutive) run.clear();
                run.push_back(b);
                if (run.size() > longest.size()) longest = run;
            }
            if (longest.size() < min_months) continue;
            std::vector<std::string> periods;
            for (const std::size_t b : longest) periods.push_back(bills.period[b].to_string());
            const double read_kwh = read_energy(frame, c, bills.period[longest.front()].first_day(),
                                                bills.period[longest.back()].last_day());
            Finding finding = billing_finding(info_, frame, c, periods.back());
            finding.severity = read_kwh > 0 ? Severity::high : Severity::medium;
            finding.summary = fmt::format("customer {} ({} kVA {}) billed zero for {} consecutive months ({} to {}){}",
                                          customers.id[c], customers.contracted_kva[c], customers.category[c],
                                          periods.size(), periods.front(), periods.back(),
                                          read_kwh > 0 ? fmt::format("; its reads advanced {:.2f} kWh", read_kwh) : "");
            finding.evidence_json = Evidence(info_)
                                        .texts("zero_periods", periods)
                                        .number("contracted_kva", customers.contracted_kva[c])
                                        .text("category", customers.category[c])
                                        .number("read_kwh", read_kwh >= 0 ? std::optional<double>(read_kwh)
                                                                          : std::nullopt)  // < 0: no reads
                                        .dump();
            if (read_kwh > 0) finding.kwh_at_risk = read_kwh;
            findings.push_back(std::move(finding));
        }
    }

private:
    // kWh the customer's billing reads advanced from the last read before `first` to the last read
    // on or before `last`, over its meters; -1 when no meter has both reads.
    static double read_energy(const RegionFrame& frame, std::size_t c, CivilDate first, CivilDate last) {
        const BillingReadColumns& reads = frame.billing_reads;
        double kwh = -1;
        for (std::size_t m = 0; m < frame.meters.size(); ++m) {
            if (!frame.meters.customer[m].valid() || frame.meters.customer[m].value() != c) continue;
            const auto begin = std::lower_bound(reads.meter.begin(), reads.meter.end(), MeterIndex(static_cast<std::uint32_t>(m)));
            const auto end = std::upper_bound(begin, reads.meter.end(), MeterIndex(static_cast<std::uint32_t>(m)));
            std::optional<double> opening, closing;
            for (auto it = begin; it != end; ++it) {
                const std::size_t r = static_cast<std::size_t>(it - reads.meter.begin());
                if (reads.read_on[r] < first) opening = reads.value[r];
                if (reads.read_on[r] <= last) closing = reads.value[r];
            }
            if (!opening || !closing || *closing < *opening) continue;
            kwh = std::max(kwh, 0.0) + (*closing - *opening) * frame.meters.multiplier[m];
        }
        return kwh;
    }

    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_bill_zero_with_capacity_rule() { return std::make_unique<BillZeroWithCapacityRule>(); }

}  // namespace gridaudit
