// The tariff model: what a tariff charges, independent of the file it came from.
//
// Both loaders (GridAudit tariff JSON, tariff_json.hpp; URDB rates, urdb_import.hpp) build this
// model, and the pricing engine (pricing_engine.hpp) reads only this model. docs/tariffs.md
// documents the JSON format and how every member maps onto these types.
//
//   calendar         which days are workdays, weekend days or holidays
//   energy periods   time-of-use periods (peak, flat, valley, critical peak, ...), each with a price or
//                    tiered prices (URDB style: tiers on the month's total energy, shared by period)
//   energy schedule  the period of every 15-minute slot, by month x day type
//   tier blocks      阶梯 blocks: thresholds on the month's or the year's energy with a price increment
//                    per block, added on top of the period prices (residential tiers)
//   demand charges   URDB-style: per kW of the month's peak, by demand period (own schedule) and flat by month
//   basic charge     two-part tariffs (两部制): per kVA of capacity or per kW of demand, 105 % rule, 40 % floor,
//                    partial months at 1/30 per day
//   power factor     whether bills are adjusted, and the default standard
//   funds            per-kWh government funds and surcharges (outside the power-factor base)
//   fixed, minimum   fixed charges per month or per day; monthly and yearly minimum charges
//   rounding         how each bill component is rounded (default 2 decimals, half-up)
// Thread safety: plain data; a built Tariff is read concurrently without synchronisation.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/money.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "tariff/power_factor.hpp"

namespace gridaudit {

enum class DayType : std::uint8_t { workday, weekend, holiday };
inline constexpr int day_type_count = 3;
[[nodiscard]] std::string_view day_type_name(DayType type);  // "workday", "weekend", "holiday"

inline constexpr int slot_minutes = 15;
inline constexpr int slots_per_day = 24 * 60 / slot_minutes;  // 96

// Which calendar days are weekend days and holidays. A date listed as a working day is a workday
// even on a weekend (调休); a holiday is a holiday whatever its weekday.
struct TariffCalendar {
    std::uint8_t weekend_days = 0b1100000;  // bit 0 = Monday ... bit 6 = Sunday
    std::vector<CivilDate> holidays;        // sorted, unique
    std::vector<CivilDate> working_days;    // sorted, unique

    [[nodiscard]] DayType day_type(CivilDate date) const;
};

// The period index in force in each month (1..12), day type and 15-minute slot of the day.
class PeriodSchedule {
public:
    [[nodiscard]] int period_at(unsigned month, DayType day, int slot) const {
        return periods_[index(month, day, slot)];
    }
    void set(unsigned month, DayType day, int slot, int period) {
        periods_[index(month, day, slot)] = static_cast<std::uint8_t>(period);
    }
    // The largest period index used anywhere.
    [[nodiscard]] int max_period() const;
    // Whether `period` occurs anywhere in `month`.
    [[nodiscard]] bool occurs_in_month(unsigned month, int period) const;

private:
    static std::size_t index(unsigned month, DayType day, int slot) {
        return ((static_cast<std::size_t>(month) - 1) * day_type_count + static_cast<std::size_t>(day)) *
                   slots_per_day +
               static_cast<std::size_t>(slot);
    }
    std::array<std::uint8_t, 12 * day_type_count * slots_per_day> periods_{};
};

enum class PeriodKind : std::uint8_t { critical_peak, peak, flat, valley, deep_valley, other };
[[nodiscard]] std::string_view period_kind_name(PeriodKind kind);
[[nodiscard]] std::optional<PeriodKind> parse_period_kind(std::string_view text);

// One step of a tiered price: applies up to `up_to` (exclusive of the next tier); the last tier's
// up_to is Quantity::unbounded().
struct PriceTier {
    Quantity up_to = Quantity::unbounded();
    UnitPrice price;
};

// A time-of-use energy period. One tier: a plain price. Several: URDB-style tiers whose thresholds
// apply to the month's total energy, each period taking its share (see docs/tariffs.md).
struct EnergyPeriod {
    std::string name;
    PeriodKind kind = PeriodKind::other;
    std::vector<PriceTier> tiers;  // at least one
};

enum class TierAccumulation : std::uint8_t { month, year };  // year: calendar year, per customer to date
enum class MidYearStart : std::uint8_t { prorate_months, prorate_days, none };

// 阶梯 blocks: price increments added to the period price for the energy falling in each block.
struct TierBlocks {
    TierAccumulation accumulation = TierAccumulation::year;
    MidYearStart mid_year_start = MidYearStart::prorate_months;
    std::vector<PriceTier> blocks;  // price = increment per kWh; thresholds in kWh
};

struct DemandPeriod {
    std::string name;
    std::vector<PriceTier> tiers;  // thresholds in kW, prices per kW
};

// URDB-style demand charges: each demand period charges the month's peak kW within its hours;
// the monthly ("flat") structure charges the month's overall peak.
struct DemandCharges {
    std::vector<DemandPeriod> periods;  // empty: no time-of-use demand charge
    PeriodSchedule schedule;            // demand period per slot (when periods is not empty)
    std::array<std::int8_t, 12> monthly_structure_of_month{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    std::vector<std::vector<PriceTier>> monthly_structures;
};

enum class BasicChargeBasis : std::uint8_t {
    capacity,           // per kVA of the customer's (operating) capacity
    contracted_demand,  // per kW of contracted maximum demand; the excess above 105 % pays double
    actual_demand,      // per kW of the month's actual maximum demand
};
[[nodiscard]] std::string_view basic_charge_basis_name(BasicChargeBasis basis);

// The basic charge of a two-part tariff (两部制基本电费).
struct BasicCharge {
    BasicChargeBasis basis = BasicChargeBasis::capacity;
    UnitPrice price;                                           // per kVA-month or per kW-month
    Quantity excess_threshold = Quantity::from_units(10'500);  // 1.05: contracted demand x this
    std::int64_t excess_multiplier = 2;                        // the excess pays this many times the price
    Quantity demand_floor = Quantity::from_units(4'000);       // 0.40 of capacity, for contracted demand
    Quantity actual_demand_floor;                              // of capacity, for actual demand (default none)
    int partial_month_days = 30;                               // a partial month pays days / this (a part day is a day)
};

// The base of the adjustment: the exact energy + basic charge (round once, at the end), or the two
// components as rounded on the bill (what many billing systems do).
enum class PowerFactorBase : std::uint8_t { exact, rounded_components };

struct PowerFactorPolicy {
    bool adjusted = false;                                // whether bills on this tariff are adjusted at all
    std::optional<PowerFactorStandard> default_standard;  // the customer's standard takes precedence
    PowerFactorBase base = PowerFactorBase::exact;
};

struct Fund {
    std::string name;
    UnitPrice price;  // per kWh of total energy
};

enum class ChargeFrequency : std::uint8_t { month, day };

struct FixedCharge {
    std::string name;
    Money amount;
    ChargeFrequency per = ChargeFrequency::month;  // per day: days connected in the month
};

// Named rounding step "component": each bill component is rounded once, from its exact amount.
struct RoundingRule {
    int decimals = 2;
    Rounding mode = Rounding::half_up;
};

struct Tariff {
    std::string id;
    std::string name;
    std::string currency;
    std::string category;  // customers.csv category the tariff is meant for ("" if not stated)
    std::string voltage;   // free text ("10 kV")
    std::string source;    // where it was loaded from (file name, "urdb:...")
    std::optional<CivilDate> effective_from;
    std::optional<CivilDate> effective_to;

    TariffCalendar calendar;
    // A shared calendar named by id ("calendar": "CN-2026"; calendar_json.hpp). While the reference
    // is pending (not yet resolved by resolve_calendar or TariffBook), `calendar` is the default one
    // and price_month refuses the tariff.
    std::string calendar_id;
    bool calendar_pending = false;
    std::vector<EnergyPeriod> energy_periods;  // at least one
    PeriodSchedule energy_schedule;
    std::optional<TierBlocks> tier_blocks;
    std::optional<DemandCharges> demand;
    std::optional<BasicCharge> basic;
    PowerFactorPolicy power_factor;
    std::vector<Fund> funds;
    std::vector<FixedCharge> fixed_charges;
    Money monthly_minimum;
    Money yearly_minimum;
    RoundingRule rounding;

    // The energy period of a moment (a local calendar date and a 15-minute slot).
    [[nodiscard]] int energy_period_at(CivilDate date, int slot) const {
        return energy_schedule.period_at(date.month(), calendar.day_type(date), slot);
    }
    // The index of the first energy period of `kind`, if any.
    [[nodiscard]] std::optional<int> energy_period_of_kind(PeriodKind kind) const;
    // Whether any energy period has more than one tier.
    [[nodiscard]] bool has_period_tiers() const;
};

// Checks the invariants the engine relies on (schedules refer to existing periods, tiers rise,
// prices and ratios in range, ...). Both loaders call it last; a tariff built in code should too.
[[nodiscard]] Status validate_tariff(const Tariff& tariff);

}  // namespace gridaudit
