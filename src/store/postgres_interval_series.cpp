// Merge of interval series batches into packed day rows on PostgreSQL, and the 15-minute matrix.
#include "store/postgres_interval_series.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "store/interval_day_codec.hpp"
#include "store/postgres_daily_series.hpp"
#include "store/series_grouping.hpp"

namespace gridaudit {
namespace {

constexpr std::string_view packed_columns = "meter_id, day, interval_count, start_gaps, minutes, kwh, flags";

Error damaged_row(std::string_view meter_id, std::string_view day) {
    return Error(ErrorClass::external, fmt::format("ami_interval row {}|{} is damaged", meter_id, day));
}

// Decodes row `r` of a result with the packed columns from column 0 (meter_id, day, ...).
bool decode_stored_day(const PostgresResult& result, int r, PackedDay& scratch, std::vector<Interval>& intervals) {
    const auto gaps = result.bytes(r, 3);
    const auto minutes = result.bytes(r, 4);
    const auto kwh = result.bytes(r, 5);
    const bool has_flags = !result.is_null(r, 6);
    const auto flags =
        has_flags ? result.bytes(r, 6) : std::optional<std::vector<std::uint8_t>>(std::vector<std::uint8_t>{});
    return gaps && minutes && kwh && flags &&
           decode_day(result.int64(r, 2), *gaps, *minutes, *kwh, *flags, has_flags, scratch, intervals);
}

Status create_month_partitions(PostgresConnection& connection, Period first, Period last) {
    std::string sql;
    for (Period month = first; month <= last; month = month + 1)
        sql += fmt::format(
            "CREATE TABLE IF NOT EXISTS ami_interval_{:04}_{:02} PARTITION OF ami_interval FOR VALUES "
            "FROM ('{}') TO ('{}');",
            month.year(), month.month(), month.first_day().to_string(), (month + 1).first_day().to_string());
    return connection.execute(sql);
}

Status check_columns(const IntervalSeriesRows& rows) {
    const std::size_t size = rows.size();
    if (rows.meter.size() != size || rows.minutes.size() != size || rows.kwh.size() != size ||
        rows.flags.size() != size)
        return internal_error("ami_interval batch columns differ in length");
    if (size >= std::numeric_limits<std::uint32_t>::max())
        return internal_error("ami_interval batch too large for one import");
    for (const auto meter : rows.meter)
        if (meter >= rows.meter_ids.size()) return internal_error("ami_interval batch row names no meter id");
    return {};
}

void add_packed_row(CopyRows& target, std::string_view meter_id, std::string_view day, const PackedDay& packed,
                    std::size_t count) {
    target.add_text(meter_id);
    target.add_text(day);
    target.add_int64(static_cast<std::int64_t>(count));
    target.add_bytes(packed.gap_bytes);
    target.add_bytes(packed.minute_bytes);
    target.add_bytes(packed.kwh_bytes);
    if (packed.any_flag)
        target.add_bytes(packed.flag_bytes);
    else
        target.add_null();
    target.end_row();
}

}  // namespace

Result<TableChange> write_postgres_intervals(PostgresConnection& connection, const IntervalSeriesRows& rows,
                                             PostgresCorrections& corrections) {
    TableChange change{"ami_interval"};
    if (rows.size() == 0) return change;
    GA_TRY(check_columns(rows));
    const SeriesGrouping grouping =
        group_series_rows(rows.meter_ids, rows.meter, [&](std::uint32_t i) { return utc_day_of(rows.start[i]); });
    const auto [lowest, highest] = std::minmax_element(rows.start.begin(), rows.start.end());
    GA_TRY(create_month_partitions(connection, Period::of(CivilDate::from_days(utc_day_of(*lowest))),
                                   Period::of(CivilDate::from_days(utc_day_of(*highest)))));

    PostgresResult stored;
    std::unordered_map<std::string, int> stored_rows;  // "meter|day" -> row of `stored`
    GA_ASSIGN_OR_RETURN(const auto any,
                        connection.query_int64("SELECT count(*) FROM (SELECT 1 FROM ami_interval LIMIT 1) AS t"));
    if (any != 0) {
        GA_TRY(
            connection.execute("DROP TABLE IF EXISTS ga_interval_keys; CREATE TEMP TABLE ga_interval_keys "
                               "(meter_id TEXT, day TEXT COLLATE \"C\") ON COMMIT DROP"));
        CopyRows keys;
        for (const auto& group : grouping.groups) {
            keys.add_text(rows.meter_ids[group.meter]);
            keys.add_text(CivilDate::from_days(group.bucket).to_string());
            keys.end_row();
        }
        GA_TRY(connection.copy_in("ga_interval_keys (meter_id, day)", keys));
        GA_ASSIGN_OR_RETURN(stored, connection.query("SELECT i.meter_id, i.day, i.interval_count, i.start_gaps, "
                                                     "i.minutes, i.kwh, i.flags FROM ami_interval AS i JOIN "
                                                     "ga_interval_keys AS k ON i.meter_id = k.meter_id AND "
                                                     "i.day = k.day"));
        for (int r = 0; r < stored.rows(); ++r)
            stored_rows.emplace(fmt::format("{}|{}", stored.text(r, 0), stored.text(r, 1)), r);
    }

    const IntervalCorrection record = [&](std::string_view row_key, std::string_view column,
                                          const std::optional<std::string>& old_value,
                                          const std::optional<std::string>& new_value) -> Status {
        corrections.record("ami_interval", row_key, column, old_value, new_value);
        return {};
    };
    CopyRows inserts, updates;
    PackedDay packed;
    std::vector<Interval> intervals;
    std::vector<std::uint32_t> incoming;
    for (const auto& group : grouping.groups) {
        const std::string& meter_id = rows.meter_ids[group.meter];
        const std::string day_text = CivilDate::from_days(group.bucket).to_string();
        intervals.clear();
        const auto found = stored_rows.find(fmt::format("{}|{}", meter_id, day_text));
        if (found != stored_rows.end() && !decode_stored_day(stored, found->second, packed, intervals))
            return std::unexpected(damaged_row(meter_id, day_text));
        incoming.clear();
        for (std::uint32_t position = group.begin; position < group.end; ++position)
            incoming.push_back(grouping.row(position));
        std::stable_sort(incoming.begin(), incoming.end(),
                         [&](std::uint32_t a, std::uint32_t b) { return rows.start[a] < rows.start[b]; });
        GA_ASSIGN_OR_RETURN(const bool changed,
                            merge_interval_day(rows, incoming, group.bucket, meter_id, intervals, change, record));
        if (!changed) continue;
        packed.encode(intervals);
        add_packed_row(found != stored_rows.end() ? updates : inserts, meter_id, day_text, packed, intervals.size());
    }
    const std::string columns = fmt::format("({})", packed_columns);
    if (!inserts.empty()) GA_TRY(connection.copy_in(fmt::format("ami_interval {}", columns), inserts));
    if (!updates.empty()) {
        GA_TRY(
            connection.execute(fmt::format("DROP TABLE IF EXISTS ga_interval_updates; CREATE TEMP TABLE "
                                           "ga_interval_updates ON COMMIT DROP AS SELECT {} FROM ami_interval "
                                           "WITH NO DATA",
                                           packed_columns)));
        GA_TRY(connection.copy_in(fmt::format("ga_interval_updates {}", columns), updates));
        GA_TRY(
            connection.execute("UPDATE ami_interval AS i SET interval_count = u.interval_count, start_gaps = "
                               "u.start_gaps, minutes = u.minutes, kwh = u.kwh, flags = u.flags FROM "
                               "ga_interval_updates AS u WHERE i.meter_id = u.meter_id AND i.day = u.day"));
    }
    return change;
}

Result<IntervalMatrix> load_postgres_intervals(PostgresConnection& connection,
                                               const std::vector<std::string>& meter_ids, CivilDate first,
                                               CivilDate last, int utc_offset_minutes) {
    IntervalMatrix matrix;
    GA_ASSIGN_OR_RETURN(const auto range, interval_range(matrix, first, last, utc_offset_minutes));
    if (last < first) return matrix;
    const bool all_meters = meter_ids.empty();
    const std::vector<std::optional<std::string>> parameters{
        range.first_utc_day, range.last_utc_day,
        all_meters ? std::nullopt : std::optional<std::string>(postgres_text_array(meter_ids))};
    GA_ASSIGN_OR_RETURN(auto stored,
                        connection.query(fmt::format("SELECT {} FROM ami_interval WHERE day BETWEEN $1 AND $2 AND "
                                                     "($3::text[] IS NULL OR meter_id = ANY($3::text[])) "
                                                     "ORDER BY meter_id COLLATE \"C\", day",
                                                     packed_columns),
                                         parameters));
    IntervalPlacer placer(matrix, range.range_start);
    std::unordered_map<std::string_view, std::vector<std::size_t>> rows_of;
    if (!all_meters) {
        for (const auto& meter_id : meter_ids) placer.add_meter(meter_id);
        for (std::size_t m = 0; m < meter_ids.size(); ++m) rows_of[meter_ids[m]].push_back(m);
    }
    PackedDay scratch;
    std::vector<std::pair<std::int64_t, std::vector<Interval>>> days;  // one meter's decoded days
    for (int r = 0; r < stored.rows();) {
        const auto meter_id = stored.text(r, 0);
        days.clear();
        for (; r < stored.rows() && stored.text(r, 0) == meter_id; ++r) {
            const auto day = CivilDate::parse(stored.text(r, 1));
            std::vector<Interval> intervals;
            if (!day || !decode_stored_day(stored, r, scratch, intervals))
                return std::unexpected(damaged_row(meter_id, stored.text(r, 1)));
            days.emplace_back(static_cast<std::int64_t>(day->days_since_epoch()) * seconds_per_day,
                              std::move(intervals));
        }
        std::vector<std::size_t> targets;
        if (all_meters) {
            targets.push_back(placer.add_meter(std::string(meter_id)));
        } else if (const auto found = rows_of.find(meter_id); found != rows_of.end()) {
            targets = found->second;
        }
        for (const std::size_t row : targets) {
            for (const auto& [day_start, intervals] : days) placer.place_day(row, day_start, intervals);
            placer.finish_meter(row);
        }
    }
    if (all_meters) drop_meters_without_intervals(matrix);
    return matrix;
}

Result<std::int64_t> postgres_interval_count(PostgresConnection& connection) {
    return connection.query_int64("SELECT coalesce(sum(interval_count), 0)::bigint FROM ami_interval");
}

}  // namespace gridaudit
