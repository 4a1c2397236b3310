// The back-billing and penalty calculator of the Supply Business Rules (1996): theft
// (art. 102-103), contract violations (art. 100), metering errors (art. 80-81) and late payment
// (art. 98). docs/recovery.md.
//
// Each computation returns a Recovery: the article, the inputs as given, every intermediate value
// with the formula that produced it, and the amounts. Amounts are exact (ExactAmount) until the
// end; each is rounded once with the policy's rounding (REFERENCE.md section 2: 1,590.084 ->
// 1,590.08; 2 x 1,590.084 = 3,180.168 -> 3,180.17), and the total is the sum of the rounded
// amounts, so a notice adds up. Energies are exact to 0.0001 kWh; a division that does not come
// out exact is rounded half-up to 0.0001 kWh and the step says so.
// Thread safety: pure functions over values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/money.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "recovery/recovery_policy.hpp"
#include "tariff/tariff.hpp"

namespace gridaudit {

// One line of the itemised computation: a named value and how it came about.
struct RecoveryStep {
    std::string name;     // "stolen_kwh"
    std::string formula;  // "3 kW x 180 days x 12 h/day"
    std::string value;    // exact decimal, "6480"
    std::string unit;     // "kWh", "CNY", "days", ""
};

// An amount the customer pays (or, when negative, is refunded).
struct RecoveryAmount {
    std::string name;   // back_billed_charge, difference_charge, basic_charge, penalty, late_payment_charge
    ExactAmount exact;  // before rounding
    Money rounded;      // rounded once with the policy's rounding
};

struct Recovery {
    std::string computation;  // "theft", "violation.category", "metering.multiplier", "late_payment", ...
    std::string article;      // "Supply Business Rules 1996 art. 102-103"
    std::string title;        // one line for the notice
    std::vector<std::pair<std::string, std::string>> inputs;  // as given, in order
    std::vector<RecoveryStep> steps;
    std::optional<Quantity> energy_kwh;  // back-billed kWh (negative: refunded), when energy is recomputed
    std::vector<RecoveryAmount> amounts;
    Money total;  // sum of the rounded amounts
    int decimals = 2;
    Rounding rounding = Rounding::half_up;
    std::string currency = "CNY";
    std::vector<std::string> notes;
    // What the user must look at: a duration beyond the policy's plausibility limit that the
    // command line accepted (RecoveryPolicy::accepted_duration_days).
    std::vector<std::string> warnings;

    // The amount named `name`, or nullptr.
    [[nodiscard]] const RecoveryAmount* amount(std::string_view name) const;
    // The step named `name`, or nullptr.
    [[nodiscard]] const RecoveryStep* step(std::string_view name) const;
};

// A ratio such as a CT "600/5" or a multiplier "120", kept as a fraction.
struct Ratio {
    Quantity numerator = Quantity::whole(1);
    Quantity denominator = Quantity::whole(1);
    // "600/5", "120", "10000/100"; both sides positive, at most 4 decimals.
    [[nodiscard]] static std::optional<Ratio> parse(std::string_view text);
    [[nodiscard]] std::string to_string() const;
};

enum class SupplyUse { power, lighting };  // hours per day when the duration is unknown
enum class TheftMethod { private_tap, other };
enum class CustomerClass { residential, other };

// ---- Theft (art. 102-103) ----
struct TheftCase {
    TheftMethod method = TheftMethod::private_tap;
    SupplyUse use = SupplyUse::power;
    // Private tap: rated capacity of the equipment connected (kVA counted as kW). Other methods: a
    // current-limiter setting's capacity, or leave empty and give the meter's rated current.
    std::optional<Quantity> capacity_kw;
    std::optional<Quantity> rated_current_a;  // other methods: the billing meter's rated current
    int phases = 1;                           // with rated_current_a: 1 or 3
    // Duration: hours, or days (x hours_per_day), or start..end dates (x hours_per_day); none of
    // them: unknown (the policy's days x hours per day of `use`).
    std::optional<Quantity> hours;
    std::optional<Quantity> days;
    std::optional<CivilDate> start, end;
    std::optional<Quantity> hours_per_day;    // default: the policy's hours of `use`
    std::optional<Ratio> ct_ratio, pt_ratio;  // theft through instrument transformers
    UnitPrice price;                          // the applicable tariff price per kWh
};
[[nodiscard]] Result<Recovery> compute_theft(const TheftCase& input, const RecoveryPolicy& policy);

// ---- Contract violations (art. 100) ----
// Higher-price use on a lower-price category: one load used at a higher price than billed.
struct CategoryLoad {
    std::optional<Quantity> kwh;  // energy used, when known; else capacity x hours x days
    std::optional<Quantity> capacity_kw;
    SupplyUse use = SupplyUse::power;
    std::optional<Quantity> hours_per_day;  // default: the policy's hours of `use`
    UnitPrice price;                        // the price of the category actually used
    UnitPrice billed_price;                 // the lower price it was billed at
};
struct CategoryViolation {
    std::vector<CategoryLoad> loads;
    std::optional<Quantity> days;  // period of use; default the policy's months x days per month
    std::optional<CivilDate> start, end;
};
[[nodiscard]] Result<Recovery> compute_category_violation(const CategoryViolation& input, const RecoveryPolicy& policy);

// Capacity above contract, or suspended or sealed equipment used.
enum class CapacityViolationKind { capacity_above_contract, sealed_equipment };
struct CapacityViolation {
    CapacityViolationKind kind = CapacityViolationKind::capacity_above_contract;
    bool two_part = false;    // a two-part (basic charge) customer
    Quantity capacity_kw;     // added capacity, or the capacity of the equipment used (kVA as kW)
    std::int64_t months = 0;  // two-part: months of use
    UnitPrice basic_price;    // two-part: basic charge per kW (kVA) and month
    std::int64_t times = 1;   // sealed equipment, other customers: times used
};
[[nodiscard]] Result<Recovery> compute_capacity_violation(const CapacityViolation& input, const RecoveryPolicy& policy);

// Moving or operating the utility's meters or devices.
struct MeterInterference {
    CustomerClass customer = CustomerClass::other;
    std::int64_t times = 1;
};
[[nodiscard]] Result<Recovery> compute_meter_interference(const MeterInterference& input, const RecoveryPolicy& policy);

// ---- Metering errors (art. 80-81) ----
enum class MeteringCause { meter_error, voltage_drop, wiring, multiplier, non_human };
struct MeteringError {
    MeteringCause cause = MeteringCause::meter_error;
    Quantity recorded_kwh;  // meter_error: recorded since the last test or replacement; voltage_drop:
                            // since commissioning or load increase; wiring: since the last test;
                            // multiplier: billed kWh of the reading records; non_human: recorded in the fault period
    UnitPrice price;        // price per kWh of the corrected energy
    // meter_error: the error found, percent (-10 = 10 % slow); class_percent: its accuracy class.
    std::optional<Quantity> error_percent;
    std::optional<Quantity> class_percent;
    std::optional<CivilDate> last_test, found;  // meter_error: shown as the corrected window
    // voltage_drop: measured and allowed drop, percent (allowed: the policy's when empty).
    std::optional<Quantity> measured_drop_percent, allowed_drop_percent;
    std::optional<Quantity> correction_rate;         // wiring: fraction, e.g. 1 = +100 %, -0.5 = refund half
    std::optional<Ratio> right_ratio, billed_ratio;  // multiplier
    std::optional<Quantity> normal_month_kwh;        // non_human: consumption of a normal month
    std::optional<Quantity> days;                    // non_human: days of the fault period
    std::optional<CivilDate> start, end;             //   or its dates
};
[[nodiscard]] Result<Recovery> compute_metering_error(const MeteringError& input, const RecoveryPolicy& policy);

// ---- Late payment (art. 98) ----
struct Arrears {
    Money amount;
    CivilDate due;            // the charge runs from the day after
    std::optional<int> year;  // the arrears' year; default the due date's year
};
struct LatePayment {
    CustomerClass customer = CustomerClass::residential;
    CivilDate paid;  // the day paid (or the day the charge is computed to)
    std::vector<Arrears> arrears;
};
[[nodiscard]] Result<Recovery> compute_late_payment(const LatePayment& input, const RecoveryPolicy& policy);

// The applicable price per kWh under `tariff`: the price of the energy period named `period` (empty:
// the tariff's only period). Funds and surcharges are not included. A period with tiers, or a tariff
// with tier blocks, is refused: its price depends on the month's energy, so give the price instead.
[[nodiscard]] Result<UnitPrice> tariff_energy_price(const Tariff& tariff, std::string_view period);

// Rounding step "amount": an exact amount to the policy's decimals and mode, once.
[[nodiscard]] Money round_amount(ExactAmount exact, const RecoveryPolicy& policy);

}  // namespace gridaudit
