// The `daily_estimates` table: VEE's estimates of missing daily usage, stored beside the raw
// registers and never mixed with them.
//
// `gridaudit vee` replaces the estimates of the days it ran over; an import that brings an actual
// register value for a meter-day deletes that day's estimate in the same transaction (the
// estimate is replaced by the actual value). Thread safety: used by one thread; writes run
// inside the caller's transaction.
#pragma once

#include <vector>

#include "core/result.hpp"
#include "model/rows.hpp"
#include "store/sqlite_connection.hpp"
#include "store/store.hpp"

namespace gridaudit {

// REQUIRES: a transaction is open. Returns the number of estimates stored.
[[nodiscard]] Result<std::size_t> replace_estimates(SqliteConnection& connection, CivilDate first, CivilDate last,
                                                    const std::vector<DailyEstimate>& estimates);

// REQUIRES: a transaction is open. Deletes the estimates of the meter-days `daily` holds an actual
// import register for; returns how many were deleted.
[[nodiscard]] Result<std::size_t> drop_estimates_replaced_by(SqliteConnection& connection,
                                                             const DailySeriesRows& daily);

// Every stored estimate, by meter then day.
[[nodiscard]] Result<std::vector<DailyEstimate>> read_estimates(SqliteConnection& connection);

}  // namespace gridaudit
