// Shared holiday calendars: calendar documents that several tariffs reference by id, the calendar
// members both documents and inline tariff calendars are read with, and resolving a tariff's
// reference ("calendar": "CN-2026") into its calendar.
//
// A calendar document (docs/tariffs.md, "Shared calendars"):
//   {"kind": "calendar", "id": "CN-2026", "name": "...", "description": "...",
//    "weekend": ["saturday", "sunday"], "holidays": ["2026-01-01", {"from": ..., "to": ...}],
//    "working_days": ["2026-09-27"]}
// Members as the inline `calendar` object of a tariff, read just as strictly; errors are
// `file:line:column: member.path: what is wrong (value)`.
// Thread safety: pure functions; a SharedCalendar is plain data.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "tariff/json_reader.hpp"
#include "tariff/tariff.hpp"

namespace gridaudit {

inline constexpr std::string_view calendar_kind_tag = "calendar";

// A holiday calendar several tariffs share.
struct SharedCalendar {
    std::string id;
    std::string name;    // "" when the document gives none
    std::string source;  // the file it was loaded from, for messages
    TariffCalendar calendar;
};

// Parses one calendar document. `source_name` is the file name used in messages.
[[nodiscard]] Result<SharedCalendar> parse_calendar_json(std::string_view content, std::string_view source_name);

// Reads and parses a calendar file (external error when it cannot be read).
[[nodiscard]] Result<SharedCalendar> load_calendar_file(const std::filesystem::path& path);

// Whether `content` is a JSON object whose member "kind" is "calendar" (anything else, malformed
// JSON too, is not: it is then read as a tariff, which reports what is wrong).
[[nodiscard]] bool is_calendar_document(std::string_view content);

// The calendar document (pretty-printed, ending in a newline); parsing it again gives the same calendar.
[[nodiscard]] std::string calendar_to_json(const SharedCalendar& calendar);

// Reads the members `weekend`, `holidays` and `working_days` of `object` (path "calendar" for a
// tariff's inline calendar, "" for a calendar document); leaves the object's other members, and
// finish(), to the caller.
[[nodiscard]] Result<TariffCalendar> read_calendar_members(const JsonSource& source, JsonObjectReader& object,
                                                           std::string_view path);

// Gives a tariff that references a shared calendar (tariff.calendar_id) that calendar's content.
// A tariff without a reference is left as it is; so is one already resolved whose calendar is not
// among `calendars`. Fails (user error naming the tariff's source and the id) when an unresolved
// reference names no calendar of `calendars`.
[[nodiscard]] Status resolve_calendar(Tariff& tariff, std::span<const SharedCalendar> calendars);

}  // namespace gridaudit
