// Calendar documents and calendar members (see calendar_json.hpp, docs/tariffs.md).
#include "tariff/calendar_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "tariff/tariff_file.hpp"
#include "tariff/tariff_json_words.hpp"

namespace gridaudit {
namespace {

// Dates ("2026-10-01") or, when ranges are allowed, {"from": date, "to": date}; sorted, unique.
Result<std::vector<CivilDate>> read_dates(const JsonSource& source, const JsonValue& value, const std::string& path,
                                          bool ranges) {
    GA_TRY(require_array(source, value, path));
    std::vector<CivilDate> dates;
    for (std::size_t i = 0; i < value.items.size(); ++i) {
        const JsonValue& item = value.items[i];
        const std::string at = item_path(path, i);
        if (ranges && item.is_object()) {
            GA_ASSIGN_OR_RETURN(auto range, JsonObjectReader::open(source, item, at));
            GA_ASSIGN_OR_RETURN(const JsonValue* from_value, range.required("from"));
            GA_ASSIGN_OR_RETURN(const JsonValue* to_value, range.required("to"));
            GA_ASSIGN_OR_RETURN(const CivilDate from, read_date(source, *from_value, member_path(at, "from")));
            GA_ASSIGN_OR_RETURN(const CivilDate to, read_date(source, *to_value, member_path(at, "to")));
            GA_TRY(range.finish());
            if (to < from || to - from > 366)
                return std::unexpected(json_error(source, *to_value, member_path(at, "to"),
                                                  "must be on or after from, at most 366 days later"));
            for (CivilDate day = from; day <= to; day = day + 1) dates.push_back(day);
        } else {
            GA_ASSIGN_OR_RETURN(const CivilDate day, read_date(source, item, at));
            dates.push_back(day);
        }
    }
    std::sort(dates.begin(), dates.end());
    if (auto duplicate = std::adjacent_find(dates.begin(), dates.end()); duplicate != dates.end())
        return std::unexpected(
            source.error_at(value.offset, path, fmt::format("{} is listed twice", duplicate->to_string())));
    return dates;
}

}  // namespace

Result<TariffCalendar> read_calendar_members(const JsonSource& source, JsonObjectReader& object,
                                             std::string_view path) {
    TariffCalendar calendar;
    if (const JsonValue* weekend = object.optional("weekend")) {
        const std::string at = member_path(path, "weekend");
        GA_TRY(require_array(source, *weekend, at));
        calendar.weekend_days = 0;
        for (std::size_t i = 0; i < weekend->items.size(); ++i) {
            const JsonValue& item = weekend->items[i];
            const auto found = std::find(weekday_names.begin(), weekday_names.end(), item.text);
            if (!item.is_string() || found == weekday_names.end())
                return std::unexpected(
                    json_error(source, item, item_path(at, i), "must be a day name such as \"saturday\""));
            const auto bit = static_cast<unsigned>(found - weekday_names.begin());
            if ((calendar.weekend_days >> bit) & 1u)
                return std::unexpected(json_error(source, item, item_path(at, i), "is listed twice"));
            calendar.weekend_days = static_cast<std::uint8_t>(calendar.weekend_days | (1u << bit));
        }
    }
    if (const JsonValue* holidays = object.optional("holidays")) {
        GA_ASSIGN_OR_RETURN(calendar.holidays, read_dates(source, *holidays, member_path(path, "holidays"), true));
    }
    if (const JsonValue* working = object.optional("working_days")) {
        GA_ASSIGN_OR_RETURN(calendar.working_days,
                            read_dates(source, *working, member_path(path, "working_days"), false));
        for (const CivilDate day : calendar.working_days) {
            if (std::binary_search(calendar.holidays.begin(), calendar.holidays.end(), day))
                return std::unexpected(
                    object.error(fmt::format("{} is both a holiday and a working day", day.to_string())));
        }
    }
    return calendar;
}

Result<SharedCalendar> parse_calendar_json(std::string_view content, std::string_view source_name) {
    const JsonSource source{std::string(source_name), content};
    GA_ASSIGN_OR_RETURN(const JsonValue root, parse_json_tree(source));
    GA_ASSIGN_OR_RETURN(auto top, JsonObjectReader::open(source, root, ""));
    const JsonValue* kind = top.optional("kind");
    if (!kind) {
        return std::unexpected(source.error_at(
            root.offset, "kind",
            fmt::format("missing member; a calendar document declares \"kind\": \"{}\"{}", calendar_kind_tag,
                        top.has("format") ? " (this looks like a tariff: give it with --tariff)" : "")));
    }
    if (!kind->is_string() || kind->text != calendar_kind_tag)
        return std::unexpected(json_error(source, *kind, "kind", fmt::format("must be \"{}\"", calendar_kind_tag)));
    SharedCalendar calendar;
    calendar.source = std::string(source_name);
    GA_ASSIGN_OR_RETURN(const JsonValue* id, top.required("id"));
    GA_ASSIGN_OR_RETURN(calendar.id, read_string(source, *id, "id"));
    if (calendar.id.empty()) return std::unexpected(json_error(source, *id, "id", "must not be empty"));
    if (const JsonValue* value = top.optional("name")) {
        GA_ASSIGN_OR_RETURN(calendar.name, read_string(source, *value, "name"));
    }
    if (const JsonValue* value = top.optional("description")) {
        GA_TRY(read_string(source, *value, "description"));
    }
    GA_ASSIGN_OR_RETURN(calendar.calendar, read_calendar_members(source, top, ""));
    GA_TRY(top.finish());
    return calendar;
}

Result<SharedCalendar> load_calendar_file(const std::filesystem::path& path) {
    GA_ASSIGN_OR_RETURN(const std::string content, read_text_file(path));
    return parse_calendar_json(content, path.string());
}

bool is_calendar_document(std::string_view content) {
    const JsonSource source{"", content};
    const auto root = parse_json_tree(source);
    if (!root || !root->is_object()) return false;
    return std::any_of(root->members.begin(), root->members.end(), [](const JsonMember& member) {
        return member.name == "kind" && member.value.is_string() && member.value.text == calendar_kind_tag;
    });
}

std::string calendar_to_json(const SharedCalendar& shared) {
    using Json = nlohmann::ordered_json;
    Json doc = Json::object();
    doc["kind"] = std::string(calendar_kind_tag);
    doc["id"] = shared.id;
    if (!shared.name.empty()) doc["name"] = shared.name;
    const TariffCalendar& calendar = shared.calendar;
    Json weekend = Json::array();
    for (unsigned bit = 0; bit < 7; ++bit)
        if ((calendar.weekend_days >> bit) & 1u) weekend.push_back(std::string(weekday_names[bit]));
    doc["weekend"] = weekend;
    doc["holidays"] = Json::array();
    for (const CivilDate day : calendar.holidays) doc["holidays"].push_back(day.to_string());
    doc["working_days"] = Json::array();
    for (const CivilDate day : calendar.working_days) doc["working_days"].push_back(day.to_string());
    return doc.dump(2) + "\n";
}

Status resolve_calendar(Tariff& tariff, std::span<const SharedCalendar> calendars) {
    if (tariff.calendar_id.empty()) return {};
    const auto found = std::find_if(calendars.begin(), calendars.end(),
                                    [&](const SharedCalendar& calendar) { return calendar.id == tariff.calendar_id; });
    if (found == calendars.end()) {
        if (!tariff.calendar_pending) return {};
        std::string loaded;
        for (const SharedCalendar& calendar : calendars) loaded += (loaded.empty() ? "" : ", ") + calendar.id;
        return user_error(fmt::format("{}: calendar: tariff {} references calendar '{}', which is not loaded ({})",
                                      tariff.source, tariff.id, tariff.calendar_id,
                                      loaded.empty() ? "no calendar is loaded" : "loaded: " + loaded));
    }
    tariff.calendar = found->calendar;
    tariff.calendar_pending = false;
    return {};
}

}  // namespace gridaudit
