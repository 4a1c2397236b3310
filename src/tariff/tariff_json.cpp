// Loader and writer of the GridAudit tariff JSON format (docs/tariffs.md).
#include "tariff/tariff_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>

#include "tariff/calendar_json.hpp"
#include "tariff/json_reader.hpp"

namespace gridaudit {
namespace {

constexpr std::array<std::string_view, 7> weekday_names{"monday", "tuesday",  "wednesday", "thursday",
                                                        "friday", "saturday", "sunday"};
constexpr std::array<DayType, day_type_count> all_day_types{DayType::workday, DayType::weekend, DayType::holiday};

std::string slot_time(int slot) {
    const int minutes = slot * slot_minutes;
    return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60);
}

// "08:00-11:30" -> [start slot, end slot); end may be below start (the range wraps past midnight).
std::optional<std::pair<int, int>> parse_hour_range(std::string_view text) {
    if (text.size() != 11 || text[2] != ':' || text[5] != '-' || text[8] != ':') return std::nullopt;
    const auto read_time = [&](std::size_t at) -> int {
        for (const std::size_t i : {at, at + 1, at + 3, at + 4})
            if (text[i] < '0' || text[i] > '9') return -1;
        const int hours = (text[at] - '0') * 10 + (text[at + 1] - '0');
        const int minutes = (text[at + 3] - '0') * 10 + (text[at + 4] - '0');
        if (hours > 24 || minutes % slot_minutes != 0 || minutes >= 60 || (hours == 24 && minutes != 0)) return -1;
        return (hours * 60 + minutes) / slot_minutes;
    };
    const int start = read_time(0);
    const int end = read_time(6);
    if (start < 0 || end < 0 || start == slots_per_day || start == end) return std::nullopt;
    return std::pair{start, end};
}

struct Seasons {
    std::vector<std::string> names;
    std::array<int, 12> of_month{};
};

// A named thing defined in the file (a period), for "unused" messages.
struct Defined {
    std::string name;
    std::uint32_t offset = 0;
    std::string path;
    bool used = false;
};

class TariffJsonLoader {
public:
    explicit TariffJsonLoader(const JsonSource& source) : source_(source) {}

    Result<Tariff> load(const JsonValue& root) {
        GA_ASSIGN_OR_RETURN(auto top, JsonObjectReader::open(source_, root, ""));
        const JsonValue* format = top.optional("format");
        if (!format) {
            const bool urdb = top.has("energyratestructure") || top.has("items");
            return std::unexpected(source_.error_at(
                root.offset, "format",
                fmt::format("missing member; a GridAudit tariff declares \"format\": \"{}\" (see docs/tariffs.md){}",
                            tariff_format_tag, urdb ? "; this looks like a URDB rate: use --format urdb" : "")));
        }
        if (!format->is_string() || format->text != tariff_format_tag) {
            return std::unexpected(
                json_error(source_, *format, "format", fmt::format("must be \"{}\"", tariff_format_tag)));
        }
        Tariff tariff;
        tariff.source = source_.name();
        GA_ASSIGN_OR_RETURN(const JsonValue* id, top.required("id"));
        GA_ASSIGN_OR_RETURN(tariff.id, read_string(source_, *id, "id"));
        GA_ASSIGN_OR_RETURN(const JsonValue* name, top.required("name"));
        GA_ASSIGN_OR_RETURN(tariff.name, read_string(source_, *name, "name"));
        GA_ASSIGN_OR_RETURN(const JsonValue* currency, top.required("currency"));
        GA_ASSIGN_OR_RETURN(tariff.currency, read_string(source_, *currency, "currency"));
        if (tariff.currency.size() != 3 ||
            !std::all_of(tariff.currency.begin(), tariff.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
            return std::unexpected(json_error(source_, *currency, "currency", "must be an ISO 4217 code such as CNY"));
        if (const JsonValue* value = top.optional("category")) {
            GA_ASSIGN_OR_RETURN(tariff.category, read_string(source_, *value, "category"));
        }
        if (const JsonValue* value = top.optional("voltage")) {
            GA_ASSIGN_OR_RETURN(tariff.voltage, read_string(source_, *value, "voltage"));
        }
        if (const JsonValue* value = top.optional("description")) {
            GA_TRY(read_string(source_, *value, "description"));
        }
        if (const JsonValue* value = top.optional("effective_from")) {
            GA_ASSIGN_OR_RETURN(tariff.effective_from, read_date(source_, *value, "effective_from"));
        }
        if (const JsonValue* value = top.optional("effective_to")) {
            GA_ASSIGN_OR_RETURN(tariff.effective_to, read_date(source_, *value, "effective_to"));
            if (tariff.effective_from && *tariff.effective_to < *tariff.effective_from)
                return std::unexpected(json_error(source_, *value, "effective_to", "is before effective_from"));
        }
        if (const JsonValue* value = top.optional("calendar")) {
            if (value->is_string()) {
                // A shared calendar by id, resolved later (resolve_calendar, TariffBook).
                if (value->text.empty())
                    return std::unexpected(
                        json_error(source_, *value, "calendar", "must be a calendar id or a calendar object"));
                tariff.calendar_id = value->text;
                tariff.calendar_pending = true;
            } else {
                GA_ASSIGN_OR_RETURN(tariff.calendar, read_calendar(*value));
            }
        }
        Seasons seasons;
        if (const JsonValue* value = top.optional("seasons")) {
            GA_ASSIGN_OR_RETURN(seasons, read_seasons(*value));
        } else {
            seasons.names = {"all_year"};
        }
        GA_ASSIGN_OR_RETURN(const JsonValue* energy, top.required("energy"));
        GA_TRY(read_energy(*energy, seasons, tariff));
        if (const JsonValue* value = top.optional("demand_charges")) {
            GA_ASSIGN_OR_RETURN(tariff.demand, read_demand(*value, seasons));
        }
        if (const JsonValue* value = top.optional("basic_charge")) {
            GA_ASSIGN_OR_RETURN(tariff.basic, read_basic(*value));
        }
        if (const JsonValue* value = top.optional("power_factor")) {
            GA_ASSIGN_OR_RETURN(tariff.power_factor, read_power_factor(*value));
        }
        if (const JsonValue* value = top.optional("funds")) {
            GA_ASSIGN_OR_RETURN(tariff.funds, read_funds(*value));
        }
        if (const JsonValue* value = top.optional("fixed_charges")) {
            GA_ASSIGN_OR_RETURN(tariff.fixed_charges, read_fixed_charges(*value));
        }
        if (const JsonValue* value = top.optional("minimum_charge")) {
            GA_ASSIGN_OR_RETURN(auto minimum, JsonObjectReader::open(source_, *value, "minimum_charge"));
            if (const JsonValue* monthly = minimum.optional("monthly")) {
                GA_ASSIGN_OR_RETURN(tariff.monthly_minimum,
                                    read_money(source_, *monthly, "minimum_charge.monthly", DecimalFit::exact));
            }
            if (const JsonValue* yearly = minimum.optional("yearly")) {
                GA_ASSIGN_OR_RETURN(tariff.yearly_minimum,
                                    read_money(source_, *yearly, "minimum_charge.yearly", DecimalFit::exact));
            }
            GA_TRY(minimum.finish());
        }
        if (const JsonValue* value = top.optional("rounding")) {
            GA_ASSIGN_OR_RETURN(tariff.rounding, read_rounding(*value));
        }
        GA_TRY(top.finish());
        if (auto status = validate_tariff(tariff); !status)
            return std::unexpected(status.error().with_context(source_.name()));
        return tariff;
    }

private:
    Result<TariffCalendar> read_calendar(const JsonValue& value) {
        GA_ASSIGN_OR_RETURN(auto object, JsonObjectReader::open(source_, value, "calendar"));
        GA_ASSIGN_OR_RETURN(TariffCalendar calendar, read_calendar_members(source_, object, "calendar"));
        GA_TRY(object.finish());
        return calendar;
    }

    Result<Seasons> read_seasons(const JsonValue& value) {
        const std::string path = "seasons";
        GA_TRY(require_array(source_, value, path));
        if (value.items.empty())
            return std::unexpected(json_error(source_, value, path, "must name at least one season"));
        Seasons seasons;
        seasons.of_month.fill(-1);
        for (std::size_t i = 0; i < value.items.size(); ++i) {
            const std::string at = item_path(path, i);
            GA_ASSIGN_OR_RETURN(auto season, JsonObjectReader::open(source_, value.items[i], at));
            GA_ASSIGN_OR_RETURN(const JsonValue* name_value, season.required("name"));
            GA_ASSIGN_OR_RETURN(std::string name, read_string(source_, *name_value, member_path(at, "name")));
            if (std::find(seasons.names.begin(), seasons.names.end(), name) != seasons.names.end())
                return std::unexpected(
                    json_error(source_, *name_value, member_path(at, "name"), "names a season twice"));
            GA_ASSIGN_OR_RETURN(const JsonValue* months, season.required("months"));
            const std::string months_path = member_path(at, "months");
            GA_TRY(require_array(source_, *months, months_path));
            if (months->items.empty())
                return std::unexpected(json_error(source_, *months, months_path, "must list at least one month"));
            for (std::size_t m = 0; m < months->items.size(); ++m) {
                GA_ASSIGN_OR_RETURN(const int month,
                                    read_integer(source_, months->items[m], item_path(months_path, m), 1, 12));
                int& owner = seasons.of_month[static_cast<std::size_t>(month - 1)];
                if (owner >= 0) {
                    return std::unexpected(json_error(source_, months->items[m], item_path(months_path, m),
                                                      fmt::format("month {} is already in season '{}'", month,
                                                                  static_cast<std::size_t>(owner) < seasons.names.size()
                                                                      ? seasons.names[static_cast<std::size_t>(owner)]
                                                                      : name)));
                }
                owner = static_cast<int>(seasons.names.size());
            }
            seasons.names.push_back(std::move(name));
            GA_TRY(season.finish());
        }
        std::string missing;
        for (int m = 0; m < 12; ++m)
            if (seasons.of_month[static_cast<std::size_t>(m)] < 0)
                missing += (missing.empty() ? "" : ", ") + std::to_string(m + 1);
        if (!missing.empty())
            return std::unexpected(
                json_error(source_, value, path, fmt::format("months {} are in no season", missing)));
        return seasons;
    }

    // Tiers [{"up_to_<unit>": q, "price": p}, ..., {"price": p}].
    Result<std::vector<PriceTier>> read_tiers(const JsonValue& value, const std::string& path, std::string_view up_to,
                                              std::string_view price_member) {
        GA_TRY(require_array(source_, value, path));
        if (value.items.empty())
            return std::unexpected(json_error(source_, value, path, "must hold at least one tier"));
        std::vector<PriceTier> tiers;
        for (std::size_t t = 0; t < value.items.size(); ++t) {
            const std::string at = item_path(path, t);
            GA_ASSIGN_OR_RETURN(auto tier_object, JsonObjectReader::open(source_, value.items[t], at));
            PriceTier tier;
            const bool last = t + 1 == value.items.size();
            if (const JsonValue* bound = tier_object.optional(up_to)) {
                if (last) {
                    return std::unexpected(json_error(source_, *bound, member_path(at, up_to),
                                                      "the last tier has no upper bound (leave it out)"));
                }
                GA_ASSIGN_OR_RETURN(tier.up_to, read_quantity(source_, *bound, member_path(at, up_to), false));
                if (!tiers.empty() && tier.up_to <= tiers.back().up_to) {
                    return std::unexpected(json_error(source_, *bound, member_path(at, up_to),
                                                      fmt::format("tiers out of order: must be above the previous "
                                                                  "tier's {} ({})",
                                                                  up_to, tiers.back().up_to.to_string())));
                }
            } else if (!last) {
                return std::unexpected(
                    tier_object.error(fmt::format("missing member {}: only the last tier is unbounded", up_to)));
            }
            GA_ASSIGN_OR_RETURN(const JsonValue* price, tier_object.required(price_member));
            GA_ASSIGN_OR_RETURN(tier.price,
                                read_price(source_, *price, member_path(at, price_member), DecimalFit::exact));
            GA_TRY(tier_object.finish());
            tiers.push_back(tier);
        }
        return tiers;
    }

    Result<std::vector<Defined>> read_period_names(const JsonValue& periods, const std::string& path) {
        std::vector<Defined> defined;
        for (std::size_t p = 0; p < periods.items.size(); ++p) {
            const JsonValue& item = periods.items[p];
            const std::string at = item_path(path, p);
            if (!item.is_object()) return std::unexpected(json_error(source_, item, at, "must be an object"));
            const auto name = std::find_if(item.members.begin(), item.members.end(),
                                           [](const JsonMember& member) { return member.name == "name"; });
            if (name == item.members.end())
                return std::unexpected(source_.error_at(item.offset, member_path(at, "name"), "missing member"));
            GA_ASSIGN_OR_RETURN(std::string text, read_string(source_, name->value, member_path(at, "name")));
            for (const auto& other : defined)
                if (other.name == text)
                    return std::unexpected(
                        json_error(source_, name->value, member_path(at, "name"), "names a period twice"));
            defined.push_back(Defined{std::move(text), name->value.offset, member_path(at, "name"), false});
        }
        return defined;
    }

    Status read_energy(const JsonValue& value, const Seasons& seasons, Tariff& tariff) {
        GA_ASSIGN_OR_RETURN(auto energy, JsonObjectReader::open(source_, value, "energy"));
        const JsonValue* price = energy.optional("price");
        const JsonValue* periods = energy.optional("periods");
        const JsonValue* schedule = energy.optional("schedule");
        const JsonValue* tiers = energy.optional("tiers");
        if (price && periods)
            return std::unexpected(
                json_error(source_, *price, "energy.price", "give either price or periods, not both"));
        std::vector<Defined> defined;
        if (periods) {
            GA_TRY(require_array(source_, *periods, "energy.periods"));
            if (periods->items.empty())
                return std::unexpected(
                    json_error(source_, *periods, "energy.periods", "must hold at least one period"));
            GA_ASSIGN_OR_RETURN(defined, read_period_names(*periods, "energy.periods"));
            for (std::size_t p = 0; p < periods->items.size(); ++p) {
                const std::string at = item_path("energy.periods", p);
                GA_ASSIGN_OR_RETURN(auto period_object, JsonObjectReader::open(source_, periods->items[p], at));
                EnergyPeriod period;
                period.name = defined[p].name;
                (void)period_object.optional("name");
                GA_ASSIGN_OR_RETURN(const JsonValue* kind, period_object.required("kind"));
                const auto parsed_kind = parse_period_kind(kind->text);
                if (!kind->is_string() || !parsed_kind) {
                    return std::unexpected(
                        json_error(source_, *kind, member_path(at, "kind"),
                                   "must be one of critical_peak, peak, flat, valley, deep_valley, other"));
                }
                period.kind = *parsed_kind;
                const JsonValue* period_price = period_object.optional("price");
                const JsonValue* period_tiers = period_object.optional("tiers");
                if ((period_price == nullptr) == (period_tiers == nullptr))
                    return std::unexpected(period_object.error("give either price or tiers"));
                if (period_price) {
                    GA_ASSIGN_OR_RETURN(
                        const UnitPrice unit_price,
                        read_price(source_, *period_price, member_path(at, "price"), DecimalFit::exact));
                    period.tiers = {PriceTier{Quantity::unbounded(), unit_price}};
                } else {
                    GA_ASSIGN_OR_RETURN(period.tiers,
                                        read_tiers(*period_tiers, member_path(at, "tiers"), "up_to_kwh", "price"));
                }
                GA_TRY(period_object.finish());
                tariff.energy_periods.push_back(std::move(period));
            }
        } else {
            EnergyPeriod period;
            period.name = "flat";
            period.kind = PeriodKind::flat;
            if (price) {
                GA_ASSIGN_OR_RETURN(const UnitPrice unit_price,
                                    read_price(source_, *price, "energy.price", DecimalFit::exact));
                period.tiers = {PriceTier{Quantity::unbounded(), unit_price}};
            } else if (!tiers) {
                return std::unexpected(energy.error("give a price, periods, or tiers with prices"));
            }
            defined.push_back(Defined{period.name, value.offset, "energy", true});
            tariff.energy_periods.push_back(std::move(period));
        }
        if (tiers) {
            GA_ASSIGN_OR_RETURN(tariff.tier_blocks, read_tier_blocks(*tiers, tariff));
            if (tariff.has_period_tiers())
                return std::unexpected(
                    json_error(source_, *tiers, "energy.tiers",
                               "tier blocks cannot be combined with periods that have their own tiers"));
            if (tariff.energy_periods[0].tiers.empty())
                return std::unexpected(json_error(source_, *tiers, "energy.tiers",
                                                  "block increments need an energy price; without one, give each "
                                                  "block a price"));
        }
        if (schedule) {
            if (!periods)
                return std::unexpected(
                    json_error(source_, *schedule, "energy.schedule", "a schedule needs energy periods"));
            GA_ASSIGN_OR_RETURN(tariff.energy_schedule, read_schedule(*schedule, "energy.schedule", seasons, defined));
        } else if (defined.size() > 1) {
            return std::unexpected(energy.error("missing member schedule: several periods need a schedule"));
        } else {
            defined[0].used = true;  // one period: all hours (the schedule is all zeros)
        }
        for (const auto& period : defined)
            if (!period.used)
                return std::unexpected(source_.error_at(
                    period.offset, period.path, "the period is used by no schedule entry", "\"" + period.name + "\""));
        return energy.finish();
    }

    Result<TierBlocks> read_tier_blocks(const JsonValue& value, Tariff& tariff) {
        GA_ASSIGN_OR_RETURN(auto object, JsonObjectReader::open(source_, value, "energy.tiers"));
        TierBlocks blocks;
        GA_ASSIGN_OR_RETURN(const JsonValue* accumulation, object.required("accumulation"));
        if (accumulation->is_string() && accumulation->text == "month") {
            blocks.accumulation = TierAccumulation::month;
        } else if (accumulation->is_string() && accumulation->text == "year") {
            blocks.accumulation = TierAccumulation::year;
        } else {
            return std::unexpected(
                json_error(source_, *accumulation, "energy.tiers.accumulation", "must be \"month\" or \"year\""));
        }
        if (const JsonValue* start = object.optional("mid_year_start")) {
            const std::string path = "energy.tiers.mid_year_start";
            if (blocks.accumulation != TierAccumulation::year)
                return std::unexpected(json_error(source_, *start, path, "applies to yearly tiers only"));
            if (start->text == "prorate_months" && start->is_string()) {
                blocks.mid_year_start = MidYearStart::prorate_months;
            } else if (start->text == "prorate_days" && start->is_string()) {
                blocks.mid_year_start = MidYearStart::prorate_days;
            } else if (start->text == "none" && start->is_string()) {
                blocks.mid_year_start = MidYearStart::none;
            } else {
                return std::unexpected(
                    json_error(source_, *start, path, "must be \"prorate_months\", \"prorate_days\" or \"none\""));
            }
        }
        GA_ASSIGN_OR_RETURN(const JsonValue* list, object.required("blocks"));
        const std::string path = "energy.tiers.blocks";
        GA_TRY(require_array(source_, *list, path));
        if (list->items.size() < 2)
            return std::unexpected(json_error(source_, *list, path, "must hold at least two blocks"));
        // All blocks give an "increment", or (flat tariffs only) all give an absolute "price".
        const bool absolute =
            list->items[0].is_object() && std::any_of(list->items[0].members.begin(), list->items[0].members.end(),
                                                      [](const JsonMember& member) { return member.name == "price"; });
        if (absolute && !tariff.energy_periods[0].tiers.empty()) {
            return std::unexpected(json_error(source_, list->items[0], item_path(path, 0),
                                              "absolute block prices are for tariffs without energy price or periods; "
                                              "give increments"));
        }
        GA_ASSIGN_OR_RETURN(blocks.blocks, read_tiers(*list, path, "up_to_kwh", absolute ? "price" : "increment"));
        if (absolute) {
            const UnitPrice base = blocks.blocks[0].price;
            for (std::size_t b = 1; b < blocks.blocks.size(); ++b) {
                if (blocks.blocks[b].price < base) {
                    return std::unexpected(json_error(source_, list->items[b], item_path(path, b),
                                                      "a block price below the first block's is not supported"));
                }
            }
            tariff.energy_periods[0].tiers = {PriceTier{Quantity::unbounded(), base}};
            for (auto& block : blocks.blocks) block.price = block.price - base;
        }
        GA_TRY(object.finish());
        return blocks;
    }

    // The schedule entries [{"seasons": [...], "days": [...], "hours": {"peak": ["08:00-11:00"], ...}}].
    Result<PeriodSchedule> read_schedule(const JsonValue& value, const std::string& path, const Seasons& seasons,
                                         std::vector<Defined>& periods) {
        GA_TRY(require_array(source_, value, path));
        // owner[season][day][slot] = period index or -1; entry[season][day] = schedule entry or -1.
        std::vector<std::array<std::array<int, slots_per_day>, day_type_count>> owner(seasons.names.size());
        std::vector<std::array<int, day_type_count>> entry_of(seasons.names.size());
        std::vector<std::array<std::uint32_t, day_type_count>> entry_offset(seasons.names.size());
        for (auto& season : owner)
            for (auto& day : season) day.fill(-1);
        for (auto& season : entry_of) season.fill(-1);
        for (std::size_t e = 0; e < value.items.size(); ++e) {
            const std::string at = item_path(path, e);
            GA_ASSIGN_OR_RETURN(auto entry, JsonObjectReader::open(source_, value.items[e], at));
            std::vector<std::size_t> entry_seasons;
            if (const JsonValue* list = entry.optional("seasons")) {
                const std::string list_path = member_path(at, "seasons");
                GA_TRY(require_array(source_, *list, list_path));
                if (list->items.empty())
                    return std::unexpected(json_error(source_, *list, list_path, "must name at least one season"));
                for (std::size_t s = 0; s < list->items.size(); ++s) {
                    const JsonValue& item = list->items[s];
                    const auto found = std::find(seasons.names.begin(), seasons.names.end(), item.text);
                    if (!item.is_string() || found == seasons.names.end())
                        return std::unexpected(json_error(source_, item, item_path(list_path, s), "names no season"));
                    entry_seasons.push_back(static_cast<std::size_t>(found - seasons.names.begin()));
                }
            } else {
                for (std::size_t s = 0; s < seasons.names.size(); ++s) entry_seasons.push_back(s);
            }
            std::vector<DayType> days;
            if (const JsonValue* list = entry.optional("days")) {
                const std::string list_path = member_path(at, "days");
                GA_TRY(require_array(source_, *list, list_path));
                if (list->items.empty())
                    return std::unexpected(json_error(source_, *list, list_path, "must name at least one day type"));
                for (std::size_t d = 0; d < list->items.size(); ++d) {
                    const JsonValue& item = list->items[d];
                    const auto found = std::find_if(all_day_types.begin(), all_day_types.end(),
                                                    [&](DayType type) { return day_type_name(type) == item.text; });
                    if (!item.is_string() || found == all_day_types.end())
                        return std::unexpected(json_error(source_, item, item_path(list_path, d),
                                                          "must be \"workday\", \"weekend\" or \"holiday\""));
                    days.push_back(*found);
                }
            } else {
                days.assign(all_day_types.begin(), all_day_types.end());
            }
            for (const std::size_t s : entry_seasons) {
                for (const DayType day : days) {
                    int& defined_by = entry_of[s][static_cast<std::size_t>(day)];
                    if (defined_by >= 0) {
                        return std::unexpected(entry.error(
                            fmt::format("{}/{} is already defined by {}", seasons.names[s], day_type_name(day),
                                        item_path(path, static_cast<std::size_t>(defined_by)))));
                    }
                    defined_by = static_cast<int>(e);
                    entry_offset[s][static_cast<std::size_t>(day)] = value.items[e].offset;
                }
            }
            GA_ASSIGN_OR_RETURN(const JsonValue* hours, entry.required("hours"));
            const std::string hours_path = member_path(at, "hours");
            GA_ASSIGN_OR_RETURN(auto hours_object, JsonObjectReader::open(source_, *hours, hours_path));
            for (const JsonMember& member : hours->members) {
                const std::string member_at = member_path(hours_path, member.name);
                const auto period = std::find_if(periods.begin(), periods.end(),
                                                 [&](const Defined& defined) { return defined.name == member.name; });
                if (period == periods.end())
                    return std::unexpected(
                        source_.error_at(member.offset, member_at, "names no period of this schedule"));
                period->used = true;
                const int index = static_cast<int>(period - periods.begin());
                (void)hours_object.optional(member.name);
                GA_TRY(require_array(source_, member.value, member_at));
                if (member.value.items.empty())
                    return std::unexpected(
                        json_error(source_, member.value, member_at, "must list at least one range"));
                for (std::size_t r = 0; r < member.value.items.size(); ++r) {
                    const JsonValue& range_value = member.value.items[r];
                    const std::string range_at = item_path(member_at, r);
                    const auto range = range_value.is_string() ? parse_hour_range(range_value.text) : std::nullopt;
                    if (!range) {
                        return std::unexpected(json_error(source_, range_value, range_at,
                                                          "must be a time range \"HH:MM-HH:MM\" on quarter hours, "
                                                          "start and end different"));
                    }
                    const int count = range->second == slots_per_day
                                          ? slots_per_day - range->first
                                          : (range->second - range->first + slots_per_day) % slots_per_day;
                    for (int step = 0; step < count; ++step) {
                        const int slot = (range->first + step) % slots_per_day;
                        for (const std::size_t s : entry_seasons) {
                            for (const DayType day : days) {
                                int& slot_owner =
                                    owner[s][static_cast<std::size_t>(day)][static_cast<std::size_t>(slot)];
                                if (slot_owner >= 0) {
                                    return std::unexpected(
                                        json_error(source_, range_value, range_at,
                                                   fmt::format("overlaps period '{}' at {} ({}/{})",
                                                               periods[static_cast<std::size_t>(slot_owner)].name,
                                                               slot_time(slot), seasons.names[s], day_type_name(day))));
                                }
                                slot_owner = index;
                            }
                        }
                    }
                }
            }
            GA_TRY(hours_object.finish());
            GA_TRY(entry.finish());
        }
        for (std::size_t s = 0; s < seasons.names.size(); ++s) {
            for (const DayType day : all_day_types) {
                const auto d = static_cast<std::size_t>(day);
                if (entry_of[s][d] < 0) {
                    return std::unexpected(json_error(source_, value, path,
                                                      fmt::format("no entry covers {}/{} (every season and day type "
                                                                  "needs one)",
                                                                  seasons.names[s], day_type_name(day))));
                }
                const auto& slots = owner[s][d];
                for (int slot = 0; slot < slots_per_day; ++slot) {
                    if (slots[static_cast<std::size_t>(slot)] >= 0) continue;
                    int end = slot;
                    while (end < slots_per_day && slots[static_cast<std::size_t>(end)] < 0) ++end;
                    return std::unexpected(
                        source_.error_at(entry_offset[s][d], item_path(path, static_cast<std::size_t>(entry_of[s][d])),
                                         fmt::format("gap in the 24 hours: {}-{} is in no period ({}/{})",
                                                     slot_time(slot), end == slots_per_day ? "24:00" : slot_time(end),
                                                     seasons.names[s], day_type_name(day))));
                }
            }
        }
        PeriodSchedule schedule;
        for (unsigned month = 1; month <= 12; ++month) {
            const auto s = seasons.names.size() == 1 ? 0 : static_cast<std::size_t>(seasons.of_month[month - 1]);
            for (const DayType day : all_day_types)
                for (int slot = 0; slot < slots_per_day; ++slot)
                    schedule.set(month, day, slot,
                                 owner[s][static_cast<std::size_t>(day)][static_cast<std::size_t>(slot)]);
        }
        return schedule;
    }

    Result<DemandCharges> read_demand(const JsonValue& value, const Seasons& seasons) {
        GA_ASSIGN_OR_RETURN(auto object, JsonObjectReader::open(source_, value, "demand_charges"));
        DemandCharges demand;
        const JsonValue* periods = object.optional("periods");
        const JsonValue* schedule = object.optional("schedule");
        const JsonValue* monthly = object.optional("monthly");
        if (!periods && !monthly)
            return std::unexpected(object.error("give periods (with a schedule), monthly, or both"));
        if (periods) {
            GA_TRY(require_array(source_, *periods, "demand_charges.periods"));
            if (periods->items.empty())
                return std::unexpected(
                    json_error(source_, *periods, "demand_charges.periods", "must hold at least one period"));
            GA_ASSIGN_OR_RETURN(std::vector<Defined> defined, read_period_names(*periods, "demand_charges.periods"));
            for (std::size_t p = 0; p < periods->items.size(); ++p) {
                const std::string at = item_path("demand_charges.periods", p);
                GA_ASSIGN_OR_RETURN(auto period_object, JsonObjectReader::open(source_, periods->items[p], at));
                (void)period_object.optional("name");
                DemandPeriod period;
                period.name = defined[p].name;
                GA_ASSIGN_OR_RETURN(const JsonValue* tiers, period_object.required("tiers"));
                GA_ASSIGN_OR_RETURN(period.tiers, read_tiers(*tiers, member_path(at, "tiers"), "up_to_kw", "price"));
                GA_TRY(period_object.finish());
                demand.periods.push_back(std::move(period));
            }
            if (!schedule)
                return std::unexpected(object.error("missing member schedule: demand periods need a schedule"));
            GA_ASSIGN_OR_RETURN(demand.schedule, read_schedule(*schedule, "demand_charges.schedule", seasons, defined));
            for (const auto& period : defined)
                if (!period.used)
                    return std::unexpected(source_.error_at(period.offset, period.path,
                                                            "the period is used by no schedule entry",
                                                            "\"" + period.name + "\""));
        } else if (schedule) {
            return std::unexpected(
                json_error(source_, *schedule, "demand_charges.schedule", "a schedule needs demand periods"));
        }
        if (monthly) {
            const std::string path = "demand_charges.monthly";
            GA_TRY(require_array(source_, *monthly, path));
            for (std::size_t i = 0; i < monthly->items.size(); ++i) {
                const std::string at = item_path(path, i);
                GA_ASSIGN_OR_RETURN(auto entry, JsonObjectReader::open(source_, monthly->items[i], at));
                GA_ASSIGN_OR_RETURN(const JsonValue* months, entry.required("months"));
                const std::string months_path = member_path(at, "months");
                GA_TRY(require_array(source_, *months, months_path));
                if (months->items.empty())
                    return std::unexpected(json_error(source_, *months, months_path, "must list at least one month"));
                for (std::size_t m = 0; m < months->items.size(); ++m) {
                    GA_ASSIGN_OR_RETURN(const int month,
                                        read_integer(source_, months->items[m], item_path(months_path, m), 1, 12));
                    std::int8_t& structure = demand.monthly_structure_of_month[static_cast<std::size_t>(month - 1)];
                    if (structure >= 0)
                        return std::unexpected(
                            json_error(source_, months->items[m], item_path(months_path, m),
                                       fmt::format("month {} already has a monthly demand charge", month)));
                    structure = static_cast<std::int8_t>(i);
                }
                GA_ASSIGN_OR_RETURN(const JsonValue* tiers, entry.required("tiers"));
                GA_ASSIGN_OR_RETURN(auto structure, read_tiers(*tiers, member_path(at, "tiers"), "up_to_kw", "price"));
                demand.monthly_structures.push_back(std::move(structure));
                GA_TRY(entry.finish());
            }
        }
        GA_TRY(object.finish());
        return demand;
    }

    Result<BasicCharge> read_basic(const JsonValue& value) {
        GA_ASSIGN_OR_RETURN(auto object, JsonObjectReader::open(source_, value, "basic_charge"));
        BasicCharge basic;
        GA_ASSIGN_OR_RETURN(const JsonValue* basis, object.required("basis"));
        if (basis->is_string() && basis->text == "capacity") {
            basic.basis = BasicChargeBasis::capacity;
        } else if (basis->is_string() && basis->text == "contracted_demand") {
            basic.basis = BasicChargeBasis::contracted_demand;
        } else if (basis->is_string() && basis->text == "actual_demand") {
            basic.basis = BasicChargeBasis::actual_demand;
        } else {
            return std::unexpected(json_error(source_, *basis, "basic_charge.basis",
                                              "must be \"capacity\", \"contracted_demand\" or \"actual_demand\""));
        }
        GA_ASSIGN_OR_RETURN(const JsonValue* price, object.required("price"));
        GA_ASSIGN_OR_RETURN(basic.price, read_price(source_, *price, "basic_charge.price", DecimalFit::exact));
        const auto only_for = [&](const JsonValue& member, std::string_view name, BasicChargeBasis wanted) -> Status {
            if (basic.basis == wanted) return {};
            return std::unexpected(
                json_error(source_, member, member_path("basic_charge", name),
                           fmt::format("applies to basis \"{}\" only", basic_charge_basis_name(wanted))));
        };
        if (const JsonValue* member = object.optional("excess_demand_threshold")) {
            GA_TRY(only_for(*member, "excess_demand_threshold", BasicChargeBasis::contracted_demand));
            GA_ASSIGN_OR_RETURN(basic.excess_threshold,
                                read_quantity(source_, *member, "basic_charge.excess_demand_threshold", false));
            if (basic.excess_threshold.units() < Quantity::units_per_one)
                return std::unexpected(
                    json_error(source_, *member, "basic_charge.excess_demand_threshold", "must be at least 1"));
        }
        if (const JsonValue* member = object.optional("excess_demand_multiplier")) {
            GA_TRY(only_for(*member, "excess_demand_multiplier", BasicChargeBasis::contracted_demand));
            GA_ASSIGN_OR_RETURN(const int multiplier,
                                read_integer(source_, *member, "basic_charge.excess_demand_multiplier", 1, 10));
            basic.excess_multiplier = multiplier;
        }
        if (const JsonValue* member = object.optional("contracted_demand_floor")) {
            GA_TRY(only_for(*member, "contracted_demand_floor", BasicChargeBasis::contracted_demand));
            GA_ASSIGN_OR_RETURN(basic.demand_floor,
                                read_quantity(source_, *member, "basic_charge.contracted_demand_floor", true));
            if (basic.demand_floor.units() > Quantity::units_per_one)
                return std::unexpected(
                    json_error(source_, *member, "basic_charge.contracted_demand_floor", "must be between 0 and 1"));
        }
        if (const JsonValue* member = object.optional("actual_demand_floor")) {
            GA_TRY(only_for(*member, "actual_demand_floor", BasicChargeBasis::actual_demand));
            GA_ASSIGN_OR_RETURN(basic.actual_demand_floor,
                                read_quantity(source_, *member, "basic_charge.actual_demand_floor", true));
            if (basic.actual_demand_floor.units() > Quantity::units_per_one)
                return std::unexpected(
                    json_error(source_, *member, "basic_charge.actual_demand_floor", "must be between 0 and 1"));
        }
        if (const JsonValue* member = object.optional("partial_month_days")) {
            GA_ASSIGN_OR_RETURN(basic.partial_month_days,
                                read_integer(source_, *member, "basic_charge.partial_month_days", 28, 31));
        }
        GA_TRY(object.finish());
        return basic;
    }

    Result<PowerFactorPolicy> read_power_factor(const JsonValue& value) {
        GA_ASSIGN_OR_RETURN(auto object, JsonObjectReader::open(source_, value, "power_factor"));
        PowerFactorPolicy policy;
        GA_ASSIGN_OR_RETURN(const JsonValue* adjusted, object.required("adjustment"));
        GA_ASSIGN_OR_RETURN(policy.adjusted, read_bool(source_, *adjusted, "power_factor.adjustment"));
        if (const JsonValue* standard = object.optional("standard")) {
            if (!policy.adjusted)
                return std::unexpected(
                    json_error(source_, *standard, "power_factor.standard", "needs \"adjustment\": true"));
            policy.default_standard =
                standard->is_number() ? parse_power_factor_standard(standard->text) : std::nullopt;
            if (!policy.default_standard)
                return std::unexpected(
                    json_error(source_, *standard, "power_factor.standard", "must be 0.90, 0.85 or 0.80"));
        }
        if (const JsonValue* base = object.optional("base")) {
            if (!policy.adjusted)
                return std::unexpected(json_error(source_, *base, "power_factor.base", "needs \"adjustment\": true"));
            if (base->is_string() && base->text == "exact") {
                policy.base = PowerFactorBase::exact;
            } else if (base->is_string() && base->text == "rounded_components") {
                policy.base = PowerFactorBase::rounded_components;
            } else {
                return std::unexpected(
                    json_error(source_, *base, "power_factor.base", "must be \"exact\" or \"rounded_components\""));
            }
        }
        GA_TRY(object.finish());
        return policy;
    }

    Result<std::vector<Fund>> read_funds(const JsonValue& value) {
        GA_TRY(require_array(source_, value, "funds"));
        std::vector<Fund> funds;
        for (std::size_t i = 0; i < value.items.size(); ++i) {
            const std::string at = item_path("funds", i);
            GA_ASSIGN_OR_RETURN(auto object, JsonObjectReader::open(source_, value.items[i], at));
            Fund fund;
            GA_ASSIGN_OR_RETURN(const JsonValue* name, object.required("name"));
            GA_ASSIGN_OR_RETURN(fund.name, read_string(source_, *name, member_path(at, "name")));
            GA_ASSIGN_OR_RETURN(const JsonValue* price, object.required("price"));
            GA_ASSIGN_OR_RETURN(fund.price, read_price(source_, *price, member_path(at, "price"), DecimalFit::exact));
            GA_TRY(object.finish());
            funds.push_back(std::move(fund));
        }
        return funds;
    }

    Result<std::vector<FixedCharge>> read_fixed_charges(const JsonValue& value) {
        GA_TRY(require_array(source_, value, "fixed_charges"));
        std::vector<FixedCharge> charges;
        for (std::size_t i = 0; i < value.items.size(); ++i) {
            const std::string at = item_path("fixed_charges", i);
            GA_ASSIGN_OR_RETURN(auto object, JsonObjectReader::open(source_, value.items[i], at));
            FixedCharge charge;
            GA_ASSIGN_OR_RETURN(const JsonValue* name, object.required("name"));
            GA_ASSIGN_OR_RETURN(charge.name, read_string(source_, *name, member_path(at, "name")));
            GA_ASSIGN_OR_RETURN(const JsonValue* amount, object.required("amount"));
            GA_ASSIGN_OR_RETURN(charge.amount,
                                read_money(source_, *amount, member_path(at, "amount"), DecimalFit::exact));
            if (const JsonValue* per = object.optional("per")) {
                if (per->is_string() && per->text == "month") {
                    charge.per = ChargeFrequency::month;
                } else if (per->is_string() && per->text == "day") {
                    charge.per = ChargeFrequency::day;
                } else {
                    return std::unexpected(
                        json_error(source_, *per, member_path(at, "per"), "must be \"month\" or \"day\""));
                }
            }
            GA_TRY(object.finish());
            charges.push_back(std::move(charge));
        }
        return charges;
    }

    Result<RoundingRule> read_rounding(const JsonValue& value) {
        GA_ASSIGN_OR_RETURN(auto object, JsonObjectReader::open(source_, value, "rounding"));
        RoundingRule rule;
        if (const JsonValue* decimals = object.optional("decimals")) {
            GA_ASSIGN_OR_RETURN(rule.decimals, read_integer(source_, *decimals, "rounding.decimals", 0, 4));
        }
        if (const JsonValue* mode = object.optional("mode")) {
            const auto parsed = mode->is_string() ? parse_rounding(mode->text) : std::nullopt;
            if (!parsed)
                return std::unexpected(
                    json_error(source_, *mode, "rounding.mode", fmt::format("must be {}", rounding_choices)));
            rule.mode = *parsed;
        }
        GA_TRY(object.finish());
        return rule;
    }

    const JsonSource& source_;
};

// ---- writer ----

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

Result<Tariff> parse_tariff_json(std::string_view content, std::string_view source_name) {
    const JsonSource source(std::string(source_name), content);
    GA_ASSIGN_OR_RETURN(const JsonValue root, parse_json_tree(source));
    TariffJsonLoader loader(source);
    return loader.load(root);
}

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
    doc["rounding"] = Json{{"decimals", tariff.rounding.decimals}, {"mode", std::string(rounding_name(tariff.rounding.mode))}};
    return unmark_numbers(doc.dump(2)) + "\n";
}

}  // namespace gridaudit
