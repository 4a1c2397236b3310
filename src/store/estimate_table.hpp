// The `daily_estimates` and `interval_estimates` tables: VEE's estimates of missing daily usage and
// of missing 15-minute intervals, stored beside the raw values and never mixed with them.
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

// The interval counterparts: intervals starting in [first, end) (unix seconds).
[[nodiscard]] Result<std::size_t> replace_interval_estimate_rows(SqliteConnection& connection, std::int64_t first,
                                                                 std::int64_t end,
                                                                 const std::vector<IntervalEstimate>& estimates);
[[nodiscard]] Result<std::size_t> drop_interval_estimates_replaced_by(SqliteConnection& connection,
                                                                      const IntervalSeriesRows& intervals);
[[nodiscard]] Result<std::vector<IntervalEstimate>> read_interval_estimates(SqliteConnection& connection);

}  // namespace gridaudit
