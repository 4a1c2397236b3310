// The `import_batches` log and the `corrections` it owns.
//
// Thread safety: used by one thread; writes run inside the batch's transaction.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "model/rows.hpp"
#include "store/sqlite_connection.hpp"
#include "store/store.hpp"

namespace gridaudit {

// The id of the batch imported with this content hash, if any.
[[nodiscard]] Result<std::optional<std::int64_t>> find_batch_by_hash(SqliteConnection& connection,
                                                                     std::string_view content_hash);

// Records a batch about to be written; returns its id. REQUIRES: a transaction is open.
[[nodiscard]] Result<std::int64_t> insert_batch_record(SqliteConnection& connection, const ValidatedBatch& batch,
                                                       const ImportOptions& options, std::string_view imported_at);

[[nodiscard]] Result<std::vector<BatchRecord>> read_batches(SqliteConnection& connection);

// Corrections of one table ("" = every table), in the order they were recorded.
[[nodiscard]] Result<std::vector<Correction>> read_corrections(SqliteConnection& connection, std::string_view table);

}  // namespace gridaudit
