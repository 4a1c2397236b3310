// Strict reading of a positioned JSON tree: required and optional members, no unknown or
// duplicate members, typed values. Every error names the position, the member path and the value:
//   tariffs/x.json:12:18: energy.periods[1].price: must be a number with at most 8 decimals (0.123456789)
// Used by both tariff loaders. Thread safety: a reader is used by one thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fixed_point.hpp"
#include "core/money.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "tariff/json_tree.hpp"

namespace gridaudit {

// "energy.periods[1]" + "price" -> "energy.periods[1].price"; "" + "id" -> "id".
[[nodiscard]] std::string member_path(std::string_view parent, std::string_view name);
// "energy.periods" + 1 -> "energy.periods[1]".
[[nodiscard]] std::string item_path(std::string_view parent, std::size_t index);

// Reads the members of one object. Members looked up are marked read; finish() refuses the rest.
class JsonObjectReader {
public:
    // Fails when `value` is not an object or has a member name twice.
    static Result<JsonObjectReader> open(const JsonSource& source, const JsonValue& value, std::string path);

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] const JsonValue& object() const { return *object_; }
    [[nodiscard]] bool has(std::string_view name) const;
    // The member's value, or nullptr when absent.
    const JsonValue* optional(std::string_view name);
    // The member's value, or an error at the object ("missing member").
    Result<const JsonValue*> required(std::string_view name);
    // An error at the first member never looked up: "unknown member; expected one of: ...".
    [[nodiscard]] Status finish() const;
    // An error at the object itself.
    [[nodiscard]] Error error(std::string_view message) const;

private:
    JsonObjectReader(const JsonSource& source, const JsonValue& value, std::string path)
        : source_(&source), object_(&value), path_(std::move(path)), read_(value.members.size(), false) {}

    const JsonSource* source_;
    const JsonValue* object_;
    std::string path_;
    std::vector<bool> read_;
    std::vector<std::string> known_;
};

// Typed values. `path` names the value in messages.
[[nodiscard]] Error json_error(const JsonSource& source, const JsonValue& value, std::string_view path,
                               std::string_view message);
[[nodiscard]] Result<std::string> read_string(const JsonSource& source, const JsonValue& value, std::string_view path);
[[nodiscard]] Result<bool> read_bool(const JsonSource& source, const JsonValue& value, std::string_view path);
// A whole number in [minimum, maximum]; `allow_point_zero` also takes "3.0" (URDB writes indexes so).
[[nodiscard]] Result<int> read_integer(const JsonSource& source, const JsonValue& value, std::string_view path,
                                       int minimum, int maximum, bool allow_point_zero = false);
// A price, at least 0; DecimalFit::exact refuses more than 8 decimals.
[[nodiscard]] Result<UnitPrice> read_price(const JsonSource& source, const JsonValue& value, std::string_view path,
                                           DecimalFit fit);
// A quantity greater than 0 (or at least 0), at most 4 decimals.
[[nodiscard]] Result<Quantity> read_quantity(const JsonSource& source, const JsonValue& value, std::string_view path,
                                             bool allow_zero);
// An amount of money, at least 0; DecimalFit::exact refuses more than 4 decimals.
[[nodiscard]] Result<Money> read_money(const JsonSource& source, const JsonValue& value, std::string_view path,
                                       DecimalFit fit);
[[nodiscard]] Result<CivilDate> read_date(const JsonSource& source, const JsonValue& value, std::string_view path);
[[nodiscard]] Status require_array(const JsonSource& source, const JsonValue& value, std::string_view path);

}  // namespace gridaudit
