// UTF-8 well-formedness: the import accepts only valid UTF-8 text (RFC 3629: no overlong forms,
// no surrogates, nothing beyond U+10FFFF). Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace gridaudit {

// Length of the UTF-8 sequence starting at text[at] (1..4), or 0 when it is not well-formed.
// REQUIRES: at < text.size().
[[nodiscard]] std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

[[nodiscard]] bool is_valid_utf8(std::string_view text);

}  // namespace gridaudit
