// Merge of daily series batches into packed month rows, and decoding them into a DailyMatrix.
#include "store/daily_series_table.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <map>

#include "store/series_codec.hpp"
#include "store/series_grouping.hpp"

namespace gridaudit {
namespace {

constexpr std::size_t max_days_in_month = 31;
constexpr double missing = std::numeric_limits<double>::quiet_NaN();

// Month and day of month of every day in [first, last], by table lookup instead of calendar
// arithmetic per row.
class DayCalendar {
public:
    DayCalendar(std::int32_t first, std::int32_t last) : first_(first) {
        entries_.resize(static_cast<std::size_t>(last - first) + 1);
        for (Period month = Period::of(CivilDate::from_days(first));; month = month + 1) {
            const std::int32_t month_first = month.first_day().days_since_epoch();
            const std::int32_t month_end = month_first + month.day_count();
            for (std::int32_t day = std::max(month_first, first); day < std::min(month_end, last + 1); ++day)
                entries_[static_cast<std::size_t>(day - first)] = Entry{month.index(), day - month_first};
            if (month_end > last) break;
        }
    }
    [[nodiscard]] std::int32_t month(std::int32_t day) const { return entry(day).month; }
    [[nodiscard]] std::size_t day_index(std::int32_t day) const {
        return static_cast<std::size_t>(entry(day).day_index);
    }

private:
    struct Entry {
        std::int32_t month = 0;      // Period::index()
        std::int32_t day_index = 0;  // day of month - 1
    };
    [[nodiscard]] const Entry& entry(std::int32_t day) const {
        return entries_[static_cast<std::size_t>(day - first_)];
    }
    std::int32_t first_ = 0;
    std::vector<Entry> entries_;
};

// One packed (meter, month) row in memory.
struct MonthSlots {
    std::uint32_t mask = 0;  // bit d: day d + 1 is stored
    std::size_t days = 0;    // days in the month
    std::array<double, max_days_in_month> import_register{};
    std::array<double, max_days_in_month> export_register{};

    void clear(std::size_t days_in_month) {
        mask = 0;
        days = days_in_month;
        import_register.fill(missing);
        export_register.fill(missing);
    }
    [[nodiscard]] std::span<double> imports() { return {import_register.data(), days}; }
    [[nodiscard]] std::span<double> exports() { return {export_register.data(), days}; }
};

struct DailyStatements {
    SqliteStatement insert;
    SqliteStatement select;
    SqliteStatement update;
};

Result<DailyStatements> prepare_daily_statements(SqliteConnection& connection) {
    DailyStatements statements;
    GA_ASSIGN_OR_RETURN(statements.insert,
                        connection.prepare("INSERT INTO ami_daily (meter_id, month, day_mask, day_count, "
                                           "import_register, export_register) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    GA_ASSIGN_OR_RETURN(statements.select,
                        connection.prepare("SELECT day_mask, import_register, export_register FROM ami_daily "
                                           "WHERE meter_id = ?1 AND month = ?2"));
    GA_ASSIGN_OR_RETURN(statements.update,
                        connection.prepare("UPDATE ami_daily SET day_mask = ?3, day_count = ?4, import_register = ?5, "
                                           "export_register = ?6 WHERE meter_id = ?1 AND month = ?2"));
    return statements;
}

Error damaged_row(std::string_view meter_id, std::string_view month) {
    return Error(ErrorClass::external, fmt::format("ami_daily row {}|{} is damaged", meter_id, month));
}

// Reads the stored row of (meter, month) into `slots`; false when there is none.
Result<bool> read_stored_month(SqliteStatement& select, std::string_view meter_id, std::string_view month,
                               MonthSlots& slots) {
    select.bind_text(1, meter_id);
    select.bind_text(2, month);
    GA_ASSIGN_OR_RETURN(const bool found, select.step());
    if (found) {
        slots.mask = static_cast<std::uint32_t>(select.column_int64(0));
        const bool decoded = decode_value_column(select.column_blob(1), slots.imports()) &&
                             decode_value_column(select.column_blob(2), slots.exports());
        if (!decoded) {
            select.reset();
            return std::unexpected(damaged_row(meter_id, month));
        }
    }
    select.reset();
    return found;
}

std::optional<std::string> register_text(double value) {
    if (std::isnan(value)) return std::nullopt;
    return fmt::format("{}", value);
}

// Merges batches' rows into packed month rows, one group (meter, month) at a time.
class DailyMerger {
public:
    DailyMerger(const DailySeriesRows& rows, const DayCalendar& calendar, DailyStatements& statements,
                CorrectionLog& corrections, bool table_was_empty)
        : rows_(rows),
          calendar_(calendar),
          statements_(statements),
          corrections_(corrections),
          table_was_empty_(table_was_empty) {}

    Status merge_group(const SeriesGrouping& grouping, const SeriesGroup& group, std::string_view month_text) {
        const std::string& meter_id = rows_.meter_ids[group.meter];
        const Period month = Period::from_index(group.bucket);
        slots_.clear(static_cast<std::size_t>(month.day_count()));
        bool stored = false;
        if (!table_was_empty_) {
            GA_ASSIGN_OR_RETURN(stored, read_stored_month(statements_.select, meter_id, month_text, slots_));
        }
        bool changed = false;
        for (std::uint32_t position = group.begin; position < group.end; ++position) {
            GA_ASSIGN_OR_RETURN(const bool day_changed, merge_day(grouping.row(position), meter_id));
            changed = changed || day_changed;
        }
        if (!changed) return {};
        return write(stored ? statements_.update : statements_.insert, meter_id, month_text);
    }

    [[nodiscard]] const TableChange& change() const { return change_; }

private:
    // Returns whether the slots changed.
    Result<bool> merge_day(std::uint32_t row, std::string_view meter_id) {
        const std::int32_t day = rows_.day[row];
        const std::size_t index = calendar_.day_index(day);
        const std::uint32_t bit = 1u << index;
        if ((slots_.mask & bit) == 0) {
            slots_.mask |= bit;
            slots_.import_register[index] = rows_.import_register[row];
            slots_.export_register[index] = rows_.export_register[row];
            ++change_.inserted;
            return true;
        }
        GA_ASSIGN_OR_RETURN(const bool import_changed,
                            merge_register(slots_.import_register[index], rows_.import_register[row], "import_register",
                                           meter_id, day));
        GA_ASSIGN_OR_RETURN(const bool export_changed,
                            merge_register(slots_.export_register[index], rows_.export_register[row], "export_register",
                                           meter_id, day));
        ++(import_changed || export_changed ? change_.corrected : change_.unchanged);
        return import_changed || export_changed;
    }

    Result<bool> merge_register(double& stored, double incoming, std::string_view column, std::string_view meter_id,
                                std::int32_t day) {
        if (std::isnan(incoming) || stored == incoming) return false;  // empty never overwrites
        const std::string row_key = fmt::format("{}|{}", meter_id, CivilDate::from_days(day).to_string());
        GA_TRY(corrections_.record("ami_daily", row_key, column, register_text(stored), register_text(incoming)));
        stored = incoming;
        return true;
    }

    Status write(SqliteStatement& statement, std::string_view meter_id, std::string_view month_text) {
        import_bytes_.clear();
        export_bytes_.clear();
        encode_value_column(slots_.imports(), import_bytes_);
        encode_value_column(slots_.exports(), export_bytes_);
        statement.bind_text(1, meter_id);
        statement.bind_text(2, month_text);
        statement.bind_int64(3, slots_.mask);
        statement.bind_int64(4, std::popcount(slots_.mask));
        statement.bind_blob(5, import_bytes_);
        statement.bind_blob(6, export_bytes_);
        return statement.run();
    }

    const DailySeriesRows& rows_;
    const DayCalendar& calendar_;
    DailyStatements& statements_;
    CorrectionLog& corrections_;
    bool table_was_empty_ = false;
    MonthSlots slots_;
    std::vector<std::uint8_t> import_bytes_;
    std::vector<std::uint8_t> export_bytes_;
    TableChange change_{"ami_daily"};
};

Status check_columns(const DailySeriesRows& rows) {
    const std::size_t size = rows.size();
    if (rows.meter.size() != size || rows.import_register.size() != size || rows.export_register.size() != size)
        return internal_error("ami_daily batch columns differ in length");
    if (size >= std::numeric_limits<std::uint32_t>::max())
        return internal_error("ami_daily batch too large for one import");
    for (const auto meter : rows.meter)
        if (meter >= rows.meter_ids.size()) return internal_error("ami_daily batch row names no meter id");
    return {};
}

// Months [first, last] as 'YYYY-MM', indexed by month - first.
std::vector<std::string> month_texts(Period first, Period last) {
    std::vector<std::string> texts;
    for (Period month = first; month <= last; month = month + 1) texts.push_back(month.to_string());
    return texts;
}

Result<bool> table_is_empty(SqliteConnection& connection, std::string_view table) {
    GA_ASSIGN_OR_RETURN(const auto any, connection.query_int64(fmt::format("SELECT EXISTS (SELECT 1 FROM {})", table)));
    return any == 0;
}

// Where a stored month lands in the matrix: the month's days [first_index, first_index + days)
// relative to the matrix's first day.
struct MonthPlacement {
    std::int32_t first_index = 0;
    std::size_t days = 0;
};

// Decodes one stored month of a meter into matrix row `row`, clipped to the matrix's days.
bool place_month(DailyMatrix& matrix, std::size_t row, MonthPlacement placement, std::span<const std::uint8_t> imports,
                 std::span<const std::uint8_t> exports, MonthSlots& scratch) {
    const auto row_start = row * static_cast<std::size_t>(matrix.day_count);
    const bool inside = placement.first_index >= 0 &&
                        placement.first_index + static_cast<std::int32_t>(placement.days) <= matrix.day_count;
    if (inside) {
        const std::size_t at = row_start + static_cast<std::size_t>(placement.first_index);
        return decode_value_column(imports, std::span(matrix.import_register).subspan(at, placement.days)) &&
               decode_value_column(exports, std::span(matrix.export_register).subspan(at, placement.days));
    }
    scratch.days = placement.days;
    if (!decode_value_column(imports, scratch.imports()) || !decode_value_column(exports, scratch.exports()))
        return false;
    for (std::size_t d = 0; d < placement.days; ++d) {
        const std::int32_t column = placement.first_index + static_cast<std::int32_t>(d);
        if (column < 0 || column >= matrix.day_count) continue;
        matrix.import_register[row_start + static_cast<std::size_t>(column)] = scratch.import_register[d];
        matrix.export_register[row_start + static_cast<std::size_t>(column)] = scratch.export_register[d];
    }
    return true;
}

// Placement of every month in [first_month, last_month] for a matrix starting at `first_day`.
std::vector<MonthPlacement> month_placements(Period first_month, Period last_month, CivilDate first_day) {
    std::vector<MonthPlacement> placements;
    for (Period month = first_month; month <= last_month; month = month + 1)
        placements.push_back(
            MonthPlacement{month.first_day() - first_day, static_cast<std::size_t>(month.day_count())});
    return placements;
}

Result<std::vector<std::string>> all_meter_ids(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT meter_id FROM meters ORDER BY meter_id"));
    std::vector<std::string> ids;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) break;
        ids.emplace_back(select.column_text(0));
    }
    return ids;
}

// Decodes the rows selected by `select` (columns meter_id, month, import, export) into the
// matrix; row_of(meter_id) gives the matrix row or -1.
template <class RowOf>
Status decode_selected(SqliteStatement& select, DailyMatrix& matrix, Period first_month,
                       const std::vector<MonthPlacement>& placements, RowOf row_of) {
    MonthSlots scratch;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return {};
        const auto meter_id = select.column_text(0);
        const auto month_text = select.column_text(1);
        const auto month = Period::parse(month_text);
        const std::ptrdiff_t row = row_of(meter_id);
        if (row < 0) continue;
        if (!month || *month < first_month || *month - first_month >= static_cast<std::int32_t>(placements.size()))
            return std::unexpected(damaged_row(meter_id, month_text));
        const auto placement = placements[static_cast<std::size_t>(*month - first_month)];
        if (!place_month(matrix, static_cast<std::size_t>(row), placement, select.column_blob(2), select.column_blob(3),
                         scratch))
            return std::unexpected(damaged_row(meter_id, month_text));
    }
}

// Every stored meter in one scan of the table in key order.
Status load_all_meters(SqliteConnection& connection, DailyMatrix& matrix, Period first_month, Period last_month,
                       const std::vector<MonthPlacement>& placements) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT meter_id, month, import_register, export_register "
                                                        "FROM ami_daily WHERE month BETWEEN ?1 AND ?2 "
                                                        "ORDER BY meter_id, month"));
    const std::string first_text = first_month.to_string();
    const std::string last_text = last_month.to_string();
    select.bind_text(1, first_text);
    select.bind_text(2, last_text);
    std::string last_meter;
    std::ptrdiff_t last_row = -1;
    return decode_selected(select, matrix, first_month, placements, [&](std::string_view meter_id) {
        if (meter_id != last_meter) {
            last_meter.assign(meter_id);
            const auto found = std::lower_bound(matrix.meter_ids.begin(), matrix.meter_ids.end(), last_meter);
            last_row = found != matrix.meter_ids.end() && *found == last_meter ? found - matrix.meter_ids.begin() : -1;
        }
        return last_row;
    });
}

// A read transaction around several statements, unless one is open already: without it every
// seek of a fresh statement takes and drops the file's shared lock (two fcntl calls per meter).
class ReadSnapshot {
public:
    explicit ReadSnapshot(SqliteConnection& connection)
        : connection_(sqlite3_get_autocommit(connection.handle()) != 0 ? &connection : nullptr) {
        if (connection_ != nullptr && sqlite3_exec(connection_->handle(), "BEGIN", nullptr, nullptr, nullptr) != 0)
            connection_ = nullptr;  // read without one
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;
    ~ReadSnapshot() {
        if (connection_ != nullptr) sqlite3_exec(connection_->handle(), "COMMIT", nullptr, nullptr, nullptr);
    }

private:
    SqliteConnection* connection_;
};

// The given meters, one index seek each.
Status load_listed_meters(SqliteConnection& connection, DailyMatrix& matrix, Period first_month, Period last_month,
                          const std::vector<MonthPlacement>& placements) {
    const ReadSnapshot snapshot(connection);
    GA_ASSIGN_OR_RETURN(auto select,
                        connection.prepare("SELECT meter_id, month, import_register, export_register "
                                           "FROM ami_daily WHERE meter_id = ?1 AND month BETWEEN ?2 AND ?3"));
    const std::string first_text = first_month.to_string();
    const std::string last_text = last_month.to_string();
    select.bind_text(2, first_text);
    select.bind_text(3, last_text);
    for (std::size_t row = 0; row < matrix.meter_ids.size(); ++row) {
        select.bind_text(1, matrix.meter_ids[row]);
        GA_TRY(decode_selected(select, matrix, first_month, placements,
                               [&](std::string_view) { return static_cast<std::ptrdiff_t>(row); }));
        select.reset();
    }
    return {};
}

}  // namespace

Result<TableChange> write_daily_series(SqliteConnection& connection, const DailySeriesRows& rows,
                                       CorrectionLog& corrections) {
    if (rows.size() == 0) return TableChange{"ami_daily"};
    GA_TRY(check_columns(rows));
    const auto [lowest, highest] = std::minmax_element(rows.day.begin(), rows.day.end());
    const DayCalendar calendar(*lowest, *highest);
    const Period first_month = Period::of(CivilDate::from_days(*lowest));
    const auto months = month_texts(first_month, Period::of(CivilDate::from_days(*highest)));

    const SeriesGrouping grouping =
        group_series_rows(rows.meter_ids, rows.meter, [&](std::uint32_t i) { return calendar.month(rows.day[i]); });
    GA_ASSIGN_OR_RETURN(const bool was_empty, table_is_empty(connection, "ami_daily"));
    GA_ASSIGN_OR_RETURN(auto statements, prepare_daily_statements(connection));
    DailyMerger merger(rows, calendar, statements, corrections, was_empty);
    for (const auto& group : grouping.groups) {
        const auto& month_text = months[static_cast<std::size_t>(group.bucket - first_month.index())];
        GA_TRY(merger.merge_group(grouping, group, month_text));
    }
    // The stored days by month (ami_daily_months): every row of the batch is a stored day now.
    std::vector<std::uint32_t> month_masks(months.size(), 0);
    for (const std::int32_t day : rows.day)
        month_masks[static_cast<std::size_t>(calendar.month(day) - first_month.index())] |= 1u
                                                                                          << calendar.day_index(day);
    GA_ASSIGN_OR_RETURN(auto add_days,
                        connection.prepare("INSERT INTO ami_daily_months (month, day_mask) VALUES (?1, ?2) "
                                           "ON CONFLICT (month) DO UPDATE SET day_mask = day_mask | excluded.day_mask"));
    for (std::size_t m = 0; m < months.size(); ++m) {
        if (month_masks[m] == 0) continue;
        add_days.bind_text(1, months[m]);
        add_days.bind_int64(2, month_masks[m]);
        GA_TRY(add_days.run());
    }
    return merger.change();
}

Result<DailyMatrix> load_daily_matrix(SqliteConnection& connection, const std::vector<std::string>& meter_ids,
                                      CivilDate first, CivilDate last) {
    if (last < first)
        return user_error(fmt::format("daily range {}..{} ends before it starts", first.to_string(), last.to_string()));
    DailyMatrix matrix;
    matrix.first_day = first;
    matrix.day_count = last - first + 1;
    const bool all_meters = meter_ids.empty();
    if (all_meters) {
        GA_ASSIGN_OR_RETURN(matrix.meter_ids, all_meter_ids(connection));
    } else {
        matrix.meter_ids = meter_ids;
    }
    const std::size_t cells = matrix.meter_ids.size() * static_cast<std::size_t>(matrix.day_count);
    matrix.import_register.assign(cells, missing);
    matrix.export_register.assign(cells, missing);

    const Period first_month = Period::of(first);
    const Period last_month = Period::of(last);
    const auto placements = month_placements(first_month, last_month, first);
    if (all_meters)
        GA_TRY(load_all_meters(connection, matrix, first_month, last_month, placements));
    else
        GA_TRY(load_listed_meters(connection, matrix, first_month, last_month, placements));
    return matrix;
}

Result<std::optional<std::pair<CivilDate, CivilDate>>> stored_daily_range(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto select, connection.prepare("SELECT month, day_mask FROM ami_daily_months"));
    std::map<std::int32_t, std::uint32_t> days_by_month;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) break;
        const auto month = Period::parse(select.column_text(0));
        if (!month)
            return external_error(fmt::format("ami_daily_months has a damaged month ({})", select.column_text(0)));
        days_by_month[month->index()] |= static_cast<std::uint32_t>(select.column_int64(1));
    }
    return stored_day_span(days_by_month);
}

Result<std::int64_t> stored_daily_count(SqliteConnection& connection) {
    return connection.query_int64("SELECT coalesce(sum(day_count), 0) FROM ami_daily");
}

}  // namespace gridaudit
