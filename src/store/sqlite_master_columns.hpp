// SqliteStore's typed reads of the network, customers and meters (master_columns.hpp), in SQL:
// one SELECT of only the wanted columns per table, in key order. Defined in master_columns.cpp
// beside the generic fallback, which fills the same columns the same way.
// Thread safety: as the connection (one thread at a time).
#pragma once

#include "core/result.hpp"
#include "store/master_columns.hpp"
#include "store/sqlite_connection.hpp"

namespace gridaudit {

[[nodiscard]] Result<MasterColumns> read_sqlite_master_columns(SqliteConnection& connection, bool details);

}  // namespace gridaudit
