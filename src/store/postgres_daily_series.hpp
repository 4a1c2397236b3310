// The packed `ami_daily` table on PostgreSQL: the layout of the SQLite store (one row per meter and
// month, the days' registers as value columns of store/series_codec.hpp, a mask of the days
// imported), partitioned by month, with the same merge rules (store/daily_series_table.hpp): a new
// day is inserted, an identical one unchanged, a differing register updated and recorded as a
// correction, an empty register never replaces a stored value.
//
// Set-wise: the batch's (meter, month) keys are copied into a temporary table, the stored months
// with those keys read in one SELECT and merged in memory; new months are copied into the table,
// changed ones copied into a temporary table and written by one UPDATE ... FROM. Each month's
// partition (ami_daily_YYYY_MM) is created by the first import that brings the month.
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
#include "store/postgres_connection.hpp"
#include "store/postgres_table_writer.hpp"
#include "store/store.hpp"

namespace gridaudit {

// REQUIRES: a transaction is open.
[[nodiscard]] Result<TableChange> write_postgres_daily(PostgresConnection& connection, const DailySeriesRows& rows,
                                                       PostgresCorrections& corrections);

// Values of `meter_ids` (every meter of the meters table, by id in byte order, when empty) for days
// first..last into a dense matrix; NaN where nothing is stored.
[[nodiscard]] Result<DailyMatrix> load_postgres_daily(PostgresConnection& connection,
                                                      const std::vector<std::string>& meter_ids, CivilDate first,
                                                      CivilDate last);

// First and last day with a stored value, if any.
[[nodiscard]] Result<std::optional<std::pair<CivilDate, CivilDate>>> postgres_daily_range(
    PostgresConnection& connection);

// Number of stored meter-days.
[[nodiscard]] Result<std::int64_t> postgres_daily_count(PostgresConnection& connection);

// `values` as a PostgreSQL text[] literal ('{"a","b"}'), for `= ANY($1::text[])`.
[[nodiscard]] std::string postgres_text_array(const std::vector<std::string>& values);

}  // namespace gridaudit
