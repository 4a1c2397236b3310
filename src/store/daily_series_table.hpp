// The packed `ami_daily` table: one row per (meter, month) holding the month's daily register
// values as two value columns (store/series_codec.hpp) and a mask of the days imported.
//
// Merge rules of a batch: a day not stored yet is inserted (a later batch of later days
// appends); a stored day whose registers are identical is unchanged; a register whose value
// differs is updated and recorded in `corrections` (row key "meter|YYYY-MM-DD", column
// import_register or export_register). An empty register in a batch never replaces a stored
// value: it means "not collected this time", not "the value is gone".
// Thread safety: used by one thread; writes run inside the batch's transaction.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "model/rows.hpp"
#include "model/series.hpp"
#include "store/correction_log.hpp"
#include "store/sqlite_connection.hpp"
#include "store/store.hpp"

namespace gridaudit {

// REQUIRES: a transaction is open.
[[nodiscard]] Result<TableChange> write_daily_series(SqliteConnection& connection, const DailySeriesRows& rows,
                                                     CorrectionLog& corrections);

// Values of `meter_ids` (every meter of the meters table, by id, when empty) for days
// first..last into a dense matrix; NaN where nothing is stored.
[[nodiscard]] Result<DailyMatrix> load_daily_matrix(SqliteConnection& connection,
                                                    const std::vector<std::string>& meter_ids, CivilDate first,
                                                    CivilDate last);

// First and last day with a stored row, if any.
[[nodiscard]] Result<std::optional<std::pair<CivilDate, CivilDate>>> stored_daily_range(SqliteConnection& connection);

// Number of stored meter-days.
[[nodiscard]] Result<std::int64_t> stored_daily_count(SqliteConnection& connection);

}  // namespace gridaudit
