// The strict loader of the GridAudit tariff JSON format (docs/tariffs.md); its writer is
// tariff_json_writer.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "tariff/calendar_json.hpp"
#include "tariff/json_reader.hpp"
#include "tariff/tariff_json.hpp"
#include "tariff/tariff_json_words.hpp"

namespace gridaudit {
namespace {

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

}  // namespace

Result<Tariff> parse_tariff_json(std::string_view content, std::string_view source_name) {
    const JsonSource source(std::string(source_name), content);
    GA_ASSIGN_OR_RETURN(const JsonValue root, parse_json_tree(source));
    TariffJsonLoader loader(source);
    return loader.load(root);
}

}  // namespace gridaudit
