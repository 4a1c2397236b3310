// Escaping of input text for one-line messages: control characters and bytes that are not UTF-8
// made visible, long values cut.
#include "text/printable_text.hpp"

#include <fmt/format.h>

#include "text/utf8_text.hpp"

namespace gridaudit {
namespace {

// `text` with control characters and bytes that are not UTF-8 escaped, cut after
// `max_characters` characters (with "..." appended).
std::string escape(std::string_view text, std::size_t max_characters) {
    std::string out;
    std::size_t characters = 0;
    for (std::size_t at = 0; at < text.size();) {
        if (characters == max_characters) {
            out += "...";
            break;
        }
        const auto c = static_cast<unsigned char>(text[at]);
        const std::size_t length = utf8_sequence_length(text, at);
        if (length == 0) {
            out += fmt::format("\\x{:02X}", c);
            at += 1;
        } else if (c == '\n') {
            out += "\\n", at += 1;
        } else if (c == '\r') {
            out += "\\r", at += 1;
        } else if (c == '\t') {
            out += "\\t", at += 1;
        } else if (c < 0x20 || c == 0x7F) {
            out += fmt::format("\\x{:02X}", c);
            at += 1;
        } else if (c == 0xC2 && static_cast<unsigned char>(text[at + 1]) <= 0x9F) {  // C1: U+0080..U+009F
            out += fmt::format("\\u{:04X}", static_cast<unsigned char>(text[at + 1]));
            at += 2;
        } else {
            out.append(text.substr(at, length));
            at += length;
        }
        ++characters;
    }
    return out;
}

// Whether `text` needs no escaping (the common case, checked without allocating).
bool plain(std::string_view text) {
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c >= 0x7F) return false;
    }
    return true;
}

}  // namespace

std::string printable_value(std::string_view text) {
    constexpr std::size_t max_characters = 80;
    if (text.size() <= max_characters && plain(text)) return std::string(text);
    return escape(text, max_characters);
}

std::string printable_text(std::string_view text, std::size_t max_characters) {
    if (text.size() <= max_characters && plain(text)) return std::string(text);
    return escape(text, max_characters);
}

}  // namespace gridaudit
