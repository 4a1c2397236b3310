// Merges the rows of one rows-kind table of a batch into the store.
//
// A new key is inserted. A stored key with the same values is left alone (unchanged). A stored
// key with different values is updated and each differing column is recorded in `corrections`
// (old and new value as text); a value is never overwritten silently. A key repeated inside the
// batch acts as a later correction of its earlier row. A table empty at the start of the batch
// takes plain inserts without lookups.
// Thread safety: used by one thread, inside the batch's transaction.
#pragma once

#include "core/result.hpp"
#include "model/rows.hpp"
#include "store/correction_log.hpp"
#include "store/sqlite_connection.hpp"
#include "store/store.hpp"

namespace gridaudit {

// REQUIRES: rows.spec is a rows-kind table of the contract; a transaction is open.
[[nodiscard]] Result<TableChange> write_table_rows(SqliteConnection& connection, const TableRows& rows,
                                                   CorrectionLog& corrections);

// "SELECT c1, c2, ... FROM table": every contract column, in contract order.
[[nodiscard]] std::string select_columns_sql(const TableSpec& table);

}  // namespace gridaudit
