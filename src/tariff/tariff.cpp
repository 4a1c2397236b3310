// Calendar and schedule lookups, names of the model's enumerations, and the model's invariants.
#include "tariff/tariff.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gridaudit {
namespace {

Status check_tiers(const std::vector<PriceTier>& tiers, std::string_view what) {
    if (tiers.empty()) return user_error(fmt::format("{}: no tiers", what));
    for (std::size_t t = 0; t < tiers.size(); ++t) {
        const bool last = t + 1 == tiers.size();
        if (last != tiers[t].up_to.is_unbounded())
            return user_error(fmt::format("{}: only the last tier is unbounded (tier {})", what, t + 1));
        if (tiers[t].up_to.units() <= 0) return user_error(fmt::format("{}: tier {} ends at or below 0", what, t + 1));
        if (t > 0 && tiers[t].up_to <= tiers[t - 1].up_to)
            return user_error(fmt::format("{}: tier {} does not end above tier {}", what, t + 1, t));
    }
    return {};
}

}  // namespace

std::string_view day_type_name(DayType type) {
    switch (type) {
        case DayType::workday:
            return "workday";
        case DayType::weekend:
            return "weekend";
        case DayType::holiday:
            return "holiday";
    }
    return "workday";
}

DayType TariffCalendar::day_type(CivilDate date) const {
    if (!holidays.empty() && std::binary_search(holidays.begin(), holidays.end(), date)) return DayType::holiday;
    const unsigned weekday = date.weekday_from_monday();
    if ((weekend_days >> weekday) & 1u) {
        if (!working_days.empty() && std::binary_search(working_days.begin(), working_days.end(), date))
            return DayType::workday;
        return DayType::weekend;
    }
    return DayType::workday;
}

int PeriodSchedule::max_period() const {
    return *std::max_element(periods_.begin(), periods_.end());
}

bool PeriodSchedule::occurs_in_month(unsigned month, int period) const {
    const auto begin = periods_.begin() + static_cast<std::ptrdiff_t>(index(month, DayType::workday, 0));
    return std::find(begin, begin + day_type_count * slots_per_day, static_cast<std::uint8_t>(period)) !=
           begin + day_type_count * slots_per_day;
}

std::string_view period_kind_name(PeriodKind kind) {
    switch (kind) {
        case PeriodKind::critical_peak:
            return "critical_peak";
        case PeriodKind::peak:
            return "peak";
        case PeriodKind::flat:
            return "flat";
        case PeriodKind::valley:
            return "valley";
        case PeriodKind::deep_valley:
            return "deep_valley";
        case PeriodKind::other:
            return "other";
    }
    return "other";
}

std::optional<PeriodKind> parse_period_kind(std::string_view text) {
    for (const PeriodKind kind : {PeriodKind::critical_peak, PeriodKind::peak, PeriodKind::flat, PeriodKind::valley,
                                  PeriodKind::deep_valley, PeriodKind::other})
        if (text == period_kind_name(kind)) return kind;
    return std::nullopt;
}

std::string_view basic_charge_basis_name(BasicChargeBasis basis) {
    switch (basis) {
        case BasicChargeBasis::capacity:
            return "capacity";
        case BasicChargeBasis::contracted_demand:
            return "contracted_demand";
        case BasicChargeBasis::actual_demand:
            return "actual_demand";
    }
    return "capacity";
}

std::optional<int> Tariff::energy_period_of_kind(PeriodKind kind) const {
    for (std::size_t p = 0; p < energy_periods.size(); ++p)
        if (energy_periods[p].kind == kind) return static_cast<int>(p);
    return std::nullopt;
}

bool Tariff::has_period_tiers() const {
    return std::any_of(energy_periods.begin(), energy_periods.end(),
                       [](const EnergyPeriod& period) { return period.tiers.size() > 1; });
}

Status validate_tariff(const Tariff& tariff) {
    const auto fail = [&](std::string message) {
        return user_error(fmt::format("tariff {}: {}", tariff.id.empty() ? "(no id)" : tariff.id, message));
    };
    if (tariff.id.empty()) return fail("no id");
    if (tariff.energy_periods.empty()) return fail("no energy period");
    if (tariff.energy_periods.size() > 64) return fail("more than 64 energy periods");
    for (const auto& period : tariff.energy_periods)
        if (auto status = check_tiers(period.tiers, "energy period " + period.name); !status)
            return fail(status.error().message());
    if (tariff.energy_schedule.max_period() >= static_cast<int>(tariff.energy_periods.size()))
        return fail("the energy schedule refers to a period that does not exist");
    if (tariff.tier_blocks) {
        if (tariff.has_period_tiers()) return fail("tier blocks and tiered period prices cannot be combined");
        if (auto status = check_tiers(tariff.tier_blocks->blocks, "tier blocks"); !status)
            return fail(status.error().message());
    }
    if (tariff.demand) {
        const DemandCharges& demand = *tariff.demand;
        if (demand.periods.size() > 64) return fail("more than 64 demand periods");
        for (const auto& period : demand.periods)
            if (auto status = check_tiers(period.tiers, "demand period " + period.name); !status)
                return fail(status.error().message());
        if (!demand.periods.empty() && demand.schedule.max_period() >= static_cast<int>(demand.periods.size()))
            return fail("the demand schedule refers to a period that does not exist");
        for (const auto& structure : demand.monthly_structures)
            if (auto status = check_tiers(structure, "monthly demand charge"); !status)
                return fail(status.error().message());
        for (const std::int8_t index : demand.monthly_structure_of_month)
            if (index >= static_cast<int>(demand.monthly_structures.size()))
                return fail("a month refers to a monthly demand structure that does not exist");
    }
    if (tariff.basic) {
        const BasicCharge& basic = *tariff.basic;
        if (basic.price.units() < 0) return fail("negative basic charge price");
        if (basic.excess_threshold.units() < Quantity::units_per_one) return fail("excess demand threshold below 1");
        if (basic.excess_multiplier < 1) return fail("excess demand multiplier below 1");
        if (basic.demand_floor.units() < 0 || basic.demand_floor.units() > Quantity::units_per_one ||
            basic.actual_demand_floor.units() < 0 || basic.actual_demand_floor.units() > Quantity::units_per_one)
            return fail("demand floor outside 0..1");
        if (basic.partial_month_days < 28 || basic.partial_month_days > 31)
            return fail("partial month days outside 28..31");
    }
    if (tariff.rounding.decimals < 0 || tariff.rounding.decimals > 4) return fail("rounding decimals outside 0..4");
    if (tariff.monthly_minimum.units() < 0 || tariff.yearly_minimum.units() < 0) return fail("negative minimum charge");
    if (!std::is_sorted(tariff.calendar.holidays.begin(), tariff.calendar.holidays.end()) ||
        !std::is_sorted(tariff.calendar.working_days.begin(), tariff.calendar.working_days.end()))
        return fail("calendar dates not sorted");
    return {};
}

}  // namespace gridaudit
