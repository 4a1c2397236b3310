// Merges the rows of one rows-kind table of a batch into the PostgreSQL store, with the merge rules
// of the SQLite store (store/table_writer.hpp): a new key is inserted, a stored key with the same
// values is unchanged, a stored key with different values is updated and each differing column
// recorded as a correction; a key repeated inside the batch acts as a later correction of its
// earlier row.
//
// Set-wise instead of row by row (every statement is a round trip to the server): the batch's keys
// are copied into a temporary table, the stored rows with those keys read in one SELECT, the rows
// compared in memory, then new rows go in by COPY and changed rows by COPY into a temporary table
// and one UPDATE ... FROM. A table empty at the start of the batch takes the COPY only.
// Thread safety: used by one thread, inside the batch's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "model/rows.hpp"
#include "store/postgres_connection.hpp"
#include "store/store.hpp"

namespace gridaudit {

// The corrections of one batch, gathered in memory and copied into `corrections` in the order they
// were recorded (so their ids follow the batch's order, as in SQLite).
class PostgresCorrections {
public:
    explicit PostgresCorrections(std::int64_t batch_id) : batch_id_(batch_id) {}
    // A missing value is nullopt (NULL in the table).
    void record(std::string_view table, std::string_view row_key, std::string_view column,
                const std::optional<std::string>& old_value, const std::optional<std::string>& new_value);
    [[nodiscard]] Status flush(PostgresConnection& connection);

private:
    std::int64_t batch_id_ = 0;
    CopyRows rows_;
};

// REQUIRES: rows.spec is a rows-kind table of the contract; a transaction is open.
[[nodiscard]] Result<TableChange> write_postgres_table_rows(PostgresConnection& connection, const TableRows& rows,
                                                            PostgresCorrections& corrections);

// The contract columns of `table` as quoted identifiers joined by ", ".
[[nodiscard]] std::string postgres_column_list(const TableSpec& table);

}  // namespace gridaudit
