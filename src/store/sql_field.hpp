// How each contract column type is kept in SQL, and the conversions between FieldValue and SQLite.
//
// text, code, ratio, flags -> TEXT; integer -> INTEGER; decimal -> REAL; money -> INTEGER count of
// 0.0001 units; date -> TEXT 'YYYY-MM-DD'; period -> TEXT 'YYYY-MM'; instant -> INTEGER unix
// seconds; a missing value -> NULL. Thread safety: free functions without shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "model/import_contract.hpp"
#include "model/rows.hpp"
#include "store/sqlite_connection.hpp"

namespace gridaudit {

// "TEXT", "INTEGER" or "REAL": the declared SQL type of a column of this contract type.
[[nodiscard]] std::string_view sql_column_type(ColumnType type);

// `name` as a double-quoted SQL identifier.
[[nodiscard]] std::string quoted_identifier(std::string_view name);

// Binds `value` of column `column` to parameter `index`. Internal error when the value's
// alternative does not belong to the column's type (a bug of the caller).
[[nodiscard]] Status bind_field(SqliteStatement& statement, int index, const FieldValue& value,
                                const ColumnSpec& column);

// Reads result column `index` as a value of `column`. External error when the stored value
// cannot be one (a damaged or foreign database).
[[nodiscard]] Result<FieldValue> read_field(const SqliteStatement& statement, int index, const ColumnSpec& column);

// The value as text for corrections and messages: ISO dates, periods and instants (UTC), money
// with up to 4 decimals, shortest round-trip decimals. nullopt for a missing value.
[[nodiscard]] std::optional<std::string> field_text(const FieldValue& value);

}  // namespace gridaudit
