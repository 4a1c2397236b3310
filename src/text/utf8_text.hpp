// UTF-8 well-formedness: the import accepts only valid UTF-8 text (RFC 3629: no overlong forms,
// no surrogates, nothing beyond U+10FFFF), and no control characters in it. Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace gridaudit {

// Length of the UTF-8 sequence starting at text[at] (1..4), or 0 when it is not well-formed.
// REQUIRES: at < text.size().
[[nodiscard]] std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

[[nodiscard]] bool is_valid_utf8(std::string_view text);

// The byte offset of the first control character of valid UTF-8 `text` (C0 U+0000..U+001F, tab
// and line breaks included; DEL U+007F; C1 U+0080..U+009F), or npos. Import refuses them in text.
[[nodiscard]] std::size_t find_control_character(std::string_view text);

// Valid UTF-8 without control characters: what a text field of the import contract may hold.
[[nodiscard]] bool is_clean_text(std::string_view text);

}  // namespace gridaudit
