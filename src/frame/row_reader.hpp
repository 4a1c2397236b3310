// Typed access to the stored rows of a contract table (Store::read_rows), for the frame loaders.
//
// Values are read by column position, resolved once per table with index(); an empty or absent
// value reads as "" (text), NaN (numbers) or std::nullopt. Thread safety: stateless reads.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/money.hpp"
#include "core/time.hpp"
#include "model/import_contract.hpp"
#include "model/rows.hpp"

namespace gridaudit {

// Typed access to one stored row by column name, resolved once per table.
class RowReader {
public:
    explicit RowReader(const TableSpec& spec) : spec_(spec) {}

    [[nodiscard]] int index(std::string_view column) const { return spec_.column_index(column); }

    static std::string text(const Row& row, int column) {
        if (column < 0) return {};
        const auto* value = std::get_if<std::string>(&row.values[static_cast<std::size_t>(column)]);
        return value ? *value : std::string();
    }
    // The text without a copy; valid while `row` is.
    static std::string_view text_view(const Row& row, int column) {
        if (column < 0) return {};
        const auto* value = std::get_if<std::string>(&row.values[static_cast<std::size_t>(column)]);
        return value ? std::string_view(*value) : std::string_view();
    }
    static double number(const Row& row, int column) {
        if (column < 0) return std::numeric_limits<double>::quiet_NaN();
        const auto& value = row.values[static_cast<std::size_t>(column)];
        if (const auto* d = std::get_if<double>(&value)) return *d;
        if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
        return std::numeric_limits<double>::quiet_NaN();
    }
    static std::optional<CivilDate> date(const Row& row, int column) {
        if (column < 0) return std::nullopt;
        const auto* value = std::get_if<CivilDate>(&row.values[static_cast<std::size_t>(column)]);
        return value ? std::optional<CivilDate>(*value) : std::nullopt;
    }
    static std::optional<Money> money(const Row& row, int column) {
        if (column < 0) return std::nullopt;
        const auto* value = std::get_if<Money>(&row.values[static_cast<std::size_t>(column)]);
        return value ? std::optional<Money>(*value) : std::nullopt;
    }
    static std::optional<Instant> instant(const Row& row, int column) {
        if (column < 0) return std::nullopt;
        const auto* value = std::get_if<Instant>(&row.values[static_cast<std::size_t>(column)]);
        return value ? std::optional<Instant>(*value) : std::nullopt;
    }
    static std::optional<Period> period(const Row& row, int column) {
        if (column < 0) return std::nullopt;
        const auto* value = std::get_if<Period>(&row.values[static_cast<std::size_t>(column)]);
        return value ? std::optional<Period>(*value) : std::nullopt;
    }

private:
    const TableSpec& spec_;
};

}  // namespace gridaudit
