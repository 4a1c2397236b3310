// The packed `ami_interval` table: one row per (meter, UTC day) holding the day's intervals in
// start order: start gaps and lengths as integer columns, kWh as a value column
// (store/series_codec.hpp), quality flags as one byte per interval (NULL when all are zero).
//
// Merge rules of a batch: an interval (meter, start) not stored yet is inserted; identical ones
// are unchanged; a differing length, kWh or flag set is updated and recorded in `corrections`
// (row key "meter|start" with start as ISO UTC, columns minutes, kwh, flags; flags as their
// codes joined by '|'). An empty kWh in a batch never replaces a stored value.
// Thread safety: used by one thread; writes run inside the batch's transaction.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "model/rows.hpp"
#include "store/correction_log.hpp"
#include "store/sqlite_connection.hpp"
#include "store/store.hpp"

namespace gridaudit {

// REQUIRES: a transaction is open.
[[nodiscard]] Result<TableChange> write_interval_series(SqliteConnection& connection, const IntervalSeriesRows& rows,
                                                        CorrectionLog& corrections);

// Stored intervals of `meter_ids` (every meter with intervals when empty) starting in
// [from, to), ordered by meter id then start. The result's meter_ids are the meters returned.
[[nodiscard]] Result<IntervalSeriesRows> read_interval_series(SqliteConnection& connection,
                                                              const std::vector<std::string>& meter_ids, Instant from,
                                                              Instant to);

// The intervals of `meter_ids` (every meter with an interval in the range, sorted by id, when
// empty) over civil days first..last at utc_offset_minutes, as a dense 15-minute matrix
// (Store::load_intervals).
[[nodiscard]] Result<IntervalMatrix> load_interval_matrix(SqliteConnection& connection,
                                                          const std::vector<std::string>& meter_ids, CivilDate first,
                                                          CivilDate last, int utc_offset_minutes);

// Number of stored intervals.
[[nodiscard]] Result<std::int64_t> stored_interval_count(SqliteConnection& connection);

}  // namespace gridaudit
