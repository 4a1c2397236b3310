// The billing rules' shared scope: window, terms, recomputation.
#include "rules/billing/billing_scope.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace gridaudit {

BillWindow bill_window(const RuleContext& context, const RuleSettings& settings) {
    if (context.period) return BillWindow{*context.period, *context.period};
    const int lookback_months = static_cast<int>(settings.number("lookback_months"));
    const Period last = Period::of(context.as_of);
    return BillWindow{last - std::max(0, lookback_months - 1), last};
}

std::int64_t money_units(double currency) {
    return static_cast<std::int64_t>(std::llround(currency * Money::units_per_currency));
}

BillRange bills_of_customer(const BillColumns& bills, std::size_t customer) {
    if (customer + 1 >= bills.first_of_customer.size()) return {};
    return BillRange{bills.first_of_customer[customer], bills.first_of_customer[customer + 1]};
}

std::optional<PowerFactorStandard> customer_pf_standard(double value) {
    if (std::isnan(value)) return std::nullopt;
    switch (static_cast<int>(std::lround(value * 100))) {
        case 90: return PowerFactorStandard::pf_0_90;
        case 85: return PowerFactorStandard::pf_0_85;
        case 80: return PowerFactorStandard::pf_0_80;
        default: return std::nullopt;
    }
}

int days_connected(const CustomerColumns& customers, std::size_t customer, Period period) {
    const CivilDate first = std::max(period.first_day(), customers.supply_start[customer]);
    CivilDate last = period.last_day();
    if (customers.supply_end[customer]) last = std::min(last, *customers.supply_end[customer]);
    if (first == period.first_day() && last == period.last_day()) return 0;
    return std::max(0, last - first + 1);
}

std::vector<RecomputedBill> recompute_customer_bills(const RegionFrame& frame, std::size_t customer,
                                                     const RecomputeAs& as) {
    const BillColumns& bills = frame.bills;
    const BillRange range = bills_of_customer(bills, customer);
    std::vector<RecomputedBill> results(range.end - range.begin);
    if (results.empty()) return results;
    const std::string& tariff_id = as.tariff_id ? *as.tariff_id : frame.customers.tariff_id[customer];
    CustomerTerms terms;
    terms.capacity_kva = frame.customers.contracted_kva[customer];
    terms.pf_standard = as.pf_standard ? *as.pf_standard : customer_pf_standard(frame.customers.pf_standard[customer]);
    terms.supply_start = frame.customers.supply_start[customer];
    BillingState state;
    MonthUsage usage;
    for (std::size_t b = range.begin; b < range.end; ++b) {
        RecomputedBill& result = results[b - range.begin];
        if (!frame.tariffs) {
            result.problem = fmt::format("no tariffs are stored, so tariff {} is unknown", tariff_id);
            continue;
        }
        if (const UnusableTariff* unusable = frame.unusable_tariff(tariff_id)) {
            result.problem = fmt::format("tariff {} cannot be used: {}", tariff_id, unusable->reason);
            continue;
        }
        const Period period = bills.period[b];
        auto tariff = frame.tariffs->find(tariff_id, period.last_day());
        if (!tariff) {
            result.problem = tariff.error().message();
            continue;
        }
        result.tariff = *tariff;
        RegisterReadings readings;
        readings.total_kwh = bills.kwh_total[b];
        readings.peak_kwh = bills.kwh_peak[b];
        readings.flat_kwh = bills.kwh_flat[b];
        readings.valley_kwh = bills.kwh_valley[b];
        auto period_kwh = period_kwh_from_registers(**tariff, readings);
        if (!period_kwh) {
            result.problem = period_kwh.error().message();
            continue;
        }
        usage.period = period;
        usage.period_kwh = std::move(*period_kwh);
        usage.kvarh = bills.kvarh[b];
        usage.max_demand_kw = bills.demand_kw[b];
        usage.period_max_demand_kw.clear();
        usage.days_connected = days_connected(frame.customers, customer, period);
        auto priced = price_month(**tariff, terms, usage, state);
        if (!priced) {
            result.problem = priced.error().message();
            continue;
        }
        result.bill = std::move(*priced);
    }
    return results;
}

std::optional<Money> recompute_difference(const RegionFrame& frame, std::size_t customer, const BillWindow& window,
                                          const RecomputeAs& as) {
    const auto recorded = recompute_customer_bills(frame, customer);
    const auto other = recompute_customer_bills(frame, customer, as);
    const BillRange range = bills_of_customer(frame.bills, customer);
    Money difference;
    bool any = false;
    for (std::size_t b = range.begin; b < range.end; ++b) {
        if (!window.contains(frame.bills.period[b])) continue;
        const auto& a = recorded[b - range.begin];
        const auto& o = other[b - range.begin];
        if (!a.bill || !o.bill) return std::nullopt;
        difference += o.bill->total - a.bill->total;
        any = true;
    }
    if (!any) return std::nullopt;
    return difference;
}

BilledComponents billed_components(const BillColumns& bills, std::size_t b) {
    const auto or_zero = [](const std::optional<Money>& value) { return value.value_or(Money()); };
    return BilledComponents{bills.energy_charge[b],   or_zero(bills.basic_charge[b]), or_zero(bills.pf_adjustment[b]),
                            or_zero(bills.surcharges[b]), or_zero(bills.fixed_charges[b]),
                            or_zero(bills.other_charges[b])};
}

std::string amount_text(Money amount) {
    return fmt::format("{} {}", amount.to_string(2), money_currency);
}

Finding billing_finding(const RuleInfo& info, const RegionFrame& frame, std::size_t customer, std::string period) {
    Finding finding = finding_of(info, "customer", frame.customers.id[customer]);
    finding.period = std::move(period);
    return finding;
}

}  // namespace gridaudit
