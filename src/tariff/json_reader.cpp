// Strict member and value reading over positioned JSON trees.
#include "tariff/json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gridaudit {

std::string member_path(std::string_view parent, std::string_view name) {
    if (parent.empty()) return std::string(name);
    return fmt::format("{}.{}", parent, name);
}

std::string item_path(std::string_view parent, std::size_t index) {
    return fmt::format("{}[{}]", parent, index);
}

Result<JsonObjectReader> JsonObjectReader::open(const JsonSource& source, const JsonValue& value, std::string path) {
    if (!value.is_object()) return std::unexpected(json_error(source, value, path, "must be an object"));
    for (std::size_t i = 1; i < value.members.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (value.members[i].name == value.members[j].name) {
                return std::unexpected(source.error_at(value.members[i].offset,
                                                       member_path(path, value.members[i].name), "duplicate member"));
            }
        }
    }
    return JsonObjectReader(source, value, std::move(path));
}

bool JsonObjectReader::has(std::string_view name) const {
    return std::any_of(object_->members.begin(), object_->members.end(),
                       [&](const JsonMember& member) { return member.name == name; });
}

const JsonValue* JsonObjectReader::optional(std::string_view name) {
    if (std::find(known_.begin(), known_.end(), name) == known_.end()) known_.emplace_back(name);
    for (std::size_t i = 0; i < object_->members.size(); ++i) {
        if (object_->members[i].name == name) {
            read_[i] = true;
            return &object_->members[i].value;
        }
    }
    return nullptr;
}

Result<const JsonValue*> JsonObjectReader::required(std::string_view name) {
    if (const JsonValue* value = optional(name)) return value;
    return std::unexpected(source_->error_at(object_->offset, member_path(path_, name), "missing member"));
}

Status JsonObjectReader::finish() const {
    for (std::size_t i = 0; i < object_->members.size(); ++i) {
        if (read_[i]) continue;
        const JsonMember& member = object_->members[i];
        std::string known;
        for (const auto& name : known_) known += (known.empty() ? "" : ", ") + name;
        return std::unexpected(source_->error_at(member.offset, member_path(path_, member.name),
                                                 "unknown member; expected one of: " + known));
    }
    return {};
}

Error JsonObjectReader::error(std::string_view message) const {
    return source_->error_at(object_->offset, path_, message);
}

Error json_error(const JsonSource& source, const JsonValue& value, std::string_view path, std::string_view message) {
    return source.error_at(value.offset, path, message, value.preview());
}

Result<std::string> read_string(const JsonSource& source, const JsonValue& value, std::string_view path) {
    if (!value.is_string()) return std::unexpected(json_error(source, value, path, "must be a string"));
    if (value.text.empty()) return std::unexpected(json_error(source, value, path, "must not be empty"));
    if (std::any_of(value.text.begin(), value.text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
        return std::unexpected(json_error(source, value, path, "must not contain control characters"));
    return value.text;
}

Result<bool> read_bool(const JsonSource& source, const JsonValue& value, std::string_view path) {
    if (value.type != JsonValue::Type::boolean)
        return std::unexpected(json_error(source, value, path, "must be true or false"));
    return value.boolean;
}

Result<int> read_integer(const JsonSource& source, const JsonValue& value, std::string_view path, int minimum,
                         int maximum, bool allow_point_zero) {
    if (!value.is_number()) return std::unexpected(json_error(source, value, path, "must be a whole number"));
    const auto units = parse_scaled_decimal(value.text, 0, DecimalFit::exact, Int128(1) << 40);
    const bool plain = value.text.find_first_of(".eE") == std::string::npos;
    if (!units || (!plain && !allow_point_zero))
        return std::unexpected(json_error(source, value, path, "must be a whole number"));
    if (*units < minimum || *units > maximum) {
        return std::unexpected(
            json_error(source, value, path, fmt::format("must be between {} and {}", minimum, maximum)));
    }
    return static_cast<int>(*units);
}

Result<UnitPrice> read_price(const JsonSource& source, const JsonValue& value, std::string_view path, DecimalFit fit) {
    if (!value.is_number()) return std::unexpected(json_error(source, value, path, "must be a number"));
    const auto price = UnitPrice::parse(value.text, fit);
    if (!price) {
        return std::unexpected(json_error(
            source, value, path,
            fit == DecimalFit::exact ? "must be a price with at most 8 decimals" : "must be a price below 10^10"));
    }
    if (price->units() < 0) return std::unexpected(json_error(source, value, path, "must not be negative"));
    return *price;
}

Result<Quantity> read_quantity(const JsonSource& source, const JsonValue& value, std::string_view path,
                               bool allow_zero) {
    if (!value.is_number()) return std::unexpected(json_error(source, value, path, "must be a number"));
    const auto quantity = Quantity::parse(value.text);
    if (!quantity) return std::unexpected(json_error(source, value, path, "must be a number with at most 4 decimals"));
    if (quantity->units() < 0 || (!allow_zero && quantity->units() == 0))
        return std::unexpected(
            json_error(source, value, path, allow_zero ? "must not be negative" : "must be above 0"));
    return *quantity;
}

Result<Money> read_money(const JsonSource& source, const JsonValue& value, std::string_view path, DecimalFit fit) {
    if (!value.is_number()) return std::unexpected(json_error(source, value, path, "must be a number"));
    const auto units = parse_scaled_decimal(value.text, 4, fit, Int128(1) << 60);
    if (!units) {
        return std::unexpected(json_error(
            source, value, path,
            fit == DecimalFit::exact ? "must be an amount with at most 4 decimals" : "must be an amount below 10^14"));
    }
    if (*units < 0) return std::unexpected(json_error(source, value, path, "must not be negative"));
    return Money::from_units(static_cast<std::int64_t>(*units));
}

Result<CivilDate> read_date(const JsonSource& source, const JsonValue& value, std::string_view path) {
    if (!value.is_string()) return std::unexpected(json_error(source, value, path, "must be a date string YYYY-MM-DD"));
    const auto date = CivilDate::parse(value.text);
    if (!date) return std::unexpected(json_error(source, value, path, "must be a date YYYY-MM-DD"));
    return *date;
}

Status require_array(const JsonSource& source, const JsonValue& value, std::string_view path) {
    if (!value.is_array()) return std::unexpected(json_error(source, value, path, "must be an array"));
    return {};
}

}  // namespace gridaudit
