// The writer of the GridAudit tariff JSON format (docs/tariffs.md): any tariff model, a URDB import
// too, as a document the loader (tariff_json_reader.cpp) reads back to the same model.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tariff/tariff_json.hpp"
#include "tariff/tariff_json_words.hpp"

namespace gridaudit {
namespace {

using Json = nlohmann::ordered_json;

// A number written exactly as its decimal text (a double would lose digits of large prices):
// a marked string here, turned into a bare number token by unmark_numbers() after dumping.
constexpr std::string_view number_mark = "\x01number:";

Json exact_number(const std::string& text) {
    return Json(std::string(number_mark) + text);
}

std::string unmark_numbers(const std::string& dumped) {
    const std::string marker = "\"\\u0001number:";  // how the dump escapes the mark
    std::string out;
    std::size_t at = 0;
    while (true) {
        const std::size_t found = dumped.find(marker, at);
        if (found == std::string::npos) break;
        const std::size_t value = found + marker.size();
        const std::size_t end = dumped.find('"', value);
        out.append(dumped, at, found - at);
        out.append(dumped, value, end - value);
        at = end + 1;
    }
    out.append(dumped, at, std::string::npos);
    return out;
}

Json tiers_json(const std::vector<PriceTier>& tiers, std::string_view up_to, std::string_view price) {
    Json list = Json::array();
    for (const auto& tier : tiers) {
        Json item = Json::object();
        if (!tier.up_to.is_unbounded()) item[std::string(up_to)] = exact_number(tier.up_to.to_string());
        item[std::string(price)] = exact_number(tier.price.to_string());
        list.push_back(item);
    }
    return list;
}

// Seasons as groups of months whose schedules (energy and demand together) are identical.
struct SeasonGroups {
    std::vector<std::vector<unsigned>> months;
};

bool same_month(const PeriodSchedule& schedule, unsigned a, unsigned b) {
    for (const DayType day : all_day_types)
        for (int slot = 0; slot < slots_per_day; ++slot)
            if (schedule.period_at(a, day, slot) != schedule.period_at(b, day, slot)) return false;
    return true;
}

SeasonGroups group_months(const Tariff& tariff) {
    SeasonGroups groups;
    std::vector<unsigned> first_of_group;
    for (unsigned month = 1; month <= 12; ++month) {
        bool placed = false;
        for (std::size_t g = 0; g < first_of_group.size() && !placed; ++g) {
            const unsigned first = first_of_group[g];
            bool same = same_month(tariff.energy_schedule, first, month);
            if (same && tariff.demand && !tariff.demand->periods.empty())
                same = same_month(tariff.demand->schedule, first, month);
            if (same) {
                groups.months[g].push_back(month);
                placed = true;
            }
        }
        if (!placed) {
            first_of_group.push_back(month);
            groups.months.push_back({month});
        }
    }
    return groups;
}

std::string season_name(std::size_t index, std::size_t count) {
    return count == 1 ? "all_year" : fmt::format("season_{}", index + 1);
}

Json schedule_json(const PeriodSchedule& schedule, const SeasonGroups& groups, const std::vector<std::string>& names) {
    Json entries = Json::array();
    for (std::size_t g = 0; g < groups.months.size(); ++g) {
        const unsigned month = groups.months[g][0];
        std::vector<bool> written(day_type_count, false);
        for (const DayType day : all_day_types) {
            if (written[static_cast<std::size_t>(day)]) continue;
            Json days = Json::array();
            for (const DayType other : all_day_types) {
                bool same = true;
                for (int slot = 0; slot < slots_per_day && same; ++slot)
                    same = schedule.period_at(month, day, slot) == schedule.period_at(month, other, slot);
                if (same && !written[static_cast<std::size_t>(other)]) {
                    written[static_cast<std::size_t>(other)] = true;
                    days.push_back(std::string(day_type_name(other)));
                }
            }
            Json hours = Json::object();
            int slot = 0;
            while (slot < slots_per_day) {
                const int period = schedule.period_at(month, day, slot);
                int end = slot;
                while (end < slots_per_day && schedule.period_at(month, day, end) == period) ++end;
                const std::string& name = names[static_cast<std::size_t>(period)];
                if (!hours.contains(name)) hours[name] = Json::array();
                hours[name].push_back(
                    fmt::format("{}-{}", slot_time(slot), end == slots_per_day ? "24:00" : slot_time(end)));
                slot = end;
            }
            Json entry = Json::object();
            if (groups.months.size() > 1) entry["seasons"] = Json::array({season_name(g, groups.months.size())});
            if (days.size() < static_cast<std::size_t>(day_type_count)) entry["days"] = days;
            entry["hours"] = hours;
            entries.push_back(entry);
        }
    }
    return entries;
}

}  // namespace

std::string tariff_to_json(const Tariff& tariff) {
    Json doc = Json::object();
    doc["format"] = std::string(tariff_format_tag);
    doc["id"] = tariff.id;
    doc["name"] = tariff.name.empty() ? tariff.id : tariff.name;
    doc["currency"] = tariff.currency.empty() ? "CNY" : tariff.currency;
    if (!tariff.category.empty()) doc["category"] = tariff.category;
    if (!tariff.voltage.empty()) doc["voltage"] = tariff.voltage;
    if (tariff.effective_from) doc["effective_from"] = tariff.effective_from->to_string();
    if (tariff.effective_to) doc["effective_to"] = tariff.effective_to->to_string();
    const TariffCalendar& calendar = tariff.calendar;
    if (!tariff.calendar_id.empty()) {
        doc["calendar"] = tariff.calendar_id;  // a shared calendar, written once in its own document
    } else if (calendar.weekend_days != TariffCalendar{}.weekend_days || !calendar.holidays.empty() ||
               !calendar.working_days.empty()) {
        Json object = Json::object();
        Json weekend = Json::array();
        for (unsigned bit = 0; bit < 7; ++bit)
            if ((calendar.weekend_days >> bit) & 1u) weekend.push_back(std::string(weekday_names[bit]));
        object["weekend"] = weekend;
        if (!calendar.holidays.empty()) {
            object["holidays"] = Json::array();
            for (const CivilDate day : calendar.holidays) object["holidays"].push_back(day.to_string());
        }
        if (!calendar.working_days.empty()) {
            object["working_days"] = Json::array();
            for (const CivilDate day : calendar.working_days) object["working_days"].push_back(day.to_string());
        }
        doc["calendar"] = object;
    }
    const SeasonGroups groups = group_months(tariff);
    if (groups.months.size() > 1) {
        Json seasons = Json::array();
        for (std::size_t g = 0; g < groups.months.size(); ++g)
            seasons.push_back(Json{{"name", season_name(g, groups.months.size())}, {"months", groups.months[g]}});
        doc["seasons"] = seasons;
    }
    Json energy = Json::object();
    Json periods = Json::array();
    std::vector<std::string> names;
    for (const auto& period : tariff.energy_periods) {
        Json item = Json::object();
        item["name"] = period.name;
        item["kind"] = std::string(period_kind_name(period.kind));
        if (period.tiers.size() == 1)
            item["price"] = exact_number(period.tiers[0].price.to_string());
        else
            item["tiers"] = tiers_json(period.tiers, "up_to_kwh", "price");
        periods.push_back(item);
        names.push_back(period.name);
    }
    energy["periods"] = periods;
    energy["schedule"] = schedule_json(tariff.energy_schedule, groups, names);
    if (tariff.tier_blocks) {
        Json tiers = Json::object();
        tiers["accumulation"] = tariff.tier_blocks->accumulation == TierAccumulation::year ? "year" : "month";
        if (tariff.tier_blocks->accumulation == TierAccumulation::year) {
            tiers["mid_year_start"] =
                tariff.tier_blocks->mid_year_start == MidYearStart::prorate_months ? "prorate_months"
                : tariff.tier_blocks->mid_year_start == MidYearStart::prorate_days ? "prorate_days"
                                                                                   : "none";
        }
        tiers["blocks"] = tiers_json(tariff.tier_blocks->blocks, "up_to_kwh", "increment");
        energy["tiers"] = tiers;
    }
    doc["energy"] = energy;
    if (tariff.demand) {
        const DemandCharges& demand = *tariff.demand;
        Json object = Json::object();
        if (!demand.periods.empty()) {
            Json list = Json::array();
            std::vector<std::string> demand_names;
            for (const auto& period : demand.periods) {
                list.push_back(Json{{"name", period.name}, {"tiers", tiers_json(period.tiers, "up_to_kw", "price")}});
                demand_names.push_back(period.name);
            }
            object["periods"] = list;
            object["schedule"] = schedule_json(demand.schedule, groups, demand_names);
        }
        if (!demand.monthly_structures.empty()) {
            Json monthly = Json::array();
            for (std::size_t s = 0; s < demand.monthly_structures.size(); ++s) {
                Json months = Json::array();
                for (unsigned m = 0; m < 12; ++m)
                    if (demand.monthly_structure_of_month[m] == static_cast<int>(s)) months.push_back(m + 1);
                if (months.empty()) continue;
                monthly.push_back(
                    Json{{"months", months}, {"tiers", tiers_json(demand.monthly_structures[s], "up_to_kw", "price")}});
            }
            object["monthly"] = monthly;
        }
        doc["demand_charges"] = object;
    }
    if (tariff.basic) {
        const BasicCharge& basic = *tariff.basic;
        Json object = Json::object();
        object["basis"] = std::string(basic_charge_basis_name(basic.basis));
        object["price"] = exact_number(basic.price.to_string());
        if (basic.basis == BasicChargeBasis::contracted_demand) {
            object["excess_demand_threshold"] = exact_number(basic.excess_threshold.to_string());
            object["excess_demand_multiplier"] = basic.excess_multiplier;
            object["contracted_demand_floor"] = exact_number(basic.demand_floor.to_string());
        }
        if (basic.basis == BasicChargeBasis::actual_demand)
            object["actual_demand_floor"] = exact_number(basic.actual_demand_floor.to_string());
        object["partial_month_days"] = basic.partial_month_days;
        doc["basic_charge"] = object;
    }
    if (tariff.power_factor.adjusted) {
        Json object{{"adjustment", true}};
        if (tariff.power_factor.default_standard)
            object["standard"] =
                exact_number(std::string(power_factor_standard_name(*tariff.power_factor.default_standard)));
        object["base"] = tariff.power_factor.base == PowerFactorBase::exact ? "exact" : "rounded_components";
        doc["power_factor"] = object;
    }
    if (!tariff.funds.empty()) {
        Json funds = Json::array();
        for (const auto& fund : tariff.funds)
            funds.push_back(Json{{"name", fund.name}, {"price", exact_number(fund.price.to_string())}});
        doc["funds"] = funds;
    }
    if (!tariff.fixed_charges.empty()) {
        Json charges = Json::array();
        for (const auto& charge : tariff.fixed_charges) {
            charges.push_back(Json{{"name", charge.name},
                                   {"amount", exact_number(charge.amount.to_string(4))},
                                   {"per", charge.per == ChargeFrequency::day ? "day" : "month"}});
        }
        doc["fixed_charges"] = charges;
    }
    if (tariff.monthly_minimum.units() != 0 || tariff.yearly_minimum.units() != 0) {
        doc["minimum_charge"] = Json{{"monthly", exact_number(tariff.monthly_minimum.to_string(4))},
                                     {"yearly", exact_number(tariff.yearly_minimum.to_string(4))}};
    }
    doc["rounding"] =
        Json{{"decimals", tariff.rounding.decimals}, {"mode", std::string(rounding_name(tariff.rounding.mode))}};
    return unmark_numbers(doc.dump(2)) + "\n";
}

}  // namespace gridaudit
