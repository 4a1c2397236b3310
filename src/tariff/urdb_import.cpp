// URDB v7 rates into the tariff model.
#include "tariff/urdb_import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

#include "tariff/json_reader.hpp"

namespace gridaudit {
namespace {

// Descriptive members: read (when used) or accepted and ignored.
constexpr std::array<std::string_view, 37> descriptive_members{"label",
                                                               "uri",
                                                               "utility",
                                                               "name",
                                                               "sector",
                                                               "description",
                                                               "source",
                                                               "sourceparent",
                                                               "startdate",
                                                               "enddate",
                                                               "eiaid",
                                                               "approved",
                                                               "is_default",
                                                               "servicetype",
                                                               "country",
                                                               "voltagecategory",
                                                               "phasewiring",
                                                               "dgrules",
                                                               "basicinformationcomments",
                                                               "energycomments",
                                                               "demandcomments",
                                                               "revisions",
                                                               "supercedes",
                                                               "peakkwcapacitymin",
                                                               "peakkwcapacitymax",
                                                               "peakkwcapacityhistory",
                                                               "peakkwhusagemin",
                                                               "peakkwhusagemax",
                                                               "peakkwhusagehistory",
                                                               "voltageminimum",
                                                               "voltagemaximum",
                                                               "energyattrs",
                                                               "demandattrs",
                                                               "fixedattrs",
                                                               "utility_name",
                                                               "demandwindow",
                                                               "demandunits"};

// Members the import reads.
constexpr std::array<std::string_view, 17> structural_members{"energyratestructure",   "energyweekdayschedule",
                                                              "energyweekendschedule", "demandratestructure",
                                                              "demandweekdayschedule", "demandweekendschedule",
                                                              "flatdemandstructure",   "flatdemandmonths",
                                                              "fixedmonthlycharge",    "fixedchargefirstmeter",
                                                              "fixedchargeunits",      "minmonthlycharge",
                                                              "annualmincharge",       "mincharge",
                                                              "minchargeunits",        "demandrateunit",
                                                              "flatdemandunit"};

// Members that change a bill but are not in the model: refused unless empty, zero or null.
constexpr std::array<std::string_view, 12> unsupported_members{
    "demandratchetpercentage",   "coincidentrateunit", "coincidentratestructure", "coincidentrateschedule",
    "fueladjustmentsmonthly",    "lookbackpercent",    "lookbackrange",           "lookbackmonths",
    "demandreactivepowercharge", "fixedchargeeaaddl",  "mincharge_daily",         "flatdemandmonths_weekend"};

// A URDB number (often a float32 artefact such as 19.538999557495117) as a price, half-up to 1e-8.
Result<UnitPrice> urdb_price(const JsonSource& source, const JsonValue& value, std::string_view path) {
    if (!value.is_number()) return std::unexpected(json_error(source, value, path, "must be a number"));
    const auto price = UnitPrice::parse(value.text, DecimalFit::half_up);
    if (!price) return std::unexpected(json_error(source, value, path, "must be a rate below 10^10"));
    return *price;
}

bool is_trivial(const JsonValue& value) {
    switch (value.type) {
        case JsonValue::Type::null:
            return true;
        case JsonValue::Type::boolean:
            return !value.boolean;
        case JsonValue::Type::number:
            return std::strtod(value.text.c_str(), nullptr) == 0.0;
        case JsonValue::Type::string:
            return value.text.empty();
        case JsonValue::Type::array:
            return std::all_of(value.items.begin(), value.items.end(),
                               [](const JsonValue& item) { return is_trivial(item); });
        case JsonValue::Type::object:
            return value.members.empty();
    }
    return false;
}

class UrdbLoader {
public:
    explicit UrdbLoader(const JsonSource& source) : source_(source) {}

    Result<Tariff> load(const JsonValue& document) {
        const JsonValue* rate = &document;
        std::string base;
        if (document.is_object() && document.members.size() == 1 && document.members[0].name == "items") {
            const JsonValue& items = document.members[0].value;
            GA_TRY(require_array(source_, items, "items"));
            if (items.items.size() != 1)
                return std::unexpected(json_error(source_, items, "items", "must hold exactly one rate"));
            rate = &items.items[0];
            base = "items[0]";
        }
        GA_ASSIGN_OR_RETURN(auto object, JsonObjectReader::open(source_, *rate, base));
        base_ = base;
        // Unknown members first, so a misspelt member is named before anything it would have changed.
        for (const JsonMember& member : rate->members) {
            const auto known = [&](const auto& names) {
                return std::find(names.begin(), names.end(), member.name) != names.end();
            };
            if (!known(descriptive_members) && !known(unsupported_members) && !known(structural_members)) {
                std::string expected;
                for (const auto name : structural_members)
                    expected += (expected.empty() ? "" : ", ") + std::string(name);
                return std::unexpected(source_.error_at(member.offset, path(member.name),
                                                        "unknown member; expected one of: " + expected +
                                                            " (or a descriptive URDB member, see docs/tariffs.md)"));
            }
        }
        Tariff tariff;
        tariff.source = source_.name();
        tariff.currency = "USD";
        tariff.rounding = RoundingRule{2, Rounding::half_up};
        std::string label;
        if (const JsonValue* value = object.optional("label")) {
            GA_ASSIGN_OR_RETURN(label, read_string(source_, *value, path("label")));
        }
        if (const JsonValue* value = object.optional("name")) {
            GA_ASSIGN_OR_RETURN(tariff.name, read_string(source_, *value, path("name")));
        }
        if (const JsonValue* value = object.optional("sector")) {
            GA_ASSIGN_OR_RETURN(tariff.category, read_string(source_, *value, path("sector")));
        }
        tariff.id = !label.empty() ? "urdb-" + label : "urdb";
        if (tariff.name.empty()) tariff.name = "URDB rate";
        for (const auto name : descriptive_members) (void)object.optional(name);
        for (const auto name : unsupported_members) {
            if (const JsonValue* value = object.optional(name); value && !is_trivial(*value)) {
                return std::unexpected(json_error(source_, *value, path(name),
                                                  "is not supported by the GridAudit tariff model (docs/tariffs.md)"));
            }
        }
        GA_TRY(read_units(object));

        // Energy.
        GA_ASSIGN_OR_RETURN(const JsonValue* energy_structure, object.required("energyratestructure"));
        GA_ASSIGN_OR_RETURN(auto energy_tiers, read_structure(*energy_structure, path("energyratestructure"), true));
        GA_ASSIGN_OR_RETURN(const JsonValue* energy_weekday, object.required("energyweekdayschedule"));
        GA_ASSIGN_OR_RETURN(const JsonValue* energy_weekend, object.required("energyweekendschedule"));
        GA_ASSIGN_OR_RETURN(auto energy_schedule,
                            read_schedules(*energy_weekday, *energy_weekend, "energy", energy_tiers.size()));
        const auto energy_used = used_periods(energy_schedule, energy_tiers.size());
        std::vector<int> energy_index(energy_tiers.size(), -1);
        for (std::size_t p = 0; p < energy_tiers.size(); ++p) {
            if (!energy_used[p]) continue;
            energy_index[p] = static_cast<int>(tariff.energy_periods.size());
            tariff.energy_periods.push_back(
                EnergyPeriod{fmt::format("period_{}", p + 1), PeriodKind::other, std::move(energy_tiers[p])});
        }
        tariff.energy_schedule = remap(energy_schedule, energy_index);

        // Demand.
        const JsonValue* demand_structure = object.optional("demandratestructure");
        const JsonValue* demand_weekday = object.optional("demandweekdayschedule");
        const JsonValue* demand_weekend = object.optional("demandweekendschedule");
        const JsonValue* flat_structure = object.optional("flatdemandstructure");
        const JsonValue* flat_months = object.optional("flatdemandmonths");
        DemandCharges demand;
        bool has_demand = false;
        if (demand_structure && !is_trivial(*demand_structure)) {
            if (!demand_weekday || !demand_weekend)
                return std::unexpected(
                    object.error("demandratestructure needs demandweekdayschedule and demandweekendschedule"));
            GA_ASSIGN_OR_RETURN(auto demand_tiers,
                                read_structure(*demand_structure, path("demandratestructure"), false));
            GA_ASSIGN_OR_RETURN(auto schedule,
                                read_schedules(*demand_weekday, *demand_weekend, "demand", demand_tiers.size()));
            const auto used = used_periods(schedule, demand_tiers.size());
            std::vector<int> index(demand_tiers.size(), -1);
            for (std::size_t p = 0; p < demand_tiers.size(); ++p) {
                if (!used[p]) continue;
                index[p] = static_cast<int>(demand.periods.size());
                demand.periods.push_back(
                    DemandPeriod{fmt::format("demand_period_{}", p + 1), std::move(demand_tiers[p])});
            }
            demand.schedule = remap(schedule, index);
            has_demand = !demand.periods.empty();
        } else if ((demand_weekday && !is_trivial(*demand_weekday)) ||
                   (demand_weekend && !is_trivial(*demand_weekend))) {
            return std::unexpected(object.error("demand schedules without demandratestructure"));
        }
        if (flat_structure && !is_trivial(*flat_structure)) {
            if (!flat_months) return std::unexpected(object.error("flatdemandstructure needs flatdemandmonths"));
            GA_ASSIGN_OR_RETURN(demand.monthly_structures,
                                read_structure(*flat_structure, path("flatdemandstructure"), false));
            const std::string months_path = path("flatdemandmonths");
            GA_TRY(require_array(source_, *flat_months, months_path));
            if (flat_months->items.size() != 12)
                return std::unexpected(json_error(source_, *flat_months, months_path, "must hold 12 months"));
            for (std::size_t m = 0; m < 12; ++m) {
                GA_ASSIGN_OR_RETURN(const int structure,
                                    read_integer(source_, flat_months->items[m], item_path(months_path, m), 0,
                                                 static_cast<int>(demand.monthly_structures.size()) - 1, true));
                demand.monthly_structure_of_month[m] = static_cast<std::int8_t>(structure);
            }
            has_demand = true;
        }  // flatdemandmonths without a structure charge nothing; accepted as URDB writes them
        if (has_demand) tariff.demand = std::move(demand);

        // Fixed and minimum charges.
        if (const JsonValue* value = object.optional("fixedmonthlycharge")) {
            GA_ASSIGN_OR_RETURN(const Money amount,
                                read_money(source_, *value, path("fixedmonthlycharge"), DecimalFit::half_up));
            if (amount.units() > 0)
                tariff.fixed_charges.push_back(FixedCharge{"fixed monthly charge", amount, ChargeFrequency::month});
        }
        if (const JsonValue* value = object.optional("fixedchargefirstmeter")) {
            GA_ASSIGN_OR_RETURN(const Money amount,
                                read_money(source_, *value, path("fixedchargefirstmeter"), DecimalFit::half_up));
            if (amount.units() > 0) {
                if (!tariff.fixed_charges.empty())
                    return std::unexpected(json_error(source_, *value, path("fixedchargefirstmeter"),
                                                      "contradicts fixedmonthlycharge (give one of them)"));
                tariff.fixed_charges.push_back(FixedCharge{"fixed charge", amount, fixed_charge_per_});
            }
        }
        if (const JsonValue* value = object.optional("minmonthlycharge")) {
            GA_ASSIGN_OR_RETURN(tariff.monthly_minimum,
                                read_money(source_, *value, path("minmonthlycharge"), DecimalFit::half_up));
        }
        if (const JsonValue* value = object.optional("annualmincharge")) {
            GA_ASSIGN_OR_RETURN(tariff.yearly_minimum,
                                read_money(source_, *value, path("annualmincharge"), DecimalFit::half_up));
        }
        if (const JsonValue* value = object.optional("mincharge")) {
            GA_ASSIGN_OR_RETURN(const Money amount,
                                read_money(source_, *value, path("mincharge"), DecimalFit::half_up));
            if (amount.units() > 0) {
                Money& target = minimum_per_year_ ? tariff.yearly_minimum : tariff.monthly_minimum;
                if (target.units() > 0 && target != amount)
                    return std::unexpected(json_error(source_, *value, path("mincharge"),
                                                      "contradicts minmonthlycharge or annualmincharge"));
                target = amount;
            }
        }
        GA_TRY(object.finish());
        if (auto status = validate_tariff(tariff); !status)
            return std::unexpected(status.error().with_context(source_.name()));
        return tariff;
    }

private:
    std::string path(std::string_view name) const { return member_path(base_, name); }

    Status read_units(JsonObjectReader& object) {
        const auto expect_text = [&](std::string_view name,
                                     std::initializer_list<std::string_view> accepted) -> Result<std::string> {
            const JsonValue* value = object.optional(name);
            if (!value || value->type == JsonValue::Type::null) return std::string();
            const bool ok =
                value->is_string() && std::find(accepted.begin(), accepted.end(), value->text) != accepted.end();
            if (!ok) {
                std::string list;
                for (const auto option : accepted) list += (list.empty() ? "" : ", ") + std::string(option);
                return std::unexpected(json_error(source_, *value, path(name), "supported: " + list));
            }
            return value->text;
        };
        GA_TRY(expect_text("demandrateunit", {"kW"}));
        GA_TRY(expect_text("flatdemandunit", {"kW"}));
        GA_ASSIGN_OR_RETURN(const std::string fixed_units, expect_text("fixedchargeunits", {"$/month", "$/day"}));
        fixed_charge_per_ = fixed_units == "$/day" ? ChargeFrequency::day : ChargeFrequency::month;
        GA_ASSIGN_OR_RETURN(const std::string minimum_units, expect_text("minchargeunits", {"$/month", "$/year"}));
        minimum_per_year_ = minimum_units == "$/year";
        return {};
    }

    // [[{"max": q, "rate": r, "adj": a, "unit": "kWh", "sell": s}, ...], ...] -> tiers per period.
    Result<std::vector<std::vector<PriceTier>>> read_structure(const JsonValue& value, const std::string& at,
                                                               bool energy) {
        GA_TRY(require_array(source_, value, at));
        if (value.items.empty())
            return std::unexpected(json_error(source_, value, at, "must hold at least one period"));
        if (value.items.size() > 64) return std::unexpected(json_error(source_, value, at, "more than 64 periods"));
        std::vector<std::vector<PriceTier>> periods;
        for (std::size_t p = 0; p < value.items.size(); ++p) {
            const std::string period_path = item_path(at, p);
            const JsonValue& period = value.items[p];
            GA_TRY(require_array(source_, period, period_path));
            if (period.items.empty())
                return std::unexpected(json_error(source_, period, period_path, "must hold at least one tier"));
            std::vector<PriceTier> tiers;
            for (std::size_t t = 0; t < period.items.size(); ++t) {
                const std::string tier_path = item_path(period_path, t);
                GA_ASSIGN_OR_RETURN(auto tier_object, JsonObjectReader::open(source_, period.items[t], tier_path));
                PriceTier tier;
                UnitPrice price;
                if (const JsonValue* rate = tier_object.optional("rate")) {
                    GA_ASSIGN_OR_RETURN(price, urdb_price(source_, *rate, member_path(tier_path, "rate")));
                }
                if (const JsonValue* adjustment = tier_object.optional("adj")) {
                    GA_ASSIGN_OR_RETURN(const UnitPrice adj,
                                        urdb_price(source_, *adjustment, member_path(tier_path, "adj")));
                    price = price + adj;
                }
                if (!tier_object.has("rate") && !tier_object.has("adj"))
                    return std::unexpected(tier_object.error("missing member rate"));
                if (price.units() < 0)
                    return std::unexpected(tier_object.error("rate + adj is negative; credits are not modelled"));
                tier.price = price;
                const bool last = t + 1 == period.items.size();
                if (const JsonValue* max = tier_object.optional("max")) {
                    GA_ASSIGN_OR_RETURN(tier.up_to, read_max(*max, member_path(tier_path, "max")));
                } else if (!last) {
                    return std::unexpected(tier_object.error("missing member max: only the last tier is unbounded"));
                }
                if (last) tier.up_to = Quantity::unbounded();
                if (!tier.up_to.is_unbounded() && !tiers.empty() && tier.up_to <= tiers.back().up_to) {
                    return std::unexpected(tier_object.error(
                        fmt::format("tiers out of order: max must be above {}", tiers.back().up_to.to_string())));
                }
                if (!last && tier.up_to.is_unbounded())
                    return std::unexpected(tier_object.error("an unbounded tier must be the last"));
                if (energy) {
                    if (const JsonValue* unit = tier_object.optional("unit");
                        unit && !(unit->is_string() && unit->text == "kWh")) {
                        return std::unexpected(json_error(source_, *unit, member_path(tier_path, "unit"),
                                                          "only \"kWh\" tiers are supported (monthly kWh)"));
                    }
                    (void)tier_object.optional("sell");  // sell rates are ignored: loads are priced as bought
                }
                GA_TRY(tier_object.finish());
                tiers.push_back(tier);
            }
            periods.push_back(std::move(tiers));
        }
        return periods;
    }

    Result<Quantity> read_max(const JsonValue& value, const std::string& at) {
        if (!value.is_number()) return std::unexpected(json_error(source_, value, at, "must be a number"));
        const double number = std::strtod(value.text.c_str(), nullptr);
        if (number >= 1e37) return Quantity::unbounded();
        const auto units = parse_scaled_decimal(value.text, Quantity::decimals, DecimalFit::half_up, Int128(1) << 62);
        if (!units || *units <= 0) return std::unexpected(json_error(source_, value, at, "must be above 0"));
        return Quantity::from_units(static_cast<std::int64_t>(*units));
    }

    // The weekday and weekend 12 x 24 matrices -> a schedule (holidays use the weekend one).
    Result<PeriodSchedule> read_schedules(const JsonValue& weekday, const JsonValue& weekend, std::string_view kind,
                                          std::size_t period_count) {
        PeriodSchedule schedule;
        for (const auto& [value, day] :
             {std::pair{&weekday, DayType::workday}, std::pair{&weekend, DayType::weekend}}) {
            const std::string at =
                path(fmt::format("{}{}schedule", kind, day == DayType::workday ? "weekday" : "weekend"));
            GA_TRY(require_array(source_, *value, at));
            if (value->items.size() != 12)
                return std::unexpected(json_error(source_, *value, at, "must hold 12 months"));
            for (std::size_t m = 0; m < 12; ++m) {
                const JsonValue& row = value->items[m];
                const std::string row_path = item_path(at, m);
                GA_TRY(require_array(source_, row, row_path));
                if (row.items.size() != 24)
                    return std::unexpected(json_error(source_, row, row_path, "must hold 24 hours"));
                for (std::size_t h = 0; h < 24; ++h) {
                    const JsonValue& cell = row.items[h];
                    const auto index = read_integer(source_, cell, item_path(row_path, h), 0, 1'000'000, true);
                    if (!index) return std::unexpected(index.error());
                    if (*index >= static_cast<int>(period_count)) {
                        return std::unexpected(
                            json_error(source_, cell, item_path(row_path, h),
                                       fmt::format("unknown period index: the {} rate structure has {} periods (0..{})",
                                                   kind, period_count, period_count - 1)));
                    }
                    for (int slot = 0; slot < 60 / slot_minutes; ++slot) {
                        const int at_slot = static_cast<int>(h) * (60 / slot_minutes) + slot;
                        schedule.set(static_cast<unsigned>(m + 1), day, at_slot, *index);
                        if (day == DayType::weekend)
                            schedule.set(static_cast<unsigned>(m + 1), DayType::holiday, at_slot, *index);
                    }
                }
            }
        }
        return schedule;
    }

    static std::vector<bool> used_periods(const PeriodSchedule& schedule, std::size_t count) {
        std::vector<bool> used(count, false);
        for (unsigned month = 1; month <= 12; ++month)
            for (const DayType day : {DayType::workday, DayType::weekend})
                for (int slot = 0; slot < slots_per_day; ++slot)
                    used[static_cast<std::size_t>(schedule.period_at(month, day, slot))] = true;
        return used;
    }

    static PeriodSchedule remap(const PeriodSchedule& schedule, const std::vector<int>& index) {
        PeriodSchedule result;
        for (unsigned month = 1; month <= 12; ++month)
            for (const DayType day : {DayType::workday, DayType::weekend, DayType::holiday})
                for (int slot = 0; slot < slots_per_day; ++slot)
                    result.set(month, day, slot, index[static_cast<std::size_t>(schedule.period_at(month, day, slot))]);
        return result;
    }

    const JsonSource& source_;
    std::string base_;
    ChargeFrequency fixed_charge_per_ = ChargeFrequency::month;
    bool minimum_per_year_ = false;
};

}  // namespace

Result<Tariff> parse_urdb_rate(std::string_view content, std::string_view source_name) {
    const JsonSource source(std::string(source_name), content);
    GA_ASSIGN_OR_RETURN(const JsonValue root, parse_json_tree(source));
    UrdbLoader loader(source);
    return loader.load(root);
}

}  // namespace gridaudit
