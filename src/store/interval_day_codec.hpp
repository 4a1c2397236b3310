// The packed `ami_interval` day row, shared by the SQLite and PostgreSQL stores: one row per
// (meter, UTC day) holding the day's intervals in start order as start gaps and lengths (integer
// columns), kWh (a value column, store/series_codec.hpp) and one flag byte per interval (absent
// when all are zero); the merge of a batch's intervals into a stored day; and the placement of
// decoded days into a 15-minute IntervalMatrix (Store::load_intervals).
// Thread safety: free functions and single-threaded objects without shared state.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "model/rows.hpp"
#include "model/series.hpp"
#include "store/store.hpp"

namespace gridaudit {

inline constexpr std::int64_t seconds_per_day = 86'400;

// The UTC day (days since 1970-01-01) of an instant, rounding down for instants before 1970.
[[nodiscard]] std::int32_t utc_day_of(std::int64_t unix_seconds);

struct Interval {
    std::int64_t offset = 0;  // seconds after 00:00 UTC of the row's day
    std::int64_t minutes = 0;
    double kwh = 0;
    std::uint8_t flags = 0;
};

// The columns of one packed day row, reused between rows to avoid allocations.
struct PackedDay {
    std::vector<std::int64_t> gaps;
    std::vector<std::int64_t> minutes;
    std::vector<double> kwh;
    std::vector<std::uint8_t> gap_bytes, minute_bytes, kwh_bytes, flag_bytes;
    bool any_flag = false;

    // REQUIRES: intervals in offset order.
    void encode(const std::vector<Interval>& intervals);
};

// Decodes the packed columns of one day row into intervals; false when damaged.
[[nodiscard]] bool decode_day(std::int64_t count, std::span<const std::uint8_t> gap_bytes,
                              std::span<const std::uint8_t> minute_bytes, std::span<const std::uint8_t> kwh_bytes,
                              std::span<const std::uint8_t> flag_bytes, bool has_flags, PackedDay& scratch,
                              std::vector<Interval>& intervals);

// Records one correction: row key, column, old and new value as text (nullopt = missing).
using IntervalCorrection =
    std::function<Status(std::string_view row_key, std::string_view column, const std::optional<std::string>& old_value,
                         const std::optional<std::string>& new_value)>;

// Merges a batch's intervals of one (meter, UTC day) into the day's stored intervals with the
// store's rules, counting into `change`; returns whether the day changed.
// REQUIRES: `stored` in offset order; `rows` are indices of `batch` rows of this meter and day.
[[nodiscard]] Result<bool> merge_interval_day(const IntervalSeriesRows& batch, std::span<const std::uint32_t> rows,
                                              std::int32_t day, std::string_view meter_id,
                                              std::vector<Interval>& stored, TableChange& change,
                                              const IntervalCorrection& record);

// Fills an IntervalMatrix from decoded day rows that arrive meter by meter.
class IntervalPlacer {
public:
    IntervalPlacer(IntervalMatrix& matrix, std::int64_t range_start);

    // Appends a NaN row for a meter; returns its row.
    std::size_t add_meter(std::string meter_id);
    // Places the intervals of one stored UTC day (starting at `day_start`, Unix seconds) into `row`.
    void place_day(std::size_t row, std::int64_t day_start, const std::vector<Interval>& intervals);
    // Ends a meter's row: slots whose parts do not make exactly 15 minutes become missing.
    void finish_meter(std::size_t row);

private:
    void place_interval(std::size_t row, std::int64_t start, const Interval& interval);

    IntervalMatrix& matrix_;
    std::int64_t range_start_ = 0;
    std::int64_t range_end_ = 0;
    std::vector<std::uint8_t> parts_;  // per slot of the current meter: 5-minute parts placed (3 for 15 minutes)
    std::vector<std::size_t> touched_;
};

// Drops the rows of meters without an interval in the matrix's days (the read of every meter
// covers the neighbouring UTC days too), keeping the others in order.
void drop_meters_without_intervals(IntervalMatrix& matrix);

// The matrix's range of UTC days to read and its first instant, for civil days first..last at
// utc_offset_minutes; user error for an offset beyond a day. day_count 0 when last < first.
struct IntervalRange {
    std::int64_t range_start = 0;  // Unix seconds of local midnight of `first`
    std::string first_utc_day;     // 'YYYY-MM-DD'
    std::string last_utc_day;
};
[[nodiscard]] Result<IntervalRange> interval_range(IntervalMatrix& matrix, CivilDate first, CivilDate last,
                                                   int utc_offset_minutes);

}  // namespace gridaudit
