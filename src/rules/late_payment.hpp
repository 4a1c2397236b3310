// The late-payment charge of Supply Business Rules art. 98, the one computation behind
// `gridaudit recover late-payment` (recovery/) and BILL-ACCOUNT-RECONCILE (rules/billing/), in
// fixed point: amount x rate per day x days, exact, at least the minimum, rounded once.
//
// The rate is decided day by day. A residential customer pays the residential rate every day. Any
// other customer pays the current-year rate on the days that fall in the arrears' own year ("this
// year's arrears") and the earlier-years rate on the days after it, once the arrears has become an
// earlier year's ("跨年度欠费部分"): a business bill due 2025-12-20 and paid 2026-01-30 is 11 days
// at 0.2 % and 30 days at 0.3 %, 11.2 % in all.
// Thread safety: pure functions over value types.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/money.hpp"
#include "core/rounding.hpp"
#include "core/time.hpp"
#include "rules/policy.hpp"

namespace gridaudit {

class RuleSettings;

// The rates, minimum and rounding of art. 98 as the `[recovery]` policy section sets them
// (docs/recovery.md); the defaults are the regulation's and RecoveryPolicy's (recovery/, which
// reads and validates the section and hands `gridaudit recover` the same terms; a test holds the
// two equal).
struct LatePaymentTerms {
    Quantity residential_rate = Quantity::from_units(10);          // 0.1 %/day
    Quantity current_year_rate = Quantity::from_units(20);         // 0.2 %/day on this year's arrears
    Quantity earlier_years_rate = Quantity::from_units(30);        // 0.3 %/day on earlier years'
    Money minimum = Money::from_units(Money::units_per_currency);  // at least 1 per overdue bill
    int rounding_decimals = 2;
    Rounding rounding_mode = Rounding::half_up;

    // The `[recovery]` keys late_payment_residential_rate, late_payment_current_year_rate,
    // late_payment_earlier_years_rate, late_payment_minimum, rounding_decimals and rounding_mode over
    // the defaults. REQUIRES: the section was validated by RecoveryPolicy::from (the audit does so
    // before any rule runs); a value it would refuse is taken as its default here.
    [[nodiscard]] static LatePaymentTerms from(const Policy& policy);

    // A rule's settings carry the terms (RuleSettings is made from the whole policy): the numbers
    // under the parameter names `recovery.<key>` and the rounding mode as the one-item list
    // `recovery.rounding_mode`. setting_values() gives those entries; from(settings) reads them back.
    [[nodiscard]] std::vector<std::pair<std::string, PolicyValue>> setting_values() const;
    [[nodiscard]] static LatePaymentTerms from(const RuleSettings& settings);

    bool operator==(const LatePaymentTerms&) const = default;
};

// A run of days charged at one rate.
struct LatePaymentDays {
    CivilDate first, last;
    std::int32_t days = 0;
    Quantity rate;              // fraction per day
    bool earlier_year = false;  // days after the arrears' year (earlier-years rate)
};

struct LatePaymentCharge {
    std::int32_t days_late = 0;         // paid - due; 0 or less: paid in time, no charge
    std::vector<LatePaymentDays> runs;  // in date order; empty when paid in time
    ExactAmount computed;               // sum of amount x rate x days over the runs
    bool minimum_applied = false;       // computed was below the minimum
    ExactAmount exact;                  // max(computed, minimum); 0 when paid in time
    Money charge;                       // exact rounded once with the terms' decimals and mode
};

// The charge on `amount` overdue since `due` (it runs from the day after) and paid on `paid`.
// `arrears_year`: the year whose arrears it is (the due date's year unless the caller knows better).
// REQUIRES: amount > 0; arrears_year <= paid.year().
[[nodiscard]] LatePaymentCharge late_payment_charge(Money amount, CivilDate due, CivilDate paid, int arrears_year,
                                                    bool residential, const LatePaymentTerms& terms);

}  // namespace gridaudit
