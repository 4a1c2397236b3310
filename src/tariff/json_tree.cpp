// Positioned JSON trees: nlohmann-json checks the syntax (and words the message), simdjson builds
// the tree with the offset of every value and member name.
#include "tariff/json_tree.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <nlohmann/json.hpp>

namespace gridaudit {
namespace {

namespace ondemand = simdjson::ondemand;

constexpr int max_depth = 64;

class TreeBuilder {
public:
    explicit TreeBuilder(const char* base) : base_(base) {}

    [[nodiscard]] std::uint32_t last_offset() const { return last_offset_; }

    // `depth` is the nesting level `value` has when it is an object or an array (the root's is 1).
    simdjson::error_code build_value(ondemand::value value, JsonValue& out, int depth) {
        const std::string_view token = value.raw_json_token();
        out.offset = offset_of(token.data());
        ondemand::json_type type{};
        if (auto error = value.type().get(type)) return error;
        switch (type) {
            case ondemand::json_type::object: {
                if (depth > max_depth) return simdjson::DEPTH_ERROR;
                out.type = JsonValue::Type::object;
                ondemand::object object;
                if (auto error = value.get_object().get(object)) return error;
                return build_members(object, out, depth);
            }
            case ondemand::json_type::array: {
                if (depth > max_depth) return simdjson::DEPTH_ERROR;
                out.type = JsonValue::Type::array;
                ondemand::array array;
                if (auto error = value.get_array().get(array)) return error;
                return build_items(array, out, depth);
            }
            case ondemand::json_type::number: {
                out.type = JsonValue::Type::number;
                out.text = trim(token);
                double number = 0;
                return value.get_double().get(number);
            }
            case ondemand::json_type::string: {
                out.type = JsonValue::Type::string;
                std::string_view text;
                if (auto error = value.get_string().get(text)) return error;
                out.text = text;
                return simdjson::SUCCESS;
            }
            case ondemand::json_type::boolean: {
                out.type = JsonValue::Type::boolean;
                return value.get_bool().get(out.boolean);
            }
            case ondemand::json_type::null: {
                out.type = JsonValue::Type::null;
                bool is_null = false;
                if (auto error = value.is_null().get(is_null)) return error;
                return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
            }
        }
        return simdjson::INCORRECT_TYPE;
    }

    template <class Object>
    simdjson::error_code build_members(Object& object, JsonValue& out, int depth) {
        for (auto field_result : object) {
            ondemand::field field;
            if (auto error = std::move(field_result).get(field)) return error;
            JsonMember member;
            member.offset = offset_of(field.key().raw()) - 1;  // the opening quote
            std::string_view name;
            if (auto error = field.unescaped_key().get(name)) return error;
            member.name = name;
            if (auto error = build_value(field.value(), member.value, depth + 1)) return error;
            out.members.push_back(std::move(member));
        }
        return simdjson::SUCCESS;
    }

    template <class Array>
    simdjson::error_code build_items(Array& array, JsonValue& out, int depth) {
        for (auto element_result : array) {
            ondemand::value element;
            if (auto error = std::move(element_result).get(element)) return error;
            JsonValue item;
            if (auto error = build_value(element, item, depth + 1)) return error;
            out.items.push_back(std::move(item));
        }
        return simdjson::SUCCESS;
    }

    std::uint32_t offset_of(const char* at) {
        last_offset_ = static_cast<std::uint32_t>(at - base_);
        return last_offset_;
    }

private:
    static std::string trim(std::string_view token) {
        while (!token.empty() &&
               (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t'))
            token.remove_suffix(1);
        return std::string(token);
    }

    const char* base_;
    std::uint32_t last_offset_ = 0;
};

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1, column 2: "
// prefix (the position is given in our own form).
std::string syntax_message(const nlohmann::json::parse_error& error) {
    std::string message = error.what();
    const auto colon = message.find(": ", message.find("parse error"));
    if (colon != std::string::npos) message.erase(0, colon + 2);
    return message;
}

// The offset of the first '[' or '{' nested deeper than max_depth, or npos. Brackets inside strings
// are text; a document whose brackets do not balance is left to the syntax check.
std::size_t too_deep_at(std::string_view content) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < content.size(); ++i) {
        const char c = content[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return i;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return std::string_view::npos;
}

// Control characters as \n, \t, \xNN (C0, DEL and C1), so that a message never carries them raw.
void append_escaped(std::string& out, std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c < 0x20 || c == 0x7F) {
            out += fmt::format("\\x{:02X}", c);
        } else if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {  // U+0080..U+009F
            out += fmt::format("\\u{:04X}", next);
            ++i;
        } else {
            out += static_cast<char>(c);
        }
    }
}

}  // namespace

std::string JsonValue::preview() const {
    switch (type) {
        case Type::null:
            return "null";
        case Type::boolean:
            return boolean ? "true" : "false";
        case Type::number:
            return text;
        case Type::string: {
            // Cut at 40 characters, not inside a UTF-8 sequence.
            std::size_t end = 0;
            int characters = 0;
            while (end < text.size() && characters < 40) {
                ++end;
                while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
                ++characters;
            }
            std::string out = "\"";
            append_escaped(out, std::string_view(text).substr(0, end));
            out += end < text.size() ? "...\"" : "\"";
            return out;
        }
        case Type::array:
            return "[...]";
        case Type::object:
            return "{...}";
    }
    return "";
}

std::string JsonSource::location(std::uint32_t offset) const {
    std::size_t line = 1;
    std::size_t column = 1;
    const std::size_t end = std::min<std::size_t>(offset, content_.size());
    for (std::size_t i = 0; i < end; ++i) {
        const auto c = static_cast<unsigned char>(content_[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column;
        }
    }
    return fmt::format("{}:{}:{}", name_, line, column);
}

Error JsonSource::error_at(std::uint32_t offset, std::string_view path, std::string_view message,
                           std::string_view value) const {
    std::string text = location(offset) + ": ";
    if (!path.empty()) text += fmt::format("{}: ", path);
    text += message;
    if (!value.empty()) text += fmt::format(" ({})", value);
    return Error(ErrorClass::user, std::move(text));
}

Result<JsonValue> parse_json_tree(const JsonSource& source) {
    const std::string_view content = source.content();
    if (content.size() >= 0xFFFF'FFFFu)
        return user_error(fmt::format("{}: file too large for a tariff", source.name()));
    if (const std::size_t deep = too_deep_at(content); deep != std::string_view::npos)
        return std::unexpected(source.error_at(static_cast<std::uint32_t>(deep), "",
                                               fmt::format("nested deeper than {} levels of objects and arrays "
                                                           "(a tariff needs far fewer)",
                                                           max_depth)));
    try {
        if (!nlohmann::json::accept(content)) {
            const auto parsed = nlohmann::json::parse(content);  // throws, with a position
            (void)parsed;
        }
    } catch (const nlohmann::json::parse_error& error) {
        const auto offset = static_cast<std::uint32_t>(error.byte == 0 ? 0 : error.byte - 1);
        return std::unexpected(source.error_at(offset, "", "not valid JSON: " + syntax_message(error)));
    } catch (const std::exception& error) {
        return std::unexpected(source.error_at(0, "", std::string("not valid JSON: ") + error.what()));
    }

    simdjson::padded_string padded(content);
    ondemand::parser parser;
    ondemand::document document;
    TreeBuilder builder(padded.data());
    JsonValue root;
    simdjson::error_code error = parser.iterate(padded).get(document);
    if (!error) {
        ondemand::json_type type{};
        error = document.type().get(type);
        if (!error && type == ondemand::json_type::object) {
            root.type = JsonValue::Type::object;
            root.offset = builder.offset_of(padded.data() + (content.find('{')));
            ondemand::object object;
            error = document.get_object().get(object);
            if (!error) error = builder.build_members(object, root, 1);
        } else if (!error && type == ondemand::json_type::array) {
            root.type = JsonValue::Type::array;
            root.offset = builder.offset_of(padded.data() + (content.find('[')));
            ondemand::array array;
            error = document.get_array().get(array);
            if (!error) error = builder.build_items(array, root, 1);
        } else if (!error) {
            return std::unexpected(source.error_at(0, "", "the document must be a JSON object"));
        }
    }
    if (error) {
        return std::unexpected(source.error_at(
            builder.last_offset(), "", fmt::format("cannot be read as JSON ({})", simdjson::error_message(error))));
    }
    return root;
}

}  // namespace gridaudit
