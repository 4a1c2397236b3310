// The late-payment charge of art. 98 in fixed point, and its terms read from the [recovery] policy section.
#include "rules/late_payment.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "rules/rule.hpp"

namespace gridaudit {
namespace {

constexpr std::string_view section = "recovery";

// A [recovery] number as a Quantity of 0.0001; the default when unset or not one (see REQUIRES).
Quantity quantity_key(const Policy& policy, std::string_view key, Quantity fallback) {
    const PolicyValue* value = policy.find(section, key);
    const double* number = value ? std::get_if<double>(value) : nullptr;
    if (!number) return fallback;
    const auto quantity = Quantity::from_double(*number);
    return quantity && quantity->units() >= 0 ? *quantity : fallback;
}

}  // namespace

LatePaymentTerms LatePaymentTerms::from(const Policy& policy) {
    LatePaymentTerms terms;
    terms.residential_rate = quantity_key(policy, "late_payment_residential_rate", terms.residential_rate);
    terms.current_year_rate = quantity_key(policy, "late_payment_current_year_rate", terms.current_year_rate);
    terms.earlier_years_rate = quantity_key(policy, "late_payment_earlier_years_rate", terms.earlier_years_rate);
    terms.minimum = Money::from_units(
        quantity_key(policy, "late_payment_minimum", Quantity::from_units(terms.minimum.units())).units());
    if (const PolicyValue* value = policy.find(section, "rounding_decimals")) {
        const double* number = std::get_if<double>(value);
        if (number && *number >= 0 && *number <= 4 && *number == static_cast<int>(*number))
            terms.rounding_decimals = static_cast<int>(*number);
    }
    if (const PolicyValue* value = policy.find(section, "rounding_mode")) {
        const std::string* text = std::get_if<std::string>(value);
        if (const auto mode = text ? parse_rounding(*text) : std::nullopt) terms.rounding_mode = *mode;
    }
    return terms;
}

std::vector<std::pair<std::string, PolicyValue>> LatePaymentTerms::setting_values() const {
    return {
        {"recovery.late_payment_residential_rate", residential_rate.to_double()},
        {"recovery.late_payment_current_year_rate", current_year_rate.to_double()},
        {"recovery.late_payment_earlier_years_rate", earlier_years_rate.to_double()},
        {"recovery.late_payment_minimum", static_cast<double>(minimum.units()) / Money::units_per_currency},
        {"recovery.rounding_decimals", static_cast<double>(rounding_decimals)},
        {"recovery.rounding_mode", std::vector<std::string>{std::string(rounding_name(rounding_mode))}},
    };
}

LatePaymentTerms LatePaymentTerms::from(const RuleSettings& settings) {
    LatePaymentTerms terms;
    const auto quantity = [&](std::string_view name, Quantity fallback) {
        const auto value = Quantity::from_double(settings.number(name));
        return value ? *value : fallback;
    };
    terms.residential_rate = quantity("recovery.late_payment_residential_rate", terms.residential_rate);
    terms.current_year_rate = quantity("recovery.late_payment_current_year_rate", terms.current_year_rate);
    terms.earlier_years_rate = quantity("recovery.late_payment_earlier_years_rate", terms.earlier_years_rate);
    terms.minimum = Money::from_units(
        quantity("recovery.late_payment_minimum", Quantity::from_units(terms.minimum.units())).units());
    terms.rounding_decimals = static_cast<int>(settings.number("recovery.rounding_decimals"));
    const auto& mode = settings.list("recovery.rounding_mode");
    if (const auto parsed = mode.empty() ? std::nullopt : parse_rounding(mode.front())) terms.rounding_mode = *parsed;
    return terms;
}

LatePaymentCharge late_payment_charge(Money amount, CivilDate due, CivilDate paid, int arrears_year, bool residential,
                                      const LatePaymentTerms& terms) {
    LatePaymentCharge out;
    out.days_late = paid - due;
    if (out.days_late <= 0) return out;
    const CivilDate first = due + 1;
    const auto add_run = [&](CivilDate from, CivilDate to, Quantity rate, bool earlier) {
        if (to < from) return;
        LatePaymentDays run{from, to, (to - from) + 1, rate, earlier};
        out.computed += ExactAmount::of(amount).scaled(rate.units() * run.days, Quantity::units_per_one);
        out.runs.push_back(run);
    };
    if (residential) {
        add_run(first, paid, terms.residential_rate, false);
    } else {
        // Days up to the last day of the arrears' year are this year's; the rest an earlier year's.
        const CivilDate year_end = CivilDate::from_ymd(arrears_year, 12, 31);
        add_run(first, std::min(paid, year_end), terms.current_year_rate, false);
        add_run(std::max(first, year_end + 1), paid, terms.earlier_years_rate, true);
    }
    out.exact = out.computed;
    if (out.exact < ExactAmount::of(terms.minimum)) {
        out.exact = ExactAmount::of(terms.minimum);
        out.minimum_applied = true;
    }
    out.charge = out.exact.rounded(terms.rounding_decimals, terms.rounding_mode);
    return out;
}

}  // namespace gridaudit
