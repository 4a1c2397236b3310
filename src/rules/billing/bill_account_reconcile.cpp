// BILL-ACCOUNT-RECONCILE: the fee accounts do not reconcile (bills, payments, late-payment charges,
// daily collections).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "rules/billing/billing_rules.hpp"
#include "rules/billing/billing_scope.hpp"
#include "rules/evidence.hpp"
#include "rules/late_payment.hpp"

namespace gridaudit {
namespace {

class BillAccountReconcileRule final : public Rule {
public:
    BillAccountReconcileRule() {
        info_.id = "BILL-ACCOUNT-RECONCILE";
        info_.area = InspectionArea::BILL;
        info_.title = "Fee accounts do not reconcile";
        info_.description =
            "The fee accounts are checked against each other: a bill marked paid whose payments do not cover "
            "it; a payment allocated to no bill, or to a bill of another customer; a payment after the due day "
            "without a late-payment charge (art. 98) and without a recorded waiver approval, or with a charge below or "
            "above the one art. 98 gives (computed as `gridaudit recover late-payment` computes it, from the rates, "
            "minimum and rounding of the policy's [recovery] section: the rate decided day by day, the days of the "
            "arrears' year at the current-year rate and the days after it at the earlier-years rate); a day's collection "
            "total on a channel that differs from the sum of that day's payments on it (amount plus late-payment "
            "charge), or a day's payments on a channel with no collection total while other channels have one.";
        info_.parameters = {
            {"tolerance", 0.01, "currency", "Largest difference taken as rounding."},
            {"grace_days", 0.0, "days",
             "Days after the due day before a missing late-payment charge is reported (a charge levied sooner is "
             "still checked)."},
            {"lookback_months", 12.0, "months", "Billing months judged up to the audit day (without --period)."},
        };
        info_.evidence_fields = {
            "problem",           "bill_id",          "payment_id",     "billed",         "paid",
            "due_on",            "paid_on",          "days_late",      "customer_class", "arrears_year",
            "this_year_days",    "this_year_rate",   "earlier_years_days", "earlier_years_rate", "minimum_applied",
            "expected_late_fee", "charged_late_fee", "difference",     "collected",      "collected_payments",
            "payments_sum",      "payments"};
        info_.truth_anomalies = {"account_paid_without_payment", "account_payment_without_bill",
                                 "account_late_fee_missing", "account_late_fee_under_charged",
                                 "account_late_fee_over_charged", "account_collection_mismatch"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const RegionFrame& frame = context.frame;
        const BillColumns& bills = frame.bills;
        const PaymentColumns& payments = frame.payments;
        const BillWindow window = bill_window(context, settings);
        const auto tolerance = money_units(settings.number("tolerance"));
        const LatePaymentTerms terms = LatePaymentTerms::from(settings);
        std::vector<Money> paid(bills.size());
        for (std::size_t p = 0; p < payments.size(); ++p)
            if (payments.bill[p].valid()) paid[payments.bill[p].value()] += payments.amount[p];

        for (std::size_t b = 0; b < bills.size(); ++b) {
            if (!window.contains(bills.period[b]) || bills.payment_status[b] != PaymentStatus::paid) continue;
            if ((bills.total[b] - paid[b]).units() <= tolerance) continue;
            const std::size_t c = bills.customer[b].value();
            Finding finding = billing_finding(info_, frame, c, bills.period[b].to_string());
            finding.severity = Severity::high;
            finding.summary = fmt::format("bill {} ({}) of customer {} is marked paid; payments cover {} of {}",
                                          bills.id[b], bills.period[b].to_string(), frame.customers.id[c],
                                          amount_text(paid[b]), amount_text(bills.total[b]));
            finding.evidence_json = Evidence(info_)
                                        .text("problem", "paid_without_payment")
                                        .text("bill_id", bills.id[b])
                                        .money("billed", bills.total[b])
                                        .money("paid", paid[b])
                                        .dump();
            finding.money_at_risk = bills.total[b] - paid[b];
            findings.push_back(std::move(finding));
        }

        for (std::size_t p = 0; p < payments.size(); ++p) {
            if (!in_window(window, payments.paid_on[p])) continue;
            const BillIndex bill = payments.bill[p];
            const CustomerIndex payer = payments.customer[p];
            // Allocated to no bill, or to a bill of another customer.
            const bool unallocated = payments.bill_id[p].empty();
            const bool foreign = bill.valid() && payer.valid() && bills.customer[bill.value()] != payer;
            if ((unallocated || foreign) && payer.valid()) {
                Finding finding = billing_finding(info_, frame, payer.value(), Period::of(payments.paid_on[p]).to_string());
                finding.severity = Severity::medium;
                finding.summary =
                    unallocated
                        ? fmt::format("payment {} of {} by customer {} on {} is allocated to no bill",
                                      payments.id[p], amount_text(payments.amount[p]),
                                      frame.customers.id[payer.value()], payments.paid_on[p].to_string())
                        : fmt::format("payment {} by customer {} is posted to bill {} of customer {}", payments.id[p],
                                      frame.customers.id[payer.value()], payments.bill_id[p],
                                      frame.customers.id[bills.customer[bill.value()].value()]);
                finding.evidence_json =
                    Evidence(info_)
                        .text("problem", unallocated ? "payment_without_bill" : "payment_to_another_customer")
                        .text("payment_id", payments.id[p])
                        .text("bill_id", payments.bill_id[p])
                        .money("paid", payments.amount[p])
                        .dump();
                finding.money_at_risk = payments.amount[p];
                findings.push_back(std::move(finding));
                continue;
            }
            // A late payment's charge against art. 98: missing (without a recorded waiver), under or over.
            if (!bill.valid()) continue;
            const std::size_t b = bill.value();
            if (!bills.due_on[b] || !payments.late_fee_waiver[p].empty()) continue;
            const CivilDate due = *bills.due_on[b];
            const CivilDate paid_on = payments.paid_on[p];
            const Money charged = payments.late_fee[p].value_or(Money());
            const std::int32_t days_late = paid_on - due;
            if (charged.units() == 0 && days_late <= static_cast<std::int32_t>(settings.number("grace_days"))) continue;
            if (payments.amount[p].units() <= 0) continue;
            const std::size_t c = bills.customer[b].value();
            const bool residential = frame.customers.category[c] == "residential";
            // The arrears' year is the due date's, as `gridaudit recover late-payment` takes it by default.
            const LatePaymentCharge expected =
                late_payment_charge(payments.amount[p], due, paid_on, due.year(), residential, terms);
            const Money difference = charged - expected.charge;
            if (std::llabs(difference.units()) <= tolerance) continue;
            const std::string_view problem = charged.units() == 0     ? "late_fee_missing"
                                             : difference.units() < 0 ? "late_fee_under_charged"
                                                                      : "late_fee_over_charged";
            Finding finding = billing_finding(info_, frame, c, bills.period[b].to_string());
            finding.severity = Severity::medium;
            const std::string rates = rates_text(expected);
            if (problem == "late_fee_missing")
                finding.summary = fmt::format(
                    "payment {} of bill {} came {} day(s) after the due day {} without a late-payment charge or a "
                    "waiver approval ({} due: {})",
                    payments.id[p], bills.id[b], days_late, due.to_string(), amount_text(expected.charge), rates);
            else
                finding.summary = fmt::format(
                    "payment {} of bill {} ({} day(s) after the due day {}) carries a late-payment charge of {}, "
                    "{} than the {} art. 98 gives ({})",
                    payments.id[p], bills.id[b], std::max(days_late, 0), due.to_string(), amount_text(charged),
                    difference.units() < 0 ? "less" : "more", amount_text(expected.charge),
                    rates.empty() ? std::string("paid in time") : rates);
            Evidence evidence(info_);
            evidence.text("problem", problem)
                .text("payment_id", payments.id[p])
                .text("bill_id", bills.id[b])
                .money("paid", payments.amount[p])
                .date("due_on", due)
                .date("paid_on", paid_on)
                .integer("days_late", std::max(days_late, 0))
                .text("customer_class", residential ? "residential" : "other")
                .integer("arrears_year", due.year());
            std::int32_t this_year_days = 0, earlier_years_days = 0;
            std::optional<Quantity> this_year_rate, earlier_years_rate;
            for (const LatePaymentDays& run : expected.runs) {
                (run.earlier_year ? earlier_years_days : this_year_days) += run.days;
                (run.earlier_year ? earlier_years_rate : this_year_rate) = run.rate;
            }
            evidence.integer("this_year_days", this_year_days)
                .number("this_year_rate", this_year_rate ? std::optional(this_year_rate->to_double()) : std::nullopt)
                .integer("earlier_years_days", earlier_years_days)
                .number("earlier_years_rate",
                        earlier_years_rate ? std::optional(earlier_years_rate->to_double()) : std::nullopt)
                .flag("minimum_applied", expected.minimum_applied)
                .money("expected_late_fee", expected.charge)
                .money("charged_late_fee", charged)
                .money("difference", difference);
            finding.evidence_json = evidence.dump();
            finding.money_at_risk = Money::from_units(std::llabs(difference.units()));
            findings.push_back(std::move(finding));
        }
    }

    void evaluate_utility(const UtilityContext& context, const RuleSettings& settings,
                          std::vector<Finding>& findings) const override {
        const CollectionColumns& collections = context.collections;
        if (collections.size() == 0) return;
        const auto tolerance = money_units(settings.number("tolerance"));
        struct DaySum {
            Money amount;
            std::int64_t count = 0;
        };
        std::map<std::pair<CivilDate, std::string>, DaySum> sums;
        for (const RegionFrame& frame : context.frames) {
            const PaymentColumns& payments = frame.payments;
            for (std::size_t p = 0; p < payments.size(); ++p) {
                DaySum& sum = sums[{payments.paid_on[p], payments.channel[p]}];
                sum.amount += payments.amount[p] + payments.late_fee[p].value_or(Money());
                ++sum.count;
            }
        }
        const CivilDate first_day = collections.day.front(), last_day = collections.day.back();
        std::map<std::pair<CivilDate, std::string>, std::size_t> collected;
        for (std::size_t i = 0; i < collections.size(); ++i) collected[{collections.day[i], collections.channel[i]}] = i;
        const auto report = [&](CivilDate day, const std::string& channel, Money total, std::int64_t count,
                                const DaySum& sum, bool missing_row) {
            Finding finding = finding_of(info_, "collection", day.to_string() + "|" + channel);
            finding.period = Period::of(day).to_string();
            finding.severity = Severity::high;
            finding.summary =
                missing_row
                    ? fmt::format("{} payments of {} on {} by {} have no collection total", sum.count,
                                  amount_text(sum.amount), day.to_string(), channel)
                    : fmt::format("collection on {} by {} records {} in {} payments; the payments sum to {} in {}",
                                  day.to_string(), channel, amount_text(total), count, amount_text(sum.amount),
                                  sum.count);
            finding.evidence_json = Evidence(info_)
                                        .text("problem", missing_row ? "collection_missing" : "collection_mismatch")
                                        .money("collected", total)
                                        .integer("collected_payments", count)
                                        .money("payments_sum", sum.amount)
                                        .integer("payments", sum.count)
                                        .dump();
            finding.money_at_risk = Money::from_units(std::llabs((total - sum.amount).units()));
            findings.push_back(std::move(finding));
        };
        for (std::size_t i = 0; i < collections.size(); ++i) {
            if (context.period && Period::of(collections.day[i]) != *context.period) continue;
            const auto found = sums.find({collections.day[i], collections.channel[i]});
            const DaySum sum = found == sums.end() ? DaySum{} : found->second;
            if (std::llabs((collections.amount[i] - sum.amount).units()) > tolerance ||
                collections.payments[i] != sum.count)
                report(collections.day[i], collections.channel[i], collections.amount[i], collections.payments[i], sum,
                       false);
        }
        for (const auto& [key, sum] : sums) {
            if (key.first < first_day || key.first > last_day || collected.contains(key)) continue;
            if (context.period && Period::of(key.first) != *context.period) continue;
            report(key.first, key.second, Money(), 0, sum, true);
        }
    }

private:
    static bool in_window(const BillWindow& window, CivilDate day) { return window.contains(Period::of(day)); }

    // "11 days x 0.002 + 30 days x 0.003" (empty when paid in time).
    static std::string rates_text(const LatePaymentCharge& charge) {
        std::string text;
        for (const LatePaymentDays& run : charge.runs)
            text += fmt::format("{}{} day(s) x {}", text.empty() ? "" : " + ", run.days, run.rate.to_string());
        if (charge.minimum_applied) text += ", at least the minimum";
        return text;
    }

    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_bill_account_reconcile_rule() { return std::make_unique<BillAccountReconcileRule>(); }

}  // namespace gridaudit
