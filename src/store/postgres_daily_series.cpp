// Merge of daily series batches into packed month rows on PostgreSQL, and decoding them into a
// DailyMatrix.
#include "store/postgres_daily_series.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "store/series_codec.hpp"
#include "store/series_grouping.hpp"

namespace gridaudit {
namespace {

constexpr std::size_t max_days_in_month = 31;
constexpr double missing = std::numeric_limits<double>::quiet_NaN();

struct MonthSlots {
    std::uint32_t mask = 0;  // bit d: day d + 1 is stored
    std::size_t days = 0;
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

Error damaged_row(std::string_view meter_id, std::string_view month) {
    return Error(ErrorClass::external, fmt::format("ami_daily row {}|{} is damaged", meter_id, month));
}

std::optional<std::string> register_text(double value) {
    if (std::isnan(value)) return std::nullopt;
    return fmt::format("{}", value);
}

// Decodes a stored month's two value columns into `slots` (sized to the month).
bool decode_month(const PostgresResult& result, int row, int imports_column, MonthSlots& slots) {
    const auto imports = result.bytes(row, imports_column);
    const auto exports = result.bytes(row, imports_column + 1);
    return imports && exports && value_column_size(*imports) == slots.days &&
           value_column_size(*exports) == slots.days && decode_value_column(*imports, slots.imports()) &&
           decode_value_column(*exports, slots.exports());
}

Status create_month_partitions(PostgresConnection& connection, Period first, Period last) {
    std::string sql;
    for (Period month = first; month <= last; month = month + 1)
        sql += fmt::format(
            "CREATE TABLE IF NOT EXISTS ami_daily_{:04}_{:02} PARTITION OF ami_daily FOR VALUES FROM "
            "('{}') TO ('{}');",
            month.year(), month.month(), month.to_string(), (month + 1).to_string());
    return connection.execute(sql);
}

class PostgresDailyMerger {
public:
    PostgresDailyMerger(PostgresConnection& connection, const DailySeriesRows& rows, PostgresCorrections& corrections)
        : connection_(connection), rows_(rows), corrections_(corrections) {}

    Result<TableChange> merge() {
        const auto [lowest, highest] = std::minmax_element(rows_.day.begin(), rows_.day.end());
        first_day_ = *lowest;
        for (std::int32_t day = *lowest; day <= *highest; ++day)
            month_of_day_.push_back(Period::of(CivilDate::from_days(day)).index());
        const SeriesGrouping grouping =
            group_series_rows(rows_.meter_ids, rows_.meter, [&](std::uint32_t i) { return month_of(rows_.day[i]); });
        const Period first_month = Period::from_index(month_of(*lowest));
        const Period last_month = Period::from_index(month_of(*highest));
        GA_TRY(create_month_partitions(connection_, first_month, last_month));
        GA_ASSIGN_OR_RETURN(const auto any,
                            connection_.query_int64("SELECT count(*) FROM (SELECT 1 FROM ami_daily LIMIT 1) AS t"));
        if (any != 0) GA_TRY(read_stored(grouping));
        CopyRows inserts, updates;
        std::vector<std::uint8_t> import_bytes, export_bytes;
        for (const auto& group : grouping.groups) {
            const std::string& meter_id = rows_.meter_ids[group.meter];
            const Period month = Period::from_index(group.bucket);
            const std::string month_text = month.to_string();
            MonthSlots slots;
            slots.clear(static_cast<std::size_t>(month.day_count()));
            bool stored = false;
            if (const auto found = stored_rows_.find(group_key(meter_id, month_text)); found != stored_rows_.end()) {
                stored = true;
                if (!decode_month(stored_, found->second, 3, slots))
                    return std::unexpected(damaged_row(meter_id, month_text));
                slots.mask = static_cast<std::uint32_t>(stored_.int64(found->second, 2));
            }
            bool changed = false;
            for (std::uint32_t position = group.begin; position < group.end; ++position)
                changed = merge_day(slots, grouping.row(position), meter_id, month) || changed;
            if (!changed) continue;
            import_bytes.clear();
            export_bytes.clear();
            encode_value_column(slots.imports(), import_bytes);
            encode_value_column(slots.exports(), export_bytes);
            CopyRows& target = stored ? updates : inserts;
            target.add_text(meter_id);
            target.add_text(month_text);
            target.add_int64(slots.mask);
            target.add_int64(std::popcount(slots.mask));
            target.add_bytes(import_bytes);
            target.add_bytes(export_bytes);
            target.end_row();
        }
        constexpr std::string_view columns = "(meter_id, month, day_mask, day_count, import_register, export_register)";
        if (!inserts.empty()) GA_TRY(connection_.copy_in(fmt::format("ami_daily {}", columns), inserts));
        if (!updates.empty()) {
            GA_TRY(
                connection_.execute("DROP TABLE IF EXISTS ga_daily_updates; CREATE TEMP TABLE ga_daily_updates "
                                    "ON COMMIT DROP AS SELECT meter_id, month, day_mask, day_count, "
                                    "import_register, export_register FROM ami_daily WITH NO DATA"));
            GA_TRY(connection_.copy_in(fmt::format("ga_daily_updates {}", columns), updates));
            GA_TRY(
                connection_.execute("UPDATE ami_daily AS d SET day_mask = u.day_mask, day_count = u.day_count, "
                                    "import_register = u.import_register, export_register = u.export_register "
                                    "FROM ga_daily_updates AS u WHERE d.meter_id = u.meter_id AND "
                                    "d.month = u.month"));
        }
        return change_;
    }

private:
    [[nodiscard]] std::int32_t month_of(std::int32_t day) const {
        return month_of_day_[static_cast<std::size_t>(day - first_day_)];
    }

    static std::string group_key(std::string_view meter_id, std::string_view month) {
        return fmt::format("{}|{}", meter_id, month);
    }

    Status read_stored(const SeriesGrouping& grouping) {
        GA_TRY(
            connection_.execute("DROP TABLE IF EXISTS ga_daily_keys; CREATE TEMP TABLE ga_daily_keys "
                                "(meter_id TEXT, month TEXT COLLATE \"C\") ON COMMIT DROP"));
        CopyRows keys;
        for (const auto& group : grouping.groups) {
            keys.add_text(rows_.meter_ids[group.meter]);
            keys.add_text(Period::from_index(group.bucket).to_string());
            keys.end_row();
        }
        GA_TRY(connection_.copy_in("ga_daily_keys (meter_id, month)", keys));
        GA_ASSIGN_OR_RETURN(stored_, connection_.query("SELECT d.meter_id, d.month, d.day_mask, d.import_register, "
                                                       "d.export_register FROM ami_daily AS d JOIN ga_daily_keys AS k "
                                                       "ON d.meter_id = k.meter_id AND d.month = k.month"));
        for (int r = 0; r < stored_.rows(); ++r)
            stored_rows_.emplace(group_key(stored_.text(r, 0), stored_.text(r, 1)), r);
        return {};
    }

    // Returns whether the slots changed.
    bool merge_day(MonthSlots& slots, std::uint32_t row, std::string_view meter_id, Period month) {
        const std::int32_t day = rows_.day[row];
        const auto index = static_cast<std::size_t>(day - month.first_day().days_since_epoch());
        const std::uint32_t bit = 1u << index;
        if ((slots.mask & bit) == 0) {
            slots.mask |= bit;
            slots.import_register[index] = rows_.import_register[row];
            slots.export_register[index] = rows_.export_register[row];
            ++change_.inserted;
            return true;
        }
        const bool import_changed =
            merge_register(slots.import_register[index], rows_.import_register[row], "import_register", meter_id, day);
        const bool export_changed =
            merge_register(slots.export_register[index], rows_.export_register[row], "export_register", meter_id, day);
        ++(import_changed || export_changed ? change_.corrected : change_.unchanged);
        return import_changed || export_changed;
    }

    bool merge_register(double& stored, double incoming, std::string_view column, std::string_view meter_id,
                        std::int32_t day) {
        if (std::isnan(incoming) || stored == incoming) return false;  // empty never overwrites
        const std::string row_key = fmt::format("{}|{}", meter_id, CivilDate::from_days(day).to_string());
        corrections_.record("ami_daily", row_key, column, register_text(stored), register_text(incoming));
        stored = incoming;
        return true;
    }

    PostgresConnection& connection_;
    const DailySeriesRows& rows_;
    PostgresCorrections& corrections_;
    std::int32_t first_day_ = 0;
    std::vector<std::int32_t> month_of_day_;
    PostgresResult stored_;
    std::unordered_map<std::string, int> stored_rows_;  // "meter|month" -> row of stored_
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

}  // namespace

std::string postgres_text_array(const std::vector<std::string>& values) {
    std::string literal = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) literal += ',';
        literal += '"';
        for (const char c : values[i]) {
            if (c == '"' || c == '\\') literal += '\\';
            literal += c;
        }
        literal += '"';
    }
    return literal + "}";
}

Result<TableChange> write_postgres_daily(PostgresConnection& connection, const DailySeriesRows& rows,
                                         PostgresCorrections& corrections) {
    if (rows.size() == 0) return TableChange{"ami_daily"};
    GA_TRY(check_columns(rows));
    PostgresDailyMerger merger(connection, rows, corrections);
    return merger.merge();
}

Result<DailyMatrix> load_postgres_daily(PostgresConnection& connection, const std::vector<std::string>& meter_ids,
                                        CivilDate first, CivilDate last) {
    if (last < first)
        return user_error(fmt::format("daily range {}..{} ends before it starts", first.to_string(), last.to_string()));
    DailyMatrix matrix;
    matrix.first_day = first;
    matrix.day_count = last - first + 1;
    const bool all_meters = meter_ids.empty();
    if (all_meters) {
        GA_ASSIGN_OR_RETURN(auto ids, connection.query("SELECT meter_id FROM meters ORDER BY meter_id COLLATE \"C\""));
        for (int r = 0; r < ids.rows(); ++r) matrix.meter_ids.emplace_back(ids.text(r, 0));
    } else {
        matrix.meter_ids = meter_ids;
    }
    const auto days = static_cast<std::size_t>(matrix.day_count);
    matrix.import_register.assign(matrix.meter_ids.size() * days, missing);
    matrix.export_register.assign(matrix.meter_ids.size() * days, missing);
    std::unordered_map<std::string_view, std::vector<std::size_t>> rows_of;
    for (std::size_t m = 0; m < matrix.meter_ids.size(); ++m) rows_of[matrix.meter_ids[m]].push_back(m);

    const std::vector<std::optional<std::string>> parameters{
        Period::of(first).to_string(), Period::of(last).to_string(),
        all_meters ? std::nullopt : std::optional<std::string>(postgres_text_array(meter_ids))};
    GA_ASSIGN_OR_RETURN(auto stored,
                        connection.query("SELECT meter_id, month, import_register, export_register FROM ami_daily "
                                         "WHERE month BETWEEN $1 AND $2 AND ($3::text[] IS NULL OR "
                                         "meter_id = ANY($3::text[]))",
                                         parameters));
    MonthSlots slots;
    for (int r = 0; r < stored.rows(); ++r) {
        const auto found = rows_of.find(stored.text(r, 0));
        if (found == rows_of.end()) continue;
        const auto month = Period::parse(stored.text(r, 1));
        if (!month) return std::unexpected(damaged_row(stored.text(r, 0), stored.text(r, 1)));
        slots.clear(static_cast<std::size_t>(month->day_count()));
        if (!decode_month(stored, r, 2, slots))
            return std::unexpected(damaged_row(stored.text(r, 0), stored.text(r, 1)));
        const std::int32_t offset = month->first_day() - first;
        for (std::size_t d = 0; d < slots.days; ++d) {
            const std::int32_t column = offset + static_cast<std::int32_t>(d);
            if (column < 0 || column >= matrix.day_count) continue;
            for (const std::size_t row : found->second) {
                matrix.import_register[row * days + static_cast<std::size_t>(column)] = slots.import_register[d];
                matrix.export_register[row * days + static_cast<std::size_t>(column)] = slots.export_register[d];
            }
        }
    }
    return matrix;
}

Result<std::optional<std::pair<CivilDate, CivilDate>>> postgres_daily_range(PostgresConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto months, connection.query("SELECT month, bit_or(day_mask) FROM ami_daily GROUP BY month"));
    std::map<std::int32_t, std::uint32_t> days_by_month;
    for (int r = 0; r < months.rows(); ++r) {
        const auto month = Period::parse(months.text(r, 0));
        if (!month) return external_error(fmt::format("ami_daily has a damaged month ({})", months.text(r, 0)));
        days_by_month[month->index()] |= static_cast<std::uint32_t>(months.int64(r, 1));
    }
    return stored_day_span(days_by_month);
}

Result<std::int64_t> postgres_daily_count(PostgresConnection& connection) {
    return connection.query_int64("SELECT coalesce(sum(day_count), 0)::bigint FROM ami_daily");
}

}  // namespace gridaudit
