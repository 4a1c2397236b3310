// Merge of interval series batches into packed day rows, and reading them back as columns.
#include "store/interval_series_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "store/series_codec.hpp"
#include "store/series_grouping.hpp"

namespace gridaudit {
namespace {

constexpr std::int64_t seconds_per_day = 86'400;

std::int32_t utc_day_of(std::int64_t unix_seconds) {
    const std::int64_t day =
        unix_seconds >= 0 ? unix_seconds / seconds_per_day : -((-unix_seconds + seconds_per_day - 1) / seconds_per_day);
    return static_cast<std::int32_t>(day);
}

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

    void encode(const std::vector<Interval>& intervals) {
        gaps.clear();
        minutes.clear();
        kwh.clear();
        flag_bytes.clear();
        any_flag = false;
        std::int64_t previous_end = 0;
        for (const auto& interval : intervals) {
            gaps.push_back(interval.offset - previous_end);
            previous_end = interval.offset + interval.minutes * 60;
            minutes.push_back(interval.minutes);
            kwh.push_back(interval.kwh);
            flag_bytes.push_back(interval.flags);
            any_flag = any_flag || interval.flags != 0;
        }
        gap_bytes.clear();
        minute_bytes.clear();
        kwh_bytes.clear();
        encode_integer_column(gaps, gap_bytes);
        encode_integer_column(minutes, minute_bytes);
        encode_value_column(kwh, kwh_bytes);
    }
};

// Decodes the packed columns of one day row into intervals; false when damaged.
bool decode_day(std::int64_t count, std::span<const std::uint8_t> gap_bytes, std::span<const std::uint8_t> minute_bytes,
                std::span<const std::uint8_t> kwh_bytes, std::span<const std::uint8_t> flag_bytes, bool has_flags,
                PackedDay& scratch, std::vector<Interval>& intervals) {
    if (count < 0 || integer_column_size(gap_bytes) != static_cast<std::size_t>(count)) return false;
    const auto size = static_cast<std::size_t>(count);
    scratch.gaps.resize(size);
    scratch.minutes.resize(size);
    scratch.kwh.resize(size);
    if (!decode_integer_column(gap_bytes, scratch.gaps) || !decode_integer_column(minute_bytes, scratch.minutes) ||
        !decode_value_column(kwh_bytes, scratch.kwh) || (has_flags && flag_bytes.size() != size))
        return false;
    intervals.clear();
    std::int64_t previous_end = 0;
    for (std::size_t i = 0; i < size; ++i) {
        const std::int64_t offset = previous_end + scratch.gaps[i];
        previous_end = offset + scratch.minutes[i] * 60;
        const std::uint8_t flags = has_flags ? flag_bytes[i] : std::uint8_t{0};
        intervals.push_back(Interval{offset, scratch.minutes[i], scratch.kwh[i], flags});
    }
    return true;
}

std::string flags_text(std::uint8_t flags) {
    static const auto& codes = find_table("ami_interval")->column("flags")->codes;
    std::string text;
    for (std::size_t bit = 0; bit < codes.size(); ++bit) {
        if ((flags >> bit & 1) == 0) continue;
        if (!text.empty()) text += '|';
        text += codes[bit];
    }
    return text;
}

std::optional<std::string> kwh_text(double kwh) {
    if (std::isnan(kwh)) return std::nullopt;
    return fmt::format("{}", kwh);
}

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
        const std::int64_t day_start = static_cast<std::int64_t>(group.bucket) * seconds_per_day;
        bool changed = false;
        for (const auto row : incoming_) {
            GA_ASSIGN_OR_RETURN(const bool interval_changed, merge_interval(row, day_start, meter_id));
            changed = changed || interval_changed;
        }
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

    Result<bool> merge_interval(std::uint32_t row, std::int64_t day_start, std::string_view meter_id) {
        const Interval incoming{rows_.start[row] - day_start, rows_.minutes[row], rows_.kwh[row], rows_.flags[row]};
        const auto at =
            std::lower_bound(intervals_.begin(), intervals_.end(), incoming.offset,
                             [](const Interval& interval, std::int64_t offset) { return interval.offset < offset; });
        if (at == intervals_.end() || at->offset != incoming.offset) {
            intervals_.insert(at, incoming);
            ++change_.inserted;
            return true;
        }
        Interval& stored = *at;
        std::string row_key;
        const auto key = [&]() -> const std::string& {
            if (row_key.empty())
                row_key = fmt::format("{}|{}", meter_id, Instant::from_unix_seconds(rows_.start[row]).to_string(0));
            return row_key;
        };
        bool corrected = false;
        if (stored.minutes != incoming.minutes) {
            GA_TRY(corrections_.record("ami_interval", key(), "minutes", fmt::format("{}", stored.minutes),
                                       fmt::format("{}", incoming.minutes)));
            stored.minutes = incoming.minutes;
            corrected = true;
        }
        if (!std::isnan(incoming.kwh) && stored.kwh != incoming.kwh) {  // empty never overwrites
            GA_TRY(corrections_.record("ami_interval", key(), "kwh", kwh_text(stored.kwh), kwh_text(incoming.kwh)));
            stored.kwh = incoming.kwh;
            corrected = true;
        }
        if (stored.flags != incoming.flags) {
            GA_TRY(corrections_.record("ami_interval", key(), "flags", flags_text(stored.flags),
                                       flags_text(incoming.flags)));
            stored.flags = incoming.flags;
            corrected = true;
        }
        ++(corrected ? change_.corrected : change_.unchanged);
        return corrected;
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
// flags) into an IntervalMatrix. Rows arrive by meter then day; `row_of` names the matrix row of
// a meter id (adding one when the list was empty).
class IntervalPlacer {
public:
    IntervalPlacer(IntervalMatrix& matrix, std::int64_t range_start)
        : matrix_(matrix), range_start_(range_start),
          range_end_(range_start + static_cast<std::int64_t>(matrix.day_count) * seconds_per_day) {}

    // Appends a NaN row for a meter.
    void add_meter(std::string meter_id) {
        matrix_.meter_ids.push_back(std::move(meter_id));
        const std::size_t length = matrix_.row_length();
        matrix_.kwh.resize(matrix_.kwh.size() + length, std::numeric_limits<double>::quiet_NaN());
        matrix_.flags.resize(matrix_.flags.size() + length, 0);
        matrix_.stored.resize(matrix_.stored.size() + static_cast<std::size_t>(matrix_.day_count), 0);
        matrix_.coarse_intervals.push_back(0);
    }

    // Reads every selected row into matrix row `meter`, or into a row per meter id when `by_id`.
    Status place(SqliteStatement& select, bool by_id, std::size_t meter) {
        for (;;) {
            GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
            if (!has_row) break;
            const auto meter_id = select.column_text(0);
            const auto day_text = select.column_text(1);
            const auto day = CivilDate::parse(day_text);
            if (!day || !decode_day(select.column_int64(2), select.column_blob(3), select.column_blob(4),
                                    select.column_blob(5), select.column_blob(6), !select.column_is_null(6),
                                    scratch_, intervals_))
                return std::unexpected(damaged_row(meter_id, day_text));
            if (by_id && (matrix_.meter_ids.empty() || matrix_.meter_ids.back() != meter_id)) {
                if (!matrix_.meter_ids.empty()) finish_meter(matrix_.meter_ids.size() - 1);
                add_meter(std::string(meter_id));
            }
            const std::size_t row = by_id ? matrix_.meter_ids.size() - 1 : meter;
            const std::int64_t day_start = static_cast<std::int64_t>(day->days_since_epoch()) * seconds_per_day;
            for (const auto& interval : intervals_) place_interval(row, day_start + interval.offset, interval);
        }
        if (by_id && !matrix_.meter_ids.empty()) finish_meter(matrix_.meter_ids.size() - 1);
        if (!by_id) finish_meter(meter);
        return {};
    }

private:
    static constexpr std::int64_t slot_seconds = IntervalMatrix::slot_minutes * 60;

    void place_interval(std::size_t row, std::int64_t start, const Interval& interval) {
        if (start < range_start_ || start >= range_end_) return;
        const std::int64_t relative = start - range_start_;
        const auto day = static_cast<std::size_t>(relative / seconds_per_day);
        auto& stored = matrix_.stored[row * static_cast<std::size_t>(matrix_.day_count) + day];
        if (stored < std::numeric_limits<std::uint16_t>::max()) ++stored;
        if (interval.minutes > IntervalMatrix::slot_minutes) {
            ++matrix_.coarse_intervals[row];
            return;
        }
        const bool five_minutes = interval.minutes == 5;
        if (relative % (five_minutes ? 300 : slot_seconds) != 0 || (!five_minutes && interval.minutes != 15)) {
            matrix_.off_grid_meter.push_back(static_cast<std::uint32_t>(row));
            matrix_.off_grid_start.push_back(start);
            return;
        }
        const std::size_t at = row * matrix_.row_length() + static_cast<std::size_t>(relative / slot_seconds);
        if (parts_.size() < matrix_.row_length()) parts_.assign(matrix_.row_length(), 0);
        std::uint8_t& parts = parts_[at - row * matrix_.row_length()];
        const std::uint8_t added = five_minutes ? 1 : 3;
        // A first part sets the slot; later parts add up (a missing part makes the sum NaN).
        matrix_.kwh[at] = parts == 0 ? interval.kwh : matrix_.kwh[at] + interval.kwh;
        matrix_.flags[at] |= interval.flags;
        if (parts == 0) touched_.push_back(at - row * matrix_.row_length());
        parts = static_cast<std::uint8_t>(std::min(255, parts + added));
    }

    // Slots whose parts do not make exactly 15 minutes (an incomplete or overlapping set) are missing.
    void finish_meter(std::size_t row) {
        const std::size_t base = row * matrix_.row_length();
        for (const std::size_t slot : touched_) {
            if (parts_[slot] != 3) matrix_.kwh[base + slot] = std::numeric_limits<double>::quiet_NaN();
            parts_[slot] = 0;
        }
        touched_.clear();
    }

    IntervalMatrix& matrix_;
    std::int64_t range_start_ = 0;
    std::int64_t range_end_ = 0;
    PackedDay scratch_;
    std::vector<Interval> intervals_;
    std::vector<std::uint8_t> parts_;  // per slot of the current meter: 5-minute parts placed (3 for 15 minutes)
    std::vector<std::size_t> touched_;
};

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
    matrix.first_day = first;
    matrix.utc_offset_minutes = utc_offset_minutes;
    if (last < first) return matrix;
    if (utc_offset_minutes < -24 * 60 || utc_offset_minutes > 24 * 60)
        return user_error(fmt::format("UTC offset of {} minutes is out of range", utc_offset_minutes));
    matrix.day_count = last - first + 1;
    const std::int64_t range_start =
        static_cast<std::int64_t>(first.days_since_epoch()) * seconds_per_day - std::int64_t{utc_offset_minutes} * 60;
    const std::int64_t range_end = range_start + static_cast<std::int64_t>(matrix.day_count) * seconds_per_day;
    const std::string first_day = CivilDate::from_days(utc_day_of(range_start)).to_string();
    const std::string last_day = CivilDate::from_days(utc_day_of(range_end - 1)).to_string();
    constexpr std::string_view columns =
        "SELECT meter_id, day, interval_count, start_gaps, minutes, kwh, flags FROM ami_interval WHERE ";
    IntervalPlacer placer(matrix, range_start);
    if (meter_ids.empty()) {
        GA_ASSIGN_OR_RETURN(auto select, connection.prepare(fmt::format(
                                             "{}day BETWEEN ?1 AND ?2 ORDER BY meter_id, day", columns)));
        select.bind_text(1, first_day);
        select.bind_text(2, last_day);
        GA_TRY(placer.place(select, true, 0));
        // A meter whose rows in the UTC-day range hold no interval of the civil days is dropped.
        std::size_t kept = 0;
        const std::size_t length = matrix.row_length();
        const auto days = static_cast<std::size_t>(matrix.day_count);
        std::vector<std::uint32_t> new_row(matrix.meter_count());
        for (std::size_t m = 0; m < matrix.meter_count(); ++m) {
            new_row[m] = static_cast<std::uint32_t>(kept);
            if (!matrix.has_intervals(m)) continue;
            if (kept != m) {
                matrix.meter_ids[kept] = std::move(matrix.meter_ids[m]);
                std::copy_n(matrix.kwh.begin() + static_cast<std::ptrdiff_t>(m * length), length,
                            matrix.kwh.begin() + static_cast<std::ptrdiff_t>(kept * length));
                std::copy_n(matrix.flags.begin() + static_cast<std::ptrdiff_t>(m * length), length,
                            matrix.flags.begin() + static_cast<std::ptrdiff_t>(kept * length));
                std::copy_n(matrix.stored.begin() + static_cast<std::ptrdiff_t>(m * days), days,
                            matrix.stored.begin() + static_cast<std::ptrdiff_t>(kept * days));
                matrix.coarse_intervals[kept] = matrix.coarse_intervals[m];
            }
            ++kept;
        }
        if (kept != matrix.meter_count()) {
            // Off-grid starts lie inside the range, so their meters have intervals and are kept.
            for (auto& row : matrix.off_grid_meter) row = new_row[row];
            matrix.meter_ids.resize(kept);
            matrix.kwh.resize(kept * length);
            matrix.flags.resize(kept * length);
            matrix.stored.resize(kept * days);
            matrix.coarse_intervals.resize(kept);
        }
        return matrix;
    }
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare(fmt::format(
                                         "{}meter_id = ?3 AND day BETWEEN ?1 AND ?2 ORDER BY day", columns)));
    select.bind_text(1, first_day);
    select.bind_text(2, last_day);
    for (std::size_t m = 0; m < meter_ids.size(); ++m) {
        placer.add_meter(meter_ids[m]);
        select.bind_text(3, meter_ids[m]);
        GA_TRY(placer.place(select, false, m));
        select.reset();
    }
    return matrix;
}

Result<std::int64_t> stored_interval_count(SqliteConnection& connection) {
    return connection.query_int64("SELECT coalesce(sum(interval_count), 0) FROM ami_interval");
}

}  // namespace gridaudit
