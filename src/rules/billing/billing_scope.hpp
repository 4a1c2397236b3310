// What the billing rules share: the bills a run judges, a customer's terms under the tariff
// engine, a bill recomputed from its own quantities, and the finding skeleton.
//
// A run judges the bills of the audited month (RuleContext::period) or, without one, of the
// `lookback_months` whole months up to the audit day. Recomputation always starts from the
// customer's first bill, because residential tiers accumulate over the year.
// Thread safety: pure functions of the frame.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "frame/region_frame.hpp"
#include "model/finding.hpp"
#include "rules/rule.hpp"
#include "tariff/bill.hpp"
#include "tariff/pricing_engine.hpp"

namespace gridaudit {

struct BillWindow {
    Period first;
    Period last;
    [[nodiscard]] bool contains(Period p) const { return first <= p && p <= last; }
};

// The bills a run judges; the rule's `lookback_months` parameter sets the window without a period.
[[nodiscard]] BillWindow bill_window(const RuleContext& context, const RuleSettings& settings);

// A currency amount of the policy (a tolerance, a minimum) in Money units, rounded half-up.
[[nodiscard]] std::int64_t money_units(double currency);

// Bills of customer `c`: [begin, end) positions in frame.bills (period order).
struct BillRange {
    std::size_t begin = 0, end = 0;
};
[[nodiscard]] BillRange bills_of_customer(const BillColumns& bills, std::size_t customer);

// The customer's pf_standard column as the engine's standard (none for NaN or an unknown value).
[[nodiscard]] std::optional<PowerFactorStandard> customer_pf_standard(double value);

// Days of `period` the customer was supplied, as MonthUsage::days_connected wants it: 0 for the
// whole month.
[[nodiscard]] int days_connected(const CustomerColumns& customers, std::size_t customer, Period period);

// One bill recomputed: the engine's bill, or why it could not be priced.
struct RecomputedBill {
    std::optional<MonthBill> bill;
    const Tariff* tariff = nullptr;
    std::string problem;
};

// What a recomputation changes from the customer's record ("what if the customer were on ...").
struct RecomputeAs {
    std::optional<std::string> tariff_id;
    std::optional<std::optional<PowerFactorStandard>> pf_standard;  // a standard, or none
};

// Every bill of customer `c` recomputed in period order from the bill's own quantities (kWh by
// register, kvarh, demand), the customer's capacity, PF standard and supply dates, under the
// version of the customer's tariff in force on the period's last day (or as `as` says).
[[nodiscard]] std::vector<RecomputedBill> recompute_customer_bills(const RegionFrame& frame, std::size_t customer,
                                                                   const RecomputeAs& as = {});

// The difference the customer's bills in `window` would make recomputed as `as` against
// recomputed as recorded (positive: the utility under-billed); nullopt when either side cannot be
// priced.
[[nodiscard]] std::optional<Money> recompute_difference(const RegionFrame& frame, std::size_t customer,
                                                        const BillWindow& window, const RecomputeAs& as);

// The bill's component as billed, for comparison with the engine's components.
struct BilledComponents {
    Money energy, basic, power_factor, funds, fixed, other;
};
[[nodiscard]] BilledComponents billed_components(const BillColumns& bills, std::size_t bill);

// "123.45 CNY": an amount as the billing findings' summaries print it.
[[nodiscard]] std::string amount_text(Money amount);

// A finding of `info` about customer `c`, period `period` ("" when timeless).
[[nodiscard]] Finding billing_finding(const RuleInfo& info, const RegionFrame& frame, std::size_t customer,
                                      std::string period);

}  // namespace gridaudit
