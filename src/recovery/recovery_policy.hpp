// The `[recovery]` section of the policy file: every rate, multiple, day count and fixed penalty the
// back-billing and penalty calculator uses, with the Supply Business Rules (1996) values as defaults.
//
// docs/recovery.md lists the keys. Numbers are held exactly (Quantity, 0.0001) so that a policy
// value never brings binary floating point into an amount of money.
// Thread safety: a value type; immutable after construction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/money.hpp"
#include "core/result.hpp"
#include "rules/policy.hpp"

namespace gridaudit {

struct RecoveryPolicy {
    // Theft (art. 102-103).
    Quantity theft_penalty_multiple = Quantity::whole(3);
    Quantity theft_unknown_duration_days = Quantity::whole(180);
    Quantity power_hours_per_day = Quantity::whole(12);
    Quantity lighting_hours_per_day = Quantity::whole(6);
    bool theft_apply_transformer_ratios = true;       // provincial rule: stolen kWh x CT x PT
    Quantity phase_voltage_v = Quantity::whole(220);  // capacity implied by a rated current
    // Contract violations (art. 100).
    Quantity category_penalty_multiple = Quantity::whole(2);
    Quantity category_unknown_months = Quantity::whole(3);
    Quantity days_per_month = Quantity::whole(30);
    Quantity capacity_two_part_penalty_multiple = Quantity::whole(3);
    Money capacity_other_penalty_per_kw = Money::from_units(50 * Money::units_per_currency);
    Quantity sealed_two_part_penalty_multiple = Quantity::whole(2);
    Money sealed_other_penalty_per_kw = Money::from_units(30 * Money::units_per_currency);
    Money meter_interference_residential = Money::from_units(500 * Money::units_per_currency);
    Money meter_interference_other = Money::from_units(5000 * Money::units_per_currency);
    // Metering errors (art. 80-81).
    Quantity meter_error_window_fraction = Quantity::from_units(5000);      // half the time since the last test
    Quantity pt_allowed_voltage_drop_percent = Quantity::from_units(2000);  // 0.2 %, DL/T 448 class I-II
    // Late payment (art. 98), fractions per day.
    Quantity late_payment_residential_rate = Quantity::from_units(10);          // 0.1 %/day
    Quantity late_payment_current_year_rate = Quantity::from_units(20);         // 0.2 %/day
    Quantity late_payment_earlier_years_rate = Quantity::from_units(30);        // 0.3 %/day
    Money late_payment_minimum = Money::from_units(Money::units_per_currency);  // at least 1
    // Plausibility (not in the regulation): a case whose duration (theft hours / 24, days, a
    // start..end window, days since the last test, days late) exceeds this is refused as a likely
    // typing error, unless the command line accepts it (accepted_duration_days).
    Quantity max_duration_days = Quantity::whole(3660);
    // Not a key of the file: set by `gridaudit recover --max-duration-days D` for one run. Durations
    // beyond max_duration_days and up to this are computed, with a warning in the result.
    std::optional<Quantity> accepted_duration_days;
    // Rounding of every amount, once, from its exact value (REFERENCE.md section 2).
    int rounding_decimals = 2;
    Rounding rounding_mode = Rounding::half_up;
    std::string currency = "CNY";

    // The regulation's values.
    [[nodiscard]] static RecoveryPolicy defaults() { return {}; }
    // The `[recovery]` section of `policy` over the defaults. An unknown key, a value of the wrong
    // type, a negative value or a number finer than 0.0001 is a user error naming the key.
    [[nodiscard]] static Result<RecoveryPolicy> from(const Policy& policy);
    // The section as TOML with every key at this policy's value and a comment saying what it is.
    [[nodiscard]] std::string to_toml() const;
};

}  // namespace gridaudit
