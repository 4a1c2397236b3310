// Contract column values (FieldValue) to and from PostgreSQL's text format, with the same SQL
// types as SQLite's (store/sql_field.hpp): text, code, ratio, flags, date ('YYYY-MM-DD') and
// period ('YYYY-MM') as TEXT; integer, money (0.0001 units) and instant (Unix seconds) as BIGINT;
// decimal as DOUBLE PRECISION (shortest round-trip text, so the double comes back bit for bit).
// Thread safety: free functions without shared state.
#pragma once

#include "core/result.hpp"
#include "model/import_contract.hpp"
#include "model/rows.hpp"
#include "store/postgres_connection.hpp"

namespace gridaudit {

// Appends `value` of `column` to the COPY row being built. Internal error when the value's
// alternative does not belong to the column's type (a bug of the caller).
[[nodiscard]] Status add_field(CopyRows& rows, const FieldValue& value, const ColumnSpec& column);

// `value` as a query parameter's text (nullopt for a missing value).
[[nodiscard]] std::optional<std::string> field_parameter(const FieldValue& value);

// Reads result value (row, index) as a value of `column`. External error when the stored value
// cannot be one (a damaged or foreign database).
[[nodiscard]] Result<FieldValue> read_field(const PostgresResult& result, int row, int index, const ColumnSpec& column);

}  // namespace gridaudit
