// The packed `ami_interval` table on PostgreSQL: the layout of the SQLite store (one row per meter
// and UTC day, the day's intervals as packed columns, store/interval_series_table.hpp), partitioned
// by month of `day`, with the same merge rules: a new interval is inserted, an identical one
// unchanged, a differing length, kWh or flag set updated and recorded as a correction, an empty kWh
// never replaces a stored value. Written set-wise as ami_daily is (store/postgres_daily_series.hpp).
// Thread safety: used by one thread; writes run inside the batch's transaction.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "model/rows.hpp"
#include "model/series.hpp"
#include "store/postgres_connection.hpp"
#include "store/postgres_table_writer.hpp"
#include "store/store.hpp"

namespace gridaudit {

// REQUIRES: a transaction is open.
[[nodiscard]] Result<TableChange> write_postgres_intervals(PostgresConnection& connection,
                                                           const IntervalSeriesRows& rows,
                                                           PostgresCorrections& corrections);

// As Store::load_intervals.
[[nodiscard]] Result<IntervalMatrix> load_postgres_intervals(PostgresConnection& connection,
                                                             const std::vector<std::string>& meter_ids, CivilDate first,
                                                             CivilDate last, int utc_offset_minutes);

// Number of stored intervals.
[[nodiscard]] Result<std::int64_t> postgres_interval_count(PostgresConnection& connection);

}  // namespace gridaudit
