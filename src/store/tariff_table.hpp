// The `tariffs` table: one JSON document per tariff id and effective_from (a version), stored verbatim.
//
// A new version is inserted; the same version with the same file and JSON is unchanged; a different file
// name or JSON text updates the row and is recorded in `corrections` (columns file, json).
// Thread safety: used by one thread; writes run inside the batch's transaction.
#pragma once

#include <vector>

#include "core/result.hpp"
#include "model/rows.hpp"
#include "store/correction_log.hpp"
#include "store/sqlite_connection.hpp"
#include "store/store.hpp"

namespace gridaudit {

// REQUIRES: a transaction is open.
[[nodiscard]] Result<TableChange> write_tariffs(SqliteConnection& connection,
                                                const std::vector<TariffDocument>& tariffs, std::int64_t batch_id,
                                                CorrectionLog& corrections);

// Every stored tariff, by id.
[[nodiscard]] Result<std::vector<TariffDocument>> read_tariffs(SqliteConnection& connection);

}  // namespace gridaudit
