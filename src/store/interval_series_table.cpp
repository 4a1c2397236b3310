// Merge of interval series batches into packed day rows, and reading them back as columns.
#include "store/interval_series_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "store/interval_day_codec.hpp"
#include "store/series_grouping.hpp"

namespace gridaudit {
namespace {

Error damaged_row(std::string_view meter_id, std::string_view day) {
    return Error(ErrorClass::external, fmt::format("ami_interval row {}|{} is damaged", meter_id, day));
}

struct IntervalStatements {
    SqliteStatement insert;
    SqliteStatement select;
    SqliteStatement update;
};

Result<IntervalStatements> prepare_interval_statements(SqliteConnection& connection) {
    IntervalStatements statements;
    GA_ASSIGN_OR_RETURN(statements.insert,
                        connection.prepare("INSERT INTO ami_interval (meter_id, day, interval_count, start_gaps, "
                                           "minutes, kwh, flags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    GA_ASSIGN_OR_RETURN(statements.select,
                        connection.prepare("SELECT interval_count, start_gaps, minutes, kwh, flags FROM ami_interval "
                                           "WHERE meter_id = ?1 AND day = ?2"));
    GA_ASSIGN_OR_RETURN(
        statements.update,
        connection.prepare("UPDATE ami_interval SET interval_count = ?3, start_gaps = ?4, minutes = ?5, "
                           "kwh = ?6, flags = ?7 WHERE meter_id = ?1 AND day = ?2"));
    return statements;
}

class IntervalMerger {
public:
    IntervalMerger(const IntervalSeriesRows& rows, IntervalStatements& statements, CorrectionLog& corrections,
                   bool table_was_empty)
        : rows_(rows), statements_(statements), corrections_(corrections), table_was_empty_(table_was_empty) {}

    Status merge_group(const SeriesGrouping& grouping, const SeriesGroup& group) {
        const std::string& meter_id = rows_.meter_ids[group.meter];
        const std::string day_text = CivilDate::from_days(group.bucket).to_string();
        intervals_.clear();
        bool stored = false;
        if (!table_was_empty_) {
            GA_ASSIGN_OR_RETURN(stored, read_stored(meter_id, day_text));
        }

        incoming_.clear();
        for (std::uint32_t position = group.begin; position < group.end; ++position)
            incoming_.push_back(grouping.row(position));
        std::stable_sort(incoming_.begin(), incoming_.end(),
                         [&](std::uint32_t a, std::uint32_t b) { return rows_.start[a] < rows_.start[b]; });
        GA_ASSIGN_OR_RETURN(const bool changed,
                            merge_interval_day(rows_, incoming_, group.bucket, meter_id, intervals_, change_,
                                               [&](std::string_view row_key, std::string_view column,
                                                   const std::optional<std::string>& old_value,
                                                   const std::optional<std::string>& new_value) {
                                                   return corrections_.record("ami_interval", row_key, column,
                                                                              old_value, new_value);
                                               }));
        if (!changed) return {};
        return write(stored ? statements_.update : statements_.insert, meter_id, day_text);
    }

    [[nodiscard]] const TableChange& change() const { return change_; }

private:
    Result<bool> read_stored(std::string_view meter_id, std::string_view day_text) {
        auto& select = statements_.select;
        select.bind_text(1, meter_id);
        select.bind_text(2, day_text);
        GA_ASSIGN_OR_RETURN(const bool found, select.step());
        if (found &&
            !decode_day(select.column_int64(0), select.column_blob(1), select.column_blob(2), select.column_blob(3),
                        select.column_blob(4), !select.column_is_null(4), packed_, intervals_)) {
            select.reset();
            return std::unexpected(damaged_row(meter_id, day_text));
        }
        select.reset();
        return found;
    }

    Status write(SqliteStatement& statement, std::string_view meter_id, std::string_view day_text) {
        packed_.encode(intervals_);
        statement.bind_text(1, meter_id);
        statement.bind_text(2, day_text);
        statement.bind_int64(3, static_cast<std::int64_t>(intervals_.size()));
        statement.bind_blob(4, packed_.gap_bytes);
        statement.bind_blob(5, packed_.minute_bytes);
        statement.bind_blob(6, packed_.kwh_bytes);
        if (packed_.any_flag)
            statement.bind_blob(7, packed_.flag_bytes);
        else
            statement.bind_null(7);
        return statement.run();
    }

    const IntervalSeriesRows& rows_;
    IntervalStatements& statements_;
    CorrectionLog& corrections_;
    bool table_was_empty_ = false;
    std::vector<Interval> intervals_;
    std::vector<std::uint32_t> incoming_;
    PackedDay packed_;
    TableChange change_{"ami_interval"};
};

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

// Appends the intervals of the selected rows (meter_id, day, interval_count, start_gaps,
// minutes, kwh, flags) that start in [from, to).
Status append_selected(SqliteStatement& select, Instant from, Instant to, IntervalSeriesRows& out) {
    PackedDay scratch;
    std::vector<Interval> intervals;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return {};
        const auto meter_id = select.column_text(0);
        const auto day_text = select.column_text(1);
        const auto day = CivilDate::parse(day_text);
        if (!day ||
            !decode_day(select.column_int64(2), select.column_blob(3), select.column_blob(4), select.column_blob(5),
                        select.column_blob(6), !select.column_is_null(6), scratch, intervals))
            return std::unexpected(damaged_row(meter_id, day_text));
        if (out.meter_ids.empty() || out.meter_ids.back() != meter_id) out.meter_ids.emplace_back(meter_id);
        const auto meter = static_cast<std::uint32_t>(out.meter_ids.size() - 1);
        const std::int64_t day_start = static_cast<std::int64_t>(day->days_since_epoch()) * seconds_per_day;
        for (const auto& interval : intervals) {
            const std::int64_t start = day_start + interval.offset;
            if (start < from.unix_seconds() || start >= to.unix_seconds()) continue;
            out.meter.push_back(meter);
            out.start.push_back(start);
            out.minutes.push_back(static_cast<std::uint16_t>(interval.minutes));
            out.kwh.push_back(interval.kwh);
            out.flags.push_back(interval.flags);
        }
    }
}

// Places the intervals of selected rows (meter_id, day, interval_count, start_gaps, minutes, kwh,
// flags) into the matrix. Rows arrive by meter then day: into row `meter`, or a row per meter id
// when `by_id`.
Status place_selected(SqliteStatement& select, IntervalPlacer& placer, IntervalMatrix& matrix, bool by_id,
                      std::size_t meter) {
    PackedDay scratch;
    std::vector<Interval> intervals;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) break;
        const auto meter_id = select.column_text(0);
        const auto day_text = select.column_text(1);
        const auto day = CivilDate::parse(day_text);
        if (!day || !decode_day(select.column_int64(2), select.column_blob(3), select.column_blob(4),
                                select.column_blob(5), select.column_blob(6), !select.column_is_null(6), scratch,
                                intervals))
            return std::unexpected(damaged_row(meter_id, day_text));
        if (by_id && (matrix.meter_ids.empty() || matrix.meter_ids.back() != meter_id)) {
            if (!matrix.meter_ids.empty()) placer.finish_meter(matrix.meter_ids.size() - 1);
            placer.add_meter(std::string(meter_id));
        }
        const std::size_t row = by_id ? matrix.meter_ids.size() - 1 : meter;
        placer.place_day(row, static_cast<std::int64_t>(day->days_since_epoch()) * seconds_per_day, intervals);
    }
    if (by_id && !matrix.meter_ids.empty()) placer.finish_meter(matrix.meter_ids.size() - 1);
    if (!by_id) placer.finish_meter(meter);
    return {};
}

Result<bool> table_is_empty(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(const auto any, connection.query_int64("SELECT EXISTS (SELECT 1 FROM ami_interval)"));
    return any == 0;
}

}  // namespace

Result<TableChange> write_interval_series(SqliteConnection& connection, const IntervalSeriesRows& rows,
                                          CorrectionLog& corrections) {
    if (rows.size() == 0) return TableChange{"ami_interval"};
    GA_TRY(check_columns(rows));
    const SeriesGrouping grouping =
        group_series_rows(rows.meter_ids, rows.meter, [&](std::uint32_t i) { return utc_day_of(rows.start[i]); });
    GA_ASSIGN_OR_RETURN(const bool was_empty, table_is_empty(connection));
    GA_ASSIGN_OR_RETURN(auto statements, prepare_interval_statements(connection));
    IntervalMerger merger(rows, statements, corrections, was_empty);
    for (const auto& group : grouping.groups) GA_TRY(merger.merge_group(grouping, group));
    return merger.change();
}

Result<IntervalSeriesRows> read_interval_series(SqliteConnection& connection, const std::vector<std::string>& meter_ids,
                                                Instant from, Instant to) {
    IntervalSeriesRows out;
    if (to <= from) return out;
    const std::string first_day = CivilDate::from_days(utc_day_of(from.unix_seconds())).to_string();
    const std::string last_day = CivilDate::from_days(utc_day_of(to.unix_seconds() - 1)).to_string();
    constexpr std::string_view columns =
        "SELECT meter_id, day, interval_count, start_gaps, minutes, kwh, flags "
        "FROM ami_interval WHERE ";
    if (meter_ids.empty()) {
        GA_ASSIGN_OR_RETURN(auto select, connection.prepare(fmt::format("{}day BETWEEN ?1 AND ?2 ORDER BY meter_id, "
                                                                        "day",
                                                                        columns)));
        select.bind_text(1, first_day);
        select.bind_text(2, last_day);
        GA_TRY(append_selected(select, from, to, out));
        return out;
    }
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare(fmt::format("{}meter_id = ?3 AND day BETWEEN ?1 AND ?2 "
                                                                    "ORDER BY day",
                                                                    columns)));
    select.bind_text(1, first_day);
    select.bind_text(2, last_day);
    for (const auto& meter_id : meter_ids) {
        select.bind_text(3, meter_id);
        GA_TRY(append_selected(select, from, to, out));
        select.reset();
    }
    return out;
}

Result<IntervalMatrix> load_interval_matrix(SqliteConnection& connection, const std::vector<std::string>& meter_ids,
                                            CivilDate first, CivilDate last, int utc_offset_minutes) {
    IntervalMatrix matrix;
    GA_ASSIGN_OR_RETURN(const auto range, interval_range(matrix, first, last, utc_offset_minutes));
    if (last < first) return matrix;
    constexpr std::string_view columns =
        "SELECT meter_id, day, interval_count, start_gaps, minutes, kwh, flags FROM ami_interval WHERE ";
    IntervalPlacer placer(matrix, range.range_start);
    if (meter_ids.empty()) {
        GA_ASSIGN_OR_RETURN(auto select, connection.prepare(fmt::format(
                                             "{}day BETWEEN ?1 AND ?2 ORDER BY meter_id, day", columns)));
        select.bind_text(1, range.first_utc_day);
        select.bind_text(2, range.last_utc_day);
        GA_TRY(place_selected(select, placer, matrix, true, 0));
        // A meter whose rows in the UTC-day range hold no interval of the civil days is dropped.
        drop_meters_without_intervals(matrix);
        return matrix;
    }
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare(fmt::format(
                                         "{}meter_id = ?3 AND day BETWEEN ?1 AND ?2 ORDER BY day", columns)));
    select.bind_text(1, range.first_utc_day);
    select.bind_text(2, range.last_utc_day);
    for (std::size_t m = 0; m < meter_ids.size(); ++m) {
        placer.add_meter(meter_ids[m]);
        select.bind_text(3, meter_ids[m]);
        GA_TRY(place_selected(select, placer, matrix, false, m));
        select.reset();
    }
    return matrix;
}

Result<std::int64_t> stored_interval_count(SqliteConnection& connection) {
    return connection.query_int64("SELECT coalesce(sum(interval_count), 0) FROM ami_interval");
}

}  // namespace gridaudit
