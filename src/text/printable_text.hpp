// Input text made safe to print inside a one-line message (a problem, a report row, a terminal line).
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gridaudit {

// `text` as it may appear inside a one-line message: control characters escaped (\n, \t,
// \xNN for C0 and DEL, \u0080..\u009F for C1), bytes that are not UTF-8 as \xNN, cut after 80
// characters with "..." appended. Every name and value an import prints or writes into its report
// goes through it, so no terminal escape sequence from the input ever reaches a terminal.
[[nodiscard]] std::string printable_value(std::string_view text);
// As printable_value, cut after `max_characters` (none by default: for messages whose own words are
// longer than 80 characters).
[[nodiscard]] std::string printable_text(std::string_view text, std::size_t max_characters = std::string_view::npos);

}  // namespace gridaudit
