// SqliteStore: connection setup, the batch transaction, and reads of master data and counts.
#include "store/sqlite_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "store/batch_log.hpp"
#include "store/correction_log.hpp"
#include "store/daily_series_table.hpp"
#include "store/finding_table.hpp"
#include "store/interval_series_table.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_master_columns.hpp"
#include "store/sql_field.hpp"
#include "store/table_writer.hpp"
#include "store/estimate_table.hpp"
#include "store/tariff_table.hpp"

namespace gridaudit {
namespace {

// Connection settings; why each is chosen is in docs/storage.md. The busy timeout is set when the
// connection opens, before these run (SqliteConnection::open).
constexpr std::string_view connection_pragmas =
    "PRAGMA synchronous = FULL;"
    "PRAGMA foreign_keys = ON;"
    "PRAGMA cache_size = -65536;"
    "PRAGMA temp_store = MEMORY;"
    "PRAGMA journal_size_limit = 67108864;";

// Switching a new file to WAL needs an exclusive lock. When two processes open a new store at
// once, SQLite may answer SQLITE_BUSY without calling the busy handler (waiting while holding a
// shared lock could deadlock), so the switch is retried until the busy timeout has passed.
Status use_write_ahead_log(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto pragma, connection.prepare("PRAGMA journal_mode = WAL"));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(sqlite_busy_timeout_ms);
    for (;;) {
        auto stepped = pragma.step();
        if (!stepped && pragma.failed_busy() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
        }
        GA_ASSIGN_OR_RETURN(const bool has_row, std::move(stepped));
        if (!has_row || pragma.column_text(0) != "wal")
            return external_error("the store's file system does not support SQLite's write-ahead log");
        return {};
    }
}

std::string now_utc() {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    return Instant::from_unix_seconds(now.time_since_epoch().count()).to_string(0);
}

// Names the broken references of a batch whose COMMIT failed on a deferred foreign key.
Result<std::string> describe_foreign_key_violations(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto check, connection.prepare("PRAGMA foreign_key_check"));
    std::map<std::pair<std::string, std::string>, std::size_t> violations;  // (table, parent) -> rows
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, check.step());
        if (!has_row) break;
        ++violations[{std::string(check.column_text(0)), std::string(check.column_text(2))}];
    }
    std::vector<std::string> parts;
    for (const auto& [tables, rows] : violations)
        parts.push_back(fmt::format("{} row(s) of {} reference a missing {} row", rows, tables.first, tables.second));
    return fmt::format("{}", fmt::join(parts, "; "));
}

const TableSpec* contract_table(const TableSpec& table) {
    const TableSpec* found = find_table(table.table);
    return found != nullptr && found->storage == table.storage ? found : nullptr;
}

Result<std::int64_t> count_rows(SqliteConnection& connection, const TableSpec& table) {
    switch (table.storage) {
        case StorageKind::daily_series:
            return stored_daily_count(connection);
        case StorageKind::interval_series:
            return stored_interval_count(connection);
        case StorageKind::rows:
        case StorageKind::json_documents:
            break;
    }
    return connection.query_int64(fmt::format("SELECT count(*) FROM {}", quoted_identifier(table.table)));
}

std::string key_order(const TableSpec& table) {
    std::vector<std::string> names;
    for (const auto& key : table.key) names.push_back(quoted_identifier(key));
    return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, SqliteOpening opening) {
    if (path.empty()) return user_error("no store path given");
    GA_ASSIGN_OR_RETURN(auto connection, SqliteConnection::open(path, opening));
    auto opened = [&]() -> Status {
        GA_TRY(connection.execute(connection_pragmas));
        GA_TRY(use_write_ahead_log(connection));
        GA_TRY(migrate(connection));
        return {};
    }();
    if (!opened) return std::unexpected(opened.error().with_context(fmt::format("store {}", path)));
    return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(connection)));
}

Result<int> SqliteStore::schema_version() {
    GA_ASSIGN_OR_RETURN(const auto version, connection_.query_int64("PRAGMA user_version"));
    return static_cast<int>(version);
}

Result<std::vector<std::string>> SqliteStore::keys(const TableSpec& table) {
    const TableSpec* known = contract_table(table);
    // Rows tables need a one-column key; documents are referenced by their first key column (the
    // tariff id, whatever the version).
    const bool documents = known != nullptr && known->storage == StorageKind::json_documents;
    if (known == nullptr || (known->key.size() != 1 && !documents) ||
        (known->storage != StorageKind::rows && !documents))
        return internal_error(fmt::format("keys() needs a table with a one-column key, not {}", table.table));
    GA_ASSIGN_OR_RETURN(auto select, connection_.prepare(fmt::format("SELECT DISTINCT {0} FROM {1} ORDER BY {0}",
                                                                     quoted_identifier(known->key.front()),
                                                                     quoted_identifier(known->table))));
    std::vector<std::string> keys;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return keys;
        keys.emplace_back(select.column_text(0));
    }
}

Result<ImportOutcome> SqliteStore::apply_batch(const ValidatedBatch& batch, const ImportOptions& options) {
    auto outcome = write_batch(batch, options);
    if (!outcome) return std::unexpected(outcome.error().with_context(fmt::format("import of {}", batch.source)));
    return outcome;
}

Result<ImportOutcome> SqliteStore::write_batch(const ValidatedBatch& batch, const ImportOptions& options) {
    if (batch.content_hash.empty()) return internal_error("a batch needs a content hash");
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(connection_));
    GA_ASSIGN_OR_RETURN(const auto earlier, find_batch_by_hash(connection_, batch.content_hash));
    if (earlier) return ImportOutcome{*earlier, true, {}};  // the transaction rolls back: nothing written

    ImportOutcome outcome;
    GA_ASSIGN_OR_RETURN(outcome.batch_id, insert_batch_record(connection_, batch, options, now_utc()));
    GA_ASSIGN_OR_RETURN(auto corrections, CorrectionLog::prepare(connection_, outcome.batch_id));
    for (const auto& table : batch.tables) {
        GA_ASSIGN_OR_RETURN(auto change, write_table_rows(connection_, table, corrections));
        outcome.changes.push_back(std::move(change));
    }
    if (batch.daily.size() > 0) {
        GA_ASSIGN_OR_RETURN(auto change, write_daily_series(connection_, batch.daily, corrections));
        outcome.changes.push_back(std::move(change));
        GA_TRY(drop_estimates_replaced_by(connection_, batch.daily));
    }
    if (batch.interval.size() > 0) {
        GA_ASSIGN_OR_RETURN(auto change, write_interval_series(connection_, batch.interval, corrections));
        outcome.changes.push_back(std::move(change));
        GA_TRY(drop_interval_estimates_replaced_by(connection_, batch.interval));
    }
    if (!batch.tariffs.empty()) {
        GA_ASSIGN_OR_RETURN(auto change, write_tariffs(connection_, batch.tariffs, outcome.batch_id, corrections));
        outcome.changes.push_back(std::move(change));
    }
    GA_TRY(commit_batch(transaction));
    return outcome;
}

Status SqliteStore::commit_batch(SqliteTransaction& transaction) {
    auto committed = transaction.commit();
    if (committed || committed.error().kind() != ErrorClass::user) return committed;
    // A deferred foreign key failed: the transaction is still open, so name what is missing.
    auto described = describe_foreign_key_violations(connection_);
    if (!described || described->empty()) return committed;
    return user_error(fmt::format("the batch references rows that do not exist: {}", *described));
}

Result<std::vector<BatchRecord>> SqliteStore::batches() {
    return read_batches(connection_);
}

Result<std::vector<Correction>> SqliteStore::corrections(std::string_view table) {
    return read_corrections(connection_, table);
}

Result<std::vector<Row>> SqliteStore::read_rows(const TableSpec& table) {
    const TableSpec* known = contract_table(table);
    if (known == nullptr || known->storage != StorageKind::rows)
        return internal_error(fmt::format("read_rows() needs a rows-kind table of the contract, not {}", table.table));
    GA_ASSIGN_OR_RETURN(
        auto select, connection_.prepare(fmt::format("{} ORDER BY {}", select_columns_sql(*known), key_order(*known))));
    std::vector<Row> rows;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return rows;
        Row row;
        row.values.reserve(known->columns.size());
        for (std::size_t i = 0; i < known->columns.size(); ++i) {
            GA_ASSIGN_OR_RETURN(auto value, read_field(select, static_cast<int>(i), known->columns[i]));
            row.values.push_back(std::move(value));
        }
        rows.push_back(std::move(row));
    }
}

Result<MasterColumns> SqliteStore::read_master_columns(bool details) {
    return read_sqlite_master_columns(connection_, details);
}

Result<std::vector<Row>> SqliteStore::read_rows(const TableSpec& table, const RowSelection& selection) {
    const TableSpec* known = contract_table(table);
    if (known == nullptr || known->storage != StorageKind::rows)
        return internal_error(fmt::format("read_rows() needs a rows-kind table of the contract, not {}", table.table));
    std::vector<std::size_t> selected;  // positions in the table of the columns read, in SELECT order
    std::vector<std::string> names;
    for (std::size_t c = 0; c < known->columns.size(); ++c) {
        const auto& name = known->columns[c].name;
        if (!selection.columns.empty() &&
            std::find(selection.columns.begin(), selection.columns.end(), name) == selection.columns.end())
            continue;
        selected.push_back(c);
        names.push_back(quoted_identifier(name));
    }
    if (selected.size() < selection.columns.size())
        return internal_error(fmt::format("read_rows(): {} lacks a selected column", known->table));
    std::string where;
    if (!selection.period_column.empty()) {
        if (known->column_index(selection.period_column) < 0)
            return internal_error(fmt::format("read_rows(): {} has no column {}", known->table, selection.period_column));
        std::vector<std::string> periods;
        for (const Period& period : selection.periods) periods.push_back(fmt::format("'{}'", period.to_string()));
        where = fmt::format(" WHERE {} IN ({})", quoted_identifier(selection.period_column), fmt::join(periods, ", "));
    }
    GA_ASSIGN_OR_RETURN(auto select, connection_.prepare(fmt::format("SELECT {} FROM {}{} ORDER BY {}",
                                                                     fmt::join(names, ", "),
                                                                     quoted_identifier(known->table), where,
                                                                     key_order(*known))));
    std::vector<Row> rows;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return rows;
        Row row;
        row.values.resize(known->columns.size());
        for (std::size_t i = 0; i < selected.size(); ++i) {
            GA_ASSIGN_OR_RETURN(row.values[selected[i]],
                                read_field(select, static_cast<int>(i), known->columns[selected[i]]));
        }
        rows.push_back(std::move(row));
    }
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SqliteStore::table_counts() {
    std::vector<std::pair<std::string, std::int64_t>> counts;
    for (const auto& table : import_contract()) {
        GA_ASSIGN_OR_RETURN(const auto count, count_rows(connection_, table));
        counts.emplace_back(std::string(table.table), count);
    }
    return counts;
}

Result<std::optional<std::pair<CivilDate, CivilDate>>> SqliteStore::daily_range() {
    return stored_daily_range(connection_);
}

Result<DailyMatrix> SqliteStore::load_daily(const std::vector<std::string>& meter_ids, CivilDate first,
                                            CivilDate last) {
    return load_daily_matrix(connection_, meter_ids, first, last);
}

Result<IntervalMatrix> SqliteStore::load_intervals(const std::vector<std::string>& meter_ids, CivilDate first,
                                                   CivilDate last, int utc_offset_minutes) {
    return load_interval_matrix(connection_, meter_ids, first, last, utc_offset_minutes);
}

Result<std::size_t> SqliteStore::replace_daily_estimates(CivilDate first, CivilDate last,
                                                          const std::vector<DailyEstimate>& estimates) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(connection_));
    GA_ASSIGN_OR_RETURN(const auto stored, replace_estimates(connection_, first, last, estimates));
    GA_TRY(transaction.commit());
    return stored;
}

Result<std::vector<DailyEstimate>> SqliteStore::daily_estimates() {
    return read_estimates(connection_);
}

Result<std::size_t> SqliteStore::replace_interval_estimates(std::int64_t first, std::int64_t end,
                                                            const std::vector<IntervalEstimate>& estimates) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(connection_));
    GA_ASSIGN_OR_RETURN(const auto stored, replace_interval_estimate_rows(connection_, first, end, estimates));
    GA_TRY(transaction.commit());
    return stored;
}

Result<std::vector<IntervalEstimate>> SqliteStore::interval_estimates() {
    return read_interval_estimates(connection_);
}

Result<std::vector<TariffDocument>> SqliteStore::tariffs() {
    return read_tariffs(connection_);
}

Result<std::int64_t> SqliteStore::record_audit(const std::vector<std::string>& rule_ids, std::string_view period,
                                               const std::vector<Finding>& findings,
                                               const std::vector<std::string>& warnings) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(connection_));
    GA_ASSIGN_OR_RETURN(const auto run_id,
                        write_audit_run(connection_, rule_ids, period, findings, warnings, now_utc()));
    GA_TRY(transaction.commit());
    return run_id;
}

Result<std::int64_t> SqliteStore::record_region_audit(const std::vector<std::string>& rule_ids, std::string_view period,
                                                      const std::vector<Finding>& findings,
                                                      const std::vector<std::string>& finding_regions,
                                                      const std::optional<std::vector<std::string>>& scope,
                                                      const std::vector<std::string>& warnings) {
    GA_ASSIGN_OR_RETURN(auto transaction, SqliteTransaction::begin_immediate(connection_));
    GA_ASSIGN_OR_RETURN(const auto run_id, write_region_audit_run(connection_, rule_ids, period, findings,
                                                                  &finding_regions, scope, warnings, now_utc()));
    GA_TRY(transaction.commit());
    return run_id;
}

Result<std::vector<AuditRunRecord>> SqliteStore::audit_runs() {
    return read_audit_runs(connection_);
}

Result<std::vector<StoredFinding>> SqliteStore::findings(bool active_only) {
    return read_findings(connection_, active_only);
}

Result<ChangeCounters> SqliteStore::change_counters() {
    GA_ASSIGN_OR_RETURN(auto select, connection_.prepare("SELECT (SELECT count(*) FROM import_batches), "
                                                         "(SELECT coalesce(max(batch_id), 0) FROM import_batches), "
                                                         "(SELECT count(*) FROM audit_runs), "
                                                         "(SELECT coalesce(max(run_id), 0) FROM audit_runs), "
                                                         "(SELECT coalesce(max(entry_id), 0) FROM audit_log)"));
    GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
    if (!has_row) return internal_error("the change counters' query returned no row");
    return ChangeCounters{select.column_int64(0), select.column_int64(1), select.column_int64(2),
                          select.column_int64(3), select.column_int64(4)};
}

Result<IntervalSeriesRows> SqliteStore::read_interval(const std::vector<std::string>& meter_ids, Instant from,
                                                      Instant to) {
    return read_interval_series(connection_, meter_ids, from, to);
}

}  // namespace gridaudit
