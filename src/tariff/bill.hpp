// A priced customer-month: itemised lines, exact and rounded components, and the total.
//
// Lines carry exact amounts (ExactAmount); each component is the sum of its lines' exact amounts,
// rounded once with the tariff's RoundingRule ("component" rounding step); the total is the sum of
// the rounded components, so a printed bill adds up. Lines hold indexes, not names (pricing
// allocates nothing per line); describe_line() names them for people.
// Thread safety: plain data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/money.hpp"
#include "core/time.hpp"
#include "tariff/power_factor.hpp"

namespace gridaudit {

struct Tariff;

// The components of a bill, in the order they are printed.
enum class BillComponent : std::uint8_t { energy, demand, basic, power_factor, funds, fixed, minimum };
inline constexpr int bill_component_count = 7;
[[nodiscard]] std::string_view bill_component_name(BillComponent component);

enum class ChargeKind : std::uint8_t {
    energy,          // kWh of an energy period (and tier) x its price
    tier_increment,  // kWh in a 阶梯 block x the block's increment
    demand,          // kW of a demand period's peak (tier) x price (URDB time-of-use demand)
    monthly_demand,  // kW of the month's peak (tier) x price (URDB flat demand)
    basic,           // kVA or kW x basic charge price, prorated by days / 30 in partial months
    basic_excess,    // kW above the excess threshold x price x multiplier (the 105 % rule)
    power_factor,    // (energy + basic) x adjustment percentage
    fund,            // kWh x fund price
    fixed,           // months or days x fixed charge
    minimum,         // top-up to the monthly or yearly minimum charge
};
[[nodiscard]] std::string_view charge_kind_name(ChargeKind kind);
[[nodiscard]] BillComponent component_of(ChargeKind kind);

struct BillLine {
    ChargeKind kind = ChargeKind::energy;
    std::int16_t period = -1;       // energy or demand period index
    std::int16_t tier = -1;         // tier or block index (0-based); -1 when the period has a single price
    std::int16_t item = -1;         // fund or fixed charge index; minimum: 0 monthly, 1 yearly
    std::int16_t prorate_days = 0;  // basic charge in a partial month: days charged (of partial_month_days)
    std::int32_t basis_points = 0;  // power factor: the adjustment in hundredths of a percent
    Quantity quantity;              // kWh, kW, kVA, months or days; power factor: the PF (0.87)
    UnitPrice price;                // per unit (basic_excess: already x multiplier); unused for PF and minimum
    ExactAmount amount;
};

// Conditions worth telling the reader of a bill.
enum BillNote : std::uint32_t {
    note_none = 0,
    note_pf_no_reactive = 1u << 0,   // the tariff adjusts for PF but no reactive energy was given
    note_pf_no_energy = 1u << 1,     // no active or reactive energy: no power factor
    note_pf_no_standard = 1u << 2,   // the tariff adjusts for PF but the customer has no standard
    note_tiers_prorated = 1u << 3,   // yearly tier thresholds prorated for a customer starting mid-year
    note_basic_prorated = 1u << 4,   // basic charge prorated for a partial month
    note_demand_floor = 1u << 5,     // contracted (or actual) demand raised to the floor share of capacity
    note_monthly_minimum = 1u << 6,  // monthly minimum charge applied
    note_yearly_minimum = 1u << 7,   // yearly minimum charge applied
};

struct MonthBill {
    Period period;
    int days_in_month = 0;
    int days_connected = 0;  // days charged (a part day is a day)
    Quantity energy_kwh;     // total active energy
    std::optional<Quantity> reactive_kvarh;
    std::optional<Quantity> max_demand_kw;
    std::optional<int> power_factor;  // hundredths
    std::optional<PowerFactorStandard> pf_standard;
    Quantity tier_position_before;          // tier accumulation before this month (kWh, year to date or 0)
    std::vector<Quantity> tier_thresholds;  // the block thresholds used this month (after proration)
    std::vector<BillLine> lines;
    std::array<ExactAmount, bill_component_count> exact{};
    std::array<Money, bill_component_count> components{};
    Money total;
    std::uint32_t notes = note_none;

    [[nodiscard]] Money component(BillComponent which) const { return components[static_cast<std::size_t>(which)]; }
    [[nodiscard]] ExactAmount exact_component(BillComponent which) const {
        return exact[static_cast<std::size_t>(which)];
    }
    // Empties the bill, keeping the lines' capacity (pricing many bills reuses one MonthBill).
    void clear();
};

// "energy peak tier 2", "tier block 3 increment", "basic charge (capacity)", "fund renewable energy surcharge".
[[nodiscard]] std::string describe_line(const Tariff& tariff, const BillLine& line);
// The unit of a line's quantity: "kWh", "kW", "kVA", "month", "day", "PF", "".
[[nodiscard]] std::string_view line_unit(const Tariff& tariff, const BillLine& line);

}  // namespace gridaudit
