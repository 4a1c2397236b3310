// A JSON document as a small tree that remembers where every value and member name starts, so a
// strict loader can report `file:line:column: path: what is wrong (value)`.
//
// Parsed with simdjson (On-Demand, every value visited, so the whole document is validated);
// when simdjson refuses a document, nlohmann-json re-reads it for a syntax message with a
// position. Numbers keep their token text so prices are read exactly, not through a double.
// Duplicate member names are kept (the strict reader refuses them). Nesting is limited to 64.
// Thread safety: the tree is a value; JsonSource is immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace gridaudit {

struct JsonMember;

struct JsonValue {
    enum class Type : std::uint8_t { null, boolean, number, string, array, object };

    Type type = Type::null;
    bool boolean = false;
    std::uint32_t offset = 0;         // byte offset of the value's first character
    std::string text;                 // a string's unescaped value, or a number's token as written
    std::vector<JsonValue> items;     // array elements
    std::vector<JsonMember> members;  // object members in document order

    [[nodiscard]] bool is_object() const { return type == Type::object; }
    [[nodiscard]] bool is_array() const { return type == Type::array; }
    [[nodiscard]] bool is_string() const { return type == Type::string; }
    [[nodiscard]] bool is_number() const { return type == Type::number; }
    // A short rendering for messages: the token, a quoted string (cut at 40 characters), {...}, [...].
    [[nodiscard]] std::string preview() const;
};

struct JsonMember {
    std::string name;
    std::uint32_t offset = 0;  // byte offset of the opening quote of the name
    JsonValue value;
};

// The text of a document and its name (a file path), for turning offsets into line:column.
class JsonSource {
public:
    JsonSource(std::string name, std::string_view content) : name_(std::move(name)), content_(content) {}

    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] std::string_view content() const { return content_; }
    // "name:line:column" with a 1-based line and a 1-based column counted in characters (UTF-8).
    [[nodiscard]] std::string location(std::uint32_t offset) const;
    // "name:line:column: path: message (value)"; the path and value parts are left out when empty.
    [[nodiscard]] Error error_at(std::uint32_t offset, std::string_view path, std::string_view message,
                                 std::string_view value = {}) const;

private:
    std::string name_;
    std::string_view content_;
};

// Parses the whole document. Errors are user errors with a position.
[[nodiscard]] Result<JsonValue> parse_json_tree(const JsonSource& source);

}  // namespace gridaudit
