// The GridAudit tariff JSON format ("format": "gridaudit-tariff/1", docs/tariffs.md): a strict
// loader into the tariff model, and a writer that turns any model (a URDB import too) back into
// that format.
//
// The loader refuses unknown and duplicate members, prices with more than 8 decimals, overlapping
// periods, hours of the day in no period, schedule entries for a season or day type given twice or
// not at all, periods no schedule uses, tiers out of order, months in two seasons, and every other
// contradiction; the message gives `file:line:column: member.path: what is wrong (value)`.
// A `"calendar": "<id>"` reference to a shared calendar is kept as Tariff::calendar_id, pending
// until resolved (calendar_json.hpp, tariff_book.hpp); the writer writes the reference back.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "tariff/tariff.hpp"

namespace gridaudit {

inline constexpr std::string_view tariff_format_tag = "gridaudit-tariff/1";

// Parses one tariff document. `source_name` is the file name used in messages.
[[nodiscard]] Result<Tariff> parse_tariff_json(std::string_view content, std::string_view source_name);

// The tariff as a GridAudit tariff JSON document (pretty-printed, ending in a newline); parsing
// it again gives the same model.
[[nodiscard]] std::string tariff_to_json(const Tariff& tariff);

}  // namespace gridaudit
