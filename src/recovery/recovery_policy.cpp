// Reading and writing the `[recovery]` policy section.
#include "recovery/recovery_policy.hpp"

#include <fmt/format.h>

#include <cmath>
#include <variant>

namespace gridaudit {
namespace {

constexpr std::string_view section = "recovery";

// A TOML basic string: quotes, backslashes and control characters escaped, so what is written
// reads back as the same text.
std::string toml_basic_string(std::string_view text) {
    std::string quoted = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            quoted += '\\';
            quoted += c;
        } else if (byte < 0x20 || byte == 0x7f) {
            quoted += fmt::format("\\u{:04X}", byte);
        } else {
            quoted += c;
        }
    }
    quoted += '"';
    return quoted;
}

using Member = std::variant<Quantity RecoveryPolicy::*, Money RecoveryPolicy::*, bool RecoveryPolicy::*,
                            int RecoveryPolicy::*, Rounding RecoveryPolicy::*, std::string RecoveryPolicy::*>;

struct Key {
    std::string_view name;
    Member member;
    std::string_view description;
};

const std::vector<Key>& keys() {
    static const std::vector<Key> table = {
        {"theft_penalty_multiple", &RecoveryPolicy::theft_penalty_multiple,
         "Theft penalty as a multiple of the back-billed charge (art. 102)."},
        {"theft_unknown_duration_days", &RecoveryPolicy::theft_unknown_duration_days,
         "Days of theft when the duration is unknown (art. 103)."},
        {"power_hours_per_day", &RecoveryPolicy::power_hours_per_day,
         "Hours of use per day of power customers when the duration is unknown (art. 100, 103)."},
        {"lighting_hours_per_day", &RecoveryPolicy::lighting_hours_per_day,
         "Hours of use per day of lighting customers when the duration is unknown (art. 100, 103)."},
        {"theft_apply_transformer_ratios", &RecoveryPolicy::theft_apply_transformer_ratios,
         "Multiply stolen kWh by CT x PT ratio for theft through instrument transformers (provincial rule)."},
        {"phase_voltage_v", &RecoveryPolicy::phase_voltage_v,
         "Phase voltage for the capacity implied by a meter's rated current: phases x V x A / 1000 kW."},
        {"category_penalty_multiple", &RecoveryPolicy::category_penalty_multiple,
         "Penalty for higher-price use on a lower-price category, multiple of the difference charge (art. 100)."},
        {"category_unknown_months", &RecoveryPolicy::category_unknown_months,
         "Months of higher-price use when the dates are unknown (art. 100)."},
        {"days_per_month", &RecoveryPolicy::days_per_month, "Days counted per month of use."},
        {"capacity_two_part_penalty_multiple", &RecoveryPolicy::capacity_two_part_penalty_multiple,
         "Capacity above contract, two-part customers: penalty as a multiple of the basic charge back-billed."},
        {"capacity_other_penalty_per_kw", &RecoveryPolicy::capacity_other_penalty_per_kw,
         "Capacity above contract, other customers: penalty per kW (kVA) added."},
        {"sealed_two_part_penalty_multiple", &RecoveryPolicy::sealed_two_part_penalty_multiple,
         "Suspended or sealed equipment used, two-part customers: penalty as a multiple of the basic charge."},
        {"sealed_other_penalty_per_kw", &RecoveryPolicy::sealed_other_penalty_per_kw,
         "Suspended or sealed equipment used, other customers: penalty per kW (kVA) each time."},
        {"meter_interference_residential", &RecoveryPolicy::meter_interference_residential,
         "Moving or operating the utility's meters or devices, residential customers: penalty each time."},
        {"meter_interference_other", &RecoveryPolicy::meter_interference_other,
         "Moving or operating the utility's meters or devices, other customers: penalty each time."},
        {"meter_error_window_fraction", &RecoveryPolicy::meter_error_window_fraction,
         "Meter, CT or PT error beyond class: share of the time since the last test corrected (art. 80)."},
        {"pt_allowed_voltage_drop_percent", &RecoveryPolicy::pt_allowed_voltage_drop_percent,
         "Allowed PT secondary voltage drop when the case does not give one (percent)."},
        {"late_payment_residential_rate", &RecoveryPolicy::late_payment_residential_rate,
         "Late payment, residential customers: fraction of the arrears per day (art. 98)."},
        {"late_payment_current_year_rate", &RecoveryPolicy::late_payment_current_year_rate,
         "Late payment, other customers: fraction per day of this year's arrears (art. 98)."},
        {"late_payment_earlier_years_rate", &RecoveryPolicy::late_payment_earlier_years_rate,
         "Late payment, other customers: fraction per day of earlier years' arrears (art. 98)."},
        {"late_payment_minimum", &RecoveryPolicy::late_payment_minimum,
         "Smallest late-payment charge levied on an overdue bill (art. 98)."},
        {"max_duration_days", &RecoveryPolicy::max_duration_days,
         "Plausibility limit: a case lasting longer (days) is refused; `recover --max-duration-days D` accepts up to "
         "D days for one run, with a warning."},
        {"rounding_decimals", &RecoveryPolicy::rounding_decimals,
         "Decimals of every amount, rounded once from its exact value (0..4)."},
        {"rounding_mode", &RecoveryPolicy::rounding_mode, "Rounding mode: half_up, half_even or truncate."},
        {"currency", &RecoveryPolicy::currency, "Currency code printed with amounts."},
    };
    return table;
}

Result<Quantity> exact_quantity(double value, std::string_view where) {
    const auto quantity = Quantity::from_double(value);
    if (!quantity) return user_error(fmt::format("{}: not a finite number ({})", where, value));
    if (quantity->units() < 0) return user_error(fmt::format("{}: must not be negative ({})", where, value));
    if (std::fabs(quantity->to_double() - value) > 1e-9 * std::max(1.0, std::fabs(value)))
        return user_error(fmt::format("{}: at most 4 decimals ({})", where, value));
    return *quantity;
}

}  // namespace

Result<RecoveryPolicy> RecoveryPolicy::from(const Policy& policy) {
    RecoveryPolicy result;
    const auto found = policy.values().find(section);
    if (found == policy.values().end()) return result;
    for (const auto& [name, value] : found->second) {
        const std::string where = fmt::format("[{}] {}", section, name);
        const Key* key = nullptr;
        for (const Key& candidate : keys())
            if (candidate.name == name) key = &candidate;
        if (!key) return user_error(fmt::format("{}: unknown key (docs/recovery.md lists the keys)", where));
        const double* number = std::get_if<double>(&value);
        const std::string* text = std::get_if<std::string>(&value);
        const bool* flag = std::get_if<bool>(&value);
        Status status = std::visit(
            [&](auto member) -> Status {
                using Field = std::remove_reference_t<decltype(result.*member)>;
                if constexpr (std::is_same_v<Field, Quantity> || std::is_same_v<Field, Money>) {
                    if (!number) return user_error(fmt::format("{}: must be a number", where));
                    GA_ASSIGN_OR_RETURN(const Quantity quantity, exact_quantity(*number, where));
                    if constexpr (std::is_same_v<Field, Quantity>)
                        result.*member = quantity;
                    else
                        result.*member = Money::from_units(quantity.units());
                } else if constexpr (std::is_same_v<Field, bool>) {
                    if (!flag) return user_error(fmt::format("{}: must be true or false", where));
                    result.*member = *flag;
                } else if constexpr (std::is_same_v<Field, int>) {
                    if (!number || *number != std::floor(*number) || *number < 0 || *number > 4)
                        return user_error(fmt::format("{}: must be a whole number from 0 to 4", where));
                    result.*member = static_cast<int>(*number);
                } else if constexpr (std::is_same_v<Field, Rounding>) {
                    const auto mode = text ? parse_rounding(*text) : std::nullopt;
                    if (!mode)
                        return user_error(fmt::format("{}: must be {}", where, rounding_choices));
                    result.*member = *mode;
                } else {
                    if (!text || text->empty()) return user_error(fmt::format("{}: must be a non-empty string", where));
                    result.*member = *text;
                }
                return {};
            },
            key->member);
        GA_TRY(status);
    }
    if (result.days_per_month.units() == 0) return user_error("[recovery] days_per_month: must be more than 0");
    return result;
}

std::string RecoveryPolicy::to_toml() const {
    std::string text = "[recovery]\n";
    for (const Key& key : keys()) {
        const std::string value = std::visit(
            [&](auto member) -> std::string {
                using Field = std::remove_cvref_t<decltype(this->*member)>;
                const Field& field = this->*member;
                if constexpr (std::is_same_v<Field, Quantity>)
                    return field.to_string();
                else if constexpr (std::is_same_v<Field, Money>)
                    return Quantity::from_units(field.units()).to_string();
                else if constexpr (std::is_same_v<Field, bool>)
                    return field ? "true" : "false";
                else if constexpr (std::is_same_v<Field, int>)
                    return std::to_string(field);
                else if constexpr (std::is_same_v<Field, Rounding>)
                    return fmt::format("\"{}\"", rounding_name(field));
                else
                    return toml_basic_string(field);
            },
            key.member);
        text += fmt::format("{} = {}  # {}\n", key.name, value, key.description);
    }
    return text;
}

}  // namespace gridaudit
