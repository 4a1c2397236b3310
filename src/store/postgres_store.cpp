// PostgresStore: connection and migrations, the batch transaction, and reads of master data,
// counts, tariffs, estimates, audit runs and findings.
#include "store/postgres_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "store/postgres_daily_series.hpp"
#include "store/postgres_field.hpp"
#include "store/postgres_interval_series.hpp"
#include "store/postgres_migrations.hpp"
#include "store/postgres_table_writer.hpp"

namespace gridaudit {
namespace {

using Parameters = std::vector<std::optional<std::string>>;

std::string now_utc() {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    return Instant::from_unix_seconds(now.time_since_epoch().count()).to_string(0);
}

std::string text_of(std::int64_t number) {
    return fmt::format("{}", number);
}

const TableSpec* contract_table(const TableSpec& table) {
    const TableSpec* found = find_table(table.table);
    return found != nullptr && found->storage == table.storage ? found : nullptr;
}

// Text columns sort by bytes (COLLATE "C"), as SQLite's BINARY collation does, whatever the
// database's locale.
std::string order_term(const ColumnSpec& column) {
    const bool text = column.type != ColumnType::integer && column.type != ColumnType::decimal &&
                      column.type != ColumnType::money && column.type != ColumnType::instant;
    return text ? fmt::format("{} COLLATE \"C\"", postgres_identifier(column.name)) : postgres_identifier(column.name);
}

std::string key_order(const TableSpec& table) {
    std::vector<std::string> terms;
    for (const auto& key : table.key) terms.push_back(order_term(*table.column(key)));
    return fmt::format("{}", fmt::join(terms, ", "));
}

std::size_t accepted_rows(const ValidatedBatch& batch) {
    std::size_t rows = batch.daily.size() + batch.interval.size() + batch.tariffs.size();
    for (const auto& table : batch.tables) rows += table.rows.size();
    return rows;
}

Result<TableChange> write_tariffs(PostgresConnection& connection, const std::vector<TariffDocument>& tariffs,
                                  std::int64_t batch_id, PostgresCorrections& corrections) {
    TableChange change{"tariffs"};
    for (const auto& tariff : tariffs) {
        GA_ASSIGN_OR_RETURN(auto stored,
                            connection.query("SELECT file, json FROM tariffs WHERE id = $1 AND effective_from = $2",
                                             Parameters{tariff.id, tariff.effective_from}));
        const std::string row_key = tariff.effective_from.empty() ? tariff.id : tariff.id + "|" + tariff.effective_from;
        const bool found = stored.rows() > 0;
        if (found && stored.text(0, 0) == tariff.file && stored.text(0, 1) == tariff.json) {
            ++change.unchanged;
            continue;
        }
        if (found) {
            if (stored.text(0, 0) != tariff.file)
                corrections.record("tariffs", row_key, "file", std::string(stored.text(0, 0)), tariff.file);
            if (stored.text(0, 1) != tariff.json)
                corrections.record("tariffs", row_key, "json", std::string(stored.text(0, 1)), tariff.json);
        }
        ++(found ? change.corrected : change.inserted);
        GA_TRY(connection.query(
            "INSERT INTO tariffs (id, effective_from, file, json, batch_id) VALUES ($1, $2, $3, "
            "$4, $5) ON CONFLICT (id, effective_from) DO UPDATE SET file = excluded.file, "
            "json = excluded.json, batch_id = excluded.batch_id",
            Parameters{tariff.id, tariff.effective_from, tariff.file, tariff.json, text_of(batch_id)}));
    }
    return change;
}

// Deletes the daily estimates of the meter-days a batch brings an import register for.
Status drop_daily_estimates(PostgresConnection& connection, const DailySeriesRows& daily) {
    GA_ASSIGN_OR_RETURN(const auto any,
                        connection.query_int64("SELECT count(*) FROM (SELECT 1 FROM daily_estimates LIMIT 1) AS t"));
    if (any == 0) return {};
    GA_TRY(
        connection.execute("DROP TABLE IF EXISTS ga_actual_days; CREATE TEMP TABLE ga_actual_days "
                           "(meter_id TEXT, day TEXT) ON COMMIT DROP"));
    CopyRows days;
    for (std::size_t i = 0; i < daily.size(); ++i) {
        if (std::isnan(daily.import_register[i])) continue;
        days.add_text(daily.meter_ids[daily.meter[i]]);
        days.add_text(CivilDate::from_days(daily.day[i]).to_string());
        days.end_row();
    }
    if (days.empty()) return {};
    GA_TRY(connection.copy_in("ga_actual_days (meter_id, day)", days));
    return connection.execute(
        "DELETE FROM daily_estimates AS e USING ga_actual_days AS a "
        "WHERE e.meter_id = a.meter_id AND e.day = a.day");
}

Status drop_interval_estimates(PostgresConnection& connection, const IntervalSeriesRows& intervals) {
    GA_ASSIGN_OR_RETURN(const auto any,
                        connection.query_int64("SELECT count(*) FROM (SELECT 1 FROM interval_estimates LIMIT 1) AS t"));
    if (any == 0) return {};
    GA_TRY(
        connection.execute("DROP TABLE IF EXISTS ga_actual_intervals; CREATE TEMP TABLE ga_actual_intervals "
                           "(meter_id TEXT, start BIGINT) ON COMMIT DROP"));
    CopyRows starts;
    for (std::size_t i = 0; i < intervals.size(); ++i) {
        if (std::isnan(intervals.kwh[i])) continue;
        starts.add_text(intervals.meter_ids[intervals.meter[i]]);
        starts.add_int64(intervals.start[i]);
        starts.end_row();
    }
    if (starts.empty()) return {};
    GA_TRY(connection.copy_in("ga_actual_intervals (meter_id, start)", starts));
    return connection.execute(
        "DELETE FROM interval_estimates AS e USING ga_actual_intervals AS a "
        "WHERE e.meter_id = a.meter_id AND e.start = a.start");
}

Result<std::string> rule_ids_json(const std::vector<std::string>& rule_ids) {
    try {
        return nlohmann::json(rule_ids).dump();
    } catch (const nlohmann::json::exception& error) {
        return user_error(fmt::format("rule ids are not valid UTF-8: {}", error.what()));
    }
}

std::vector<std::string> strings_of_json(std::string_view text) {
    std::vector<std::string> strings;
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_array()) return strings;
    for (const auto& item : json)
        if (item.is_string()) strings.push_back(item.get<std::string>());
    return strings;
}

Result<bool> store_exists(PostgresConnection& connection) {
    GA_ASSIGN_OR_RETURN(const auto found, connection.query_int64("SELECT count(*) FROM pg_catalog.pg_tables WHERE "
                                                                 "schemaname = current_schema() AND "
                                                                 "tablename = 'gridaudit_store'"));
    return found > 0;
}

// The URI without its password, for messages.
std::string shown_uri(std::string_view uri) {
    const auto scheme = uri.find("://");
    const auto at = uri.find('@');
    if (scheme == std::string_view::npos || at == std::string_view::npos) return std::string(uri);
    const auto colon = uri.substr(0, at).find(':', scheme + 3);
    if (colon == std::string_view::npos) return std::string(uri);
    return fmt::format("{}:***{}", uri.substr(0, colon), uri.substr(at));
}

}  // namespace

Result<std::unique_ptr<PostgresStore>> PostgresStore::open(const std::string& uri, StoreOpening opening) {
    auto opened = [&]() -> Result<std::unique_ptr<PostgresStore>> {
        GA_ASSIGN_OR_RETURN(auto connection, PostgresConnection::open(uri));
        if (opening == StoreOpening::existing_only) {
            GA_ASSIGN_OR_RETURN(const bool exists, store_exists(connection));
            if (!exists)
                return user_error(
                    "there is no GridAudit store in this database (import into it first, or check "
                    "the database name and the schema of search_path)");
        }
        GA_TRY(migrate_postgres(connection));
        return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(connection)));
    }();
    if (!opened) return std::unexpected(opened.error().with_context(fmt::format("store {}", shown_uri(uri))));
    return opened;
}

Result<PostgresTransaction> PostgresStore::begin_write() {
    GA_ASSIGN_OR_RETURN(auto transaction, PostgresTransaction::begin(connection_));
    GA_TRY(connection_.execute(fmt::format("SELECT pg_advisory_xact_lock({})", postgres_write_lock)));
    return transaction;
}

Result<int> PostgresStore::schema_version() {
    GA_ASSIGN_OR_RETURN(const auto version, connection_.query_int64("SELECT version FROM gridaudit_store"));
    return static_cast<int>(version);
}

Result<std::vector<std::string>> PostgresStore::keys(const TableSpec& table) {
    const TableSpec* known = contract_table(table);
    const bool documents = known != nullptr && known->storage == StorageKind::json_documents;
    if (known == nullptr || (known->key.size() != 1 && !documents) ||
        (known->storage != StorageKind::rows && !documents))
        return internal_error(fmt::format("keys() needs a table with a one-column key, not {}", table.table));
    const auto column = postgres_identifier(known->key.front());
    GA_ASSIGN_OR_RETURN(auto result, connection_.query(fmt::format("SELECT DISTINCT {0} COLLATE \"C\" AS k FROM {1} "
                                                                   "ORDER BY k",
                                                                   column, postgres_identifier(known->table))));
    std::vector<std::string> keys;
    for (int r = 0; r < result.rows(); ++r) keys.emplace_back(result.text(r, 0));
    return keys;
}

Result<ImportOutcome> PostgresStore::apply_batch(const ValidatedBatch& batch, const ImportOptions& options) {
    auto outcome = write_batch(batch, options);
    if (!outcome) return std::unexpected(outcome.error().with_context(fmt::format("import of {}", batch.source)));
    return outcome;
}

Result<ImportOutcome> PostgresStore::write_batch(const ValidatedBatch& batch, const ImportOptions& options) {
    if (batch.content_hash.empty()) return internal_error("a batch needs a content hash");
    GA_ASSIGN_OR_RETURN(auto transaction, begin_write());
    GA_ASSIGN_OR_RETURN(auto earlier, connection_.query("SELECT batch_id FROM import_batches WHERE content_hash = $1",
                                                        Parameters{batch.content_hash}));
    if (earlier.rows() > 0) return ImportOutcome{earlier.int64(0, 0), true, {}};  // rolled back: nothing written

    ImportOutcome outcome;
    GA_ASSIGN_OR_RETURN(
        outcome.batch_id,
        connection_.query_int64(
            "INSERT INTO import_batches (source, content_hash, imported_at, rows_accepted, "
            "rows_rejected, strict_mode) VALUES ($1, $2, $3, $4, $5, $6) RETURNING batch_id",
            Parameters{batch.source, batch.content_hash, now_utc(),
                       text_of(static_cast<std::int64_t>(accepted_rows(batch))),
                       text_of(static_cast<std::int64_t>(batch.rows_rejected)), text_of(options.strict ? 1 : 0)}));
    PostgresCorrections corrections(outcome.batch_id);
    for (const auto& table : batch.tables) {
        GA_ASSIGN_OR_RETURN(auto change, write_postgres_table_rows(connection_, table, corrections));
        outcome.changes.push_back(std::move(change));
    }
    if (batch.daily.size() > 0) {
        GA_ASSIGN_OR_RETURN(auto change, write_postgres_daily(connection_, batch.daily, corrections));
        outcome.changes.push_back(std::move(change));
        GA_TRY(drop_daily_estimates(connection_, batch.daily));
    }
    if (batch.interval.size() > 0) {
        GA_ASSIGN_OR_RETURN(auto change, write_postgres_intervals(connection_, batch.interval, corrections));
        outcome.changes.push_back(std::move(change));
        GA_TRY(drop_interval_estimates(connection_, batch.interval));
    }
    if (!batch.tariffs.empty()) {
        GA_ASSIGN_OR_RETURN(auto change, write_tariffs(connection_, batch.tariffs, outcome.batch_id, corrections));
        outcome.changes.push_back(std::move(change));
    }
    GA_TRY(corrections.flush(connection_));
    auto committed = transaction.commit();
    if (!committed && committed.error().kind() == ErrorClass::user &&
        committed.error().message().find("foreign key") != std::string::npos)
        return user_error(fmt::format("the batch references rows that do not exist: {}", committed.error().message()));
    GA_TRY(std::move(committed));
    return outcome;
}

Result<std::vector<BatchRecord>> PostgresStore::batches() {
    GA_ASSIGN_OR_RETURN(auto result, connection_.query("SELECT batch_id, source, content_hash, imported_at, "
                                                       "rows_accepted, rows_rejected FROM import_batches "
                                                       "ORDER BY batch_id"));
    std::vector<BatchRecord> batches;
    for (int r = 0; r < result.rows(); ++r)
        batches.push_back(BatchRecord{result.int64(r, 0), std::string(result.text(r, 1)),
                                      std::string(result.text(r, 2)), std::string(result.text(r, 3)),
                                      static_cast<std::size_t>(result.int64(r, 4)),
                                      static_cast<std::size_t>(result.int64(r, 5))});
    return batches;
}

Result<std::vector<Correction>> PostgresStore::corrections(std::string_view table) {
    GA_ASSIGN_OR_RETURN(auto result, connection_.query("SELECT batch_id, table_name, row_key, column_name, old_value, "
                                                       "new_value FROM corrections WHERE $1 = '' OR table_name = $1 "
                                                       "ORDER BY correction_id",
                                                       Parameters{std::string(table)}));
    std::vector<Correction> corrections;
    for (int r = 0; r < result.rows(); ++r)
        corrections.push_back(Correction{result.int64(r, 0), std::string(result.text(r, 1)),
                                         std::string(result.text(r, 2)), std::string(result.text(r, 3)),
                                         std::string(result.text(r, 4)), std::string(result.text(r, 5))});
    return corrections;
}

Result<std::vector<Row>> PostgresStore::read_rows(const TableSpec& table) {
    return read_rows(table, RowSelection{});
}

Result<std::vector<Row>> PostgresStore::read_rows(const TableSpec& table, const RowSelection& selection) {
    const TableSpec* known = contract_table(table);
    if (known == nullptr || known->storage != StorageKind::rows)
        return internal_error(fmt::format("read_rows() needs a rows-kind table of the contract, not {}", table.table));
    std::vector<std::size_t> selected;
    std::vector<std::string> names;
    for (std::size_t c = 0; c < known->columns.size(); ++c) {
        const auto& name = known->columns[c].name;
        if (!selection.columns.empty() &&
            std::find(selection.columns.begin(), selection.columns.end(), name) == selection.columns.end())
            continue;
        selected.push_back(c);
        names.push_back(postgres_identifier(name));
    }
    if (selected.size() < selection.columns.size())
        return internal_error(fmt::format("read_rows(): {} lacks a selected column", known->table));
    std::string where;
    Parameters parameters;
    if (!selection.period_column.empty()) {
        if (known->column_index(selection.period_column) < 0)
            return internal_error(
                fmt::format("read_rows(): {} has no column {}", known->table, selection.period_column));
        std::vector<std::string> periods;
        for (const Period& period : selection.periods) periods.push_back(period.to_string());
        where = fmt::format(" WHERE {} = ANY($1::text[])", postgres_identifier(selection.period_column));
        parameters.push_back(postgres_text_array(periods));
    }
    GA_ASSIGN_OR_RETURN(auto result,
                        connection_.query(fmt::format("SELECT {} FROM {}{} ORDER BY {}", fmt::join(names, ", "),
                                                      postgres_identifier(known->table), where, key_order(*known)),
                                          parameters));
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(result.rows()));
    for (int r = 0; r < result.rows(); ++r) {
        Row row;
        row.values.resize(known->columns.size());
        for (std::size_t i = 0; i < selected.size(); ++i) {
            GA_ASSIGN_OR_RETURN(row.values[selected[i]],
                                read_field(result, r, static_cast<int>(i), known->columns[selected[i]]));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> PostgresStore::table_counts() {
    std::vector<std::pair<std::string, std::int64_t>> counts;
    for (const auto& table : import_contract()) {
        std::int64_t count = 0;
        switch (table.storage) {
            case StorageKind::daily_series: {
                GA_ASSIGN_OR_RETURN(count, postgres_daily_count(connection_));
                break;
            }
            case StorageKind::interval_series: {
                GA_ASSIGN_OR_RETURN(count, postgres_interval_count(connection_));
                break;
            }
            case StorageKind::rows:
            case StorageKind::json_documents: {
                GA_ASSIGN_OR_RETURN(count, connection_.query_int64(fmt::format("SELECT count(*) FROM {}",
                                                                               postgres_identifier(table.table))));
                break;
            }
        }
        counts.emplace_back(std::string(table.table), count);
    }
    return counts;
}

Result<std::optional<std::pair<CivilDate, CivilDate>>> PostgresStore::daily_range() {
    return postgres_daily_range(connection_);
}

Result<DailyMatrix> PostgresStore::load_daily(const std::vector<std::string>& meter_ids, CivilDate first,
                                              CivilDate last) {
    return load_postgres_daily(connection_, meter_ids, first, last);
}

Result<IntervalMatrix> PostgresStore::load_intervals(const std::vector<std::string>& meter_ids, CivilDate first,
                                                     CivilDate last, int utc_offset_minutes) {
    return load_postgres_intervals(connection_, meter_ids, first, last, utc_offset_minutes);
}

Result<std::vector<TariffDocument>> PostgresStore::tariffs() {
    GA_ASSIGN_OR_RETURN(auto result, connection_.query("SELECT id, file, json, effective_from FROM tariffs ORDER BY "
                                                       "id COLLATE \"C\", effective_from COLLATE \"C\""));
    std::vector<TariffDocument> tariffs;
    for (int r = 0; r < result.rows(); ++r)
        tariffs.push_back(TariffDocument{std::string(result.text(r, 0)), std::string(result.text(r, 1)),
                                         std::string(result.text(r, 2)), std::string(result.text(r, 3))});
    return tariffs;
}

Result<std::size_t> PostgresStore::replace_daily_estimates(CivilDate first, CivilDate last,
                                                           const std::vector<DailyEstimate>& estimates) {
    GA_ASSIGN_OR_RETURN(auto transaction, begin_write());
    GA_TRY(connection_.query("DELETE FROM daily_estimates WHERE day BETWEEN $1 AND $2",
                             Parameters{first.to_string(), last.to_string()}));
    CopyRows rows;
    for (const DailyEstimate& estimate : estimates) {
        if (estimate.day < first || estimate.day > last || std::isnan(estimate.kwh)) continue;
        rows.add_text(estimate.meter_id);
        rows.add_text(estimate.day.to_string());
        rows.add_double(estimate.kwh);
        rows.add_text(estimate.method);
        rows.end_row();
    }
    if (!rows.empty()) GA_TRY(connection_.copy_in("daily_estimates (meter_id, day, kwh, method)", rows));
    GA_TRY(transaction.commit());
    return rows.row_count();
}

Result<std::vector<DailyEstimate>> PostgresStore::daily_estimates() {
    GA_ASSIGN_OR_RETURN(auto result, connection_.query("SELECT meter_id, day, kwh, method FROM daily_estimates "
                                                       "ORDER BY meter_id COLLATE \"C\", day COLLATE \"C\""));
    std::vector<DailyEstimate> estimates;
    for (int r = 0; r < result.rows(); ++r)
        estimates.push_back(DailyEstimate{std::string(result.text(r, 0)),
                                          CivilDate::parse(result.text(r, 1)).value_or(CivilDate()),
                                          result.float64(r, 2), std::string(result.text(r, 3))});
    return estimates;
}

Result<std::size_t> PostgresStore::replace_interval_estimates(std::int64_t first, std::int64_t end,
                                                              const std::vector<IntervalEstimate>& estimates) {
    GA_ASSIGN_OR_RETURN(auto transaction, begin_write());
    GA_TRY(connection_.query("DELETE FROM interval_estimates WHERE start >= $1 AND start < $2",
                             Parameters{text_of(first), text_of(end)}));
    CopyRows rows;
    for (const IntervalEstimate& estimate : estimates) {
        if (estimate.start < first || estimate.start >= end || std::isnan(estimate.kwh)) continue;
        rows.add_text(estimate.meter_id);
        rows.add_int64(estimate.start);
        rows.add_double(estimate.kwh);
        rows.add_text(estimate.method);
        rows.end_row();
    }
    if (!rows.empty()) GA_TRY(connection_.copy_in("interval_estimates (meter_id, start, kwh, method)", rows));
    GA_TRY(transaction.commit());
    return rows.row_count();
}

Result<std::vector<IntervalEstimate>> PostgresStore::interval_estimates() {
    GA_ASSIGN_OR_RETURN(auto result, connection_.query("SELECT meter_id, start, kwh, method FROM interval_estimates "
                                                       "ORDER BY meter_id COLLATE \"C\", start"));
    std::vector<IntervalEstimate> estimates;
    for (int r = 0; r < result.rows(); ++r)
        estimates.push_back(IntervalEstimate{std::string(result.text(r, 0)), result.int64(r, 1), result.float64(r, 2),
                                             std::string(result.text(r, 3))});
    return estimates;
}

Result<std::int64_t> PostgresStore::record_audit(const std::vector<std::string>& rule_ids, std::string_view period,
                                                 const std::vector<Finding>& findings,
                                                 const std::vector<std::string>& warnings) {
    for (const auto& finding : findings)
        if (std::find(rule_ids.begin(), rule_ids.end(), finding.rule_id) == rule_ids.end())
            return internal_error(fmt::format("finding of rule {} recorded in a run of other rules", finding.rule_id));
    GA_ASSIGN_OR_RETURN(const auto rules, rule_ids_json(rule_ids));
    const std::string warning_list =
        nlohmann::json(warnings).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    GA_ASSIGN_OR_RETURN(auto transaction, begin_write());
    GA_ASSIGN_OR_RETURN(const auto run_id,
                        connection_.query_int64("INSERT INTO audit_runs (at, period, rule_ids, warnings) VALUES ($1, "
                                                "$2, $3, $4) RETURNING run_id",
                                                Parameters{now_utc(), std::string(period), rules, warning_list}));
    if (!findings.empty()) {
        GA_TRY(
            connection_.execute("DROP TABLE IF EXISTS ga_run_findings; CREATE TEMP TABLE ga_run_findings "
                                "ON COMMIT DROP AS SELECT rule_id, area, subject_kind, subject_id, period, "
                                "severity, summary, evidence, kwh_at_risk, money_at_risk FROM findings "
                                "WITH NO DATA; ALTER TABLE ga_run_findings ADD COLUMN position BIGINT"));
        CopyRows rows;
        std::int64_t position = 0;
        for (const auto& finding : findings) {
            rows.add_text(finding.rule_id);
            rows.add_text(inspection_area_code(finding.area));
            rows.add_text(finding.subject_kind);
            rows.add_text(finding.subject_id);
            rows.add_text(finding.period);
            rows.add_text(severity_name(finding.severity));
            rows.add_text(finding.summary);
            rows.add_text(finding.evidence_json);
            finding.kwh_at_risk ? rows.add_double(*finding.kwh_at_risk) : rows.add_null();
            finding.money_at_risk ? rows.add_int64(finding.money_at_risk->units()) : rows.add_null();
            rows.add_int64(position++);
            rows.end_row();
        }
        GA_TRY(
            connection_.copy_in("ga_run_findings (rule_id, area, subject_kind, subject_id, period, severity, "
                                "summary, evidence, kwh_at_risk, money_at_risk, position)",
                                rows));
        // A finding repeated within the run: the last one wins and its id follows its first place in
        // the run, as the SQLite store's upserts one by one.
        GA_TRY(connection_.query(
            "INSERT INTO findings (rule_id, area, subject_kind, subject_id, period, severity, summary, evidence, "
            "kwh_at_risk, money_at_risk, first_run_id, last_run_id, active) "
            "SELECT rule_id, area, subject_kind, subject_id, period, severity, summary, evidence, kwh_at_risk, "
            "money_at_risk, $1, $1, 1 FROM (SELECT *, min(position) OVER same AS first_position, "
            "row_number() OVER (PARTITION BY rule_id, subject_kind, subject_id, period ORDER BY position DESC) AS "
            "newest FROM ga_run_findings WINDOW same AS (PARTITION BY rule_id, subject_kind, subject_id, period)) "
            "AS f WHERE newest = 1 ORDER BY first_position "
            "ON CONFLICT (rule_id, subject_kind, subject_id, period) DO UPDATE SET area = excluded.area, "
            "severity = excluded.severity, summary = excluded.summary, evidence = excluded.evidence, "
            "kwh_at_risk = excluded.kwh_at_risk, money_at_risk = excluded.money_at_risk, "
            "last_run_id = excluded.last_run_id, active = 1",
            Parameters{text_of(run_id)}));
    }
    GA_TRY(
        connection_.query("UPDATE findings SET active = 0 WHERE rule_id = ANY($1::text[]) AND last_run_id <> $2 "
                          "AND active = 1 AND ($3 = '' OR period = $3 OR period = '')",
                          Parameters{postgres_text_array(rule_ids), text_of(run_id), std::string(period)}));
    GA_TRY(transaction.commit());
    return run_id;
}

Result<std::vector<AuditRunRecord>> PostgresStore::audit_runs() {
    GA_ASSIGN_OR_RETURN(auto result, connection_.query("SELECT run_id, at, period, rule_ids, warnings FROM audit_runs "
                                                       "ORDER BY run_id"));
    std::vector<AuditRunRecord> runs;
    for (int r = 0; r < result.rows(); ++r) {
        AuditRunRecord run;
        run.run_id = result.int64(r, 0);
        run.at = result.text(r, 1);
        run.period = result.text(r, 2);
        run.rule_ids = strings_of_json(result.text(r, 3));
        run.warnings = strings_of_json(result.text(r, 4));
        runs.push_back(std::move(run));
    }
    return runs;
}

Result<std::vector<StoredFinding>> PostgresStore::findings(bool active_only) {
    GA_ASSIGN_OR_RETURN(auto result,
                        connection_.query(fmt::format("SELECT finding_id, rule_id, area, subject_kind, subject_id, "
                                                      "period, severity, summary, evidence, kwh_at_risk, "
                                                      "money_at_risk, first_run_id, last_run_id, active FROM findings "
                                                      "{} ORDER BY finding_id",
                                                      active_only ? "WHERE active = 1" : "")));
    std::vector<StoredFinding> findings;
    for (int r = 0; r < result.rows(); ++r) {
        StoredFinding stored;
        stored.finding_id = result.int64(r, 0);
        Finding& finding = stored.finding;
        finding.rule_id = result.text(r, 1);
        const auto area = parse_inspection_area(result.text(r, 2));
        const auto severity = parse_severity(result.text(r, 6));
        if (!area || !severity)
            return external_error(fmt::format("finding {} has a damaged area or severity", stored.finding_id));
        finding.area = *area;
        finding.subject_kind = result.text(r, 3);
        finding.subject_id = result.text(r, 4);
        finding.period = result.text(r, 5);
        finding.severity = *severity;
        finding.summary = result.text(r, 7);
        finding.evidence_json = result.text(r, 8);
        if (!result.is_null(r, 9)) finding.kwh_at_risk = result.float64(r, 9);
        if (!result.is_null(r, 10)) finding.money_at_risk = Money::from_units(result.int64(r, 10));
        stored.first_run_id = result.int64(r, 11);
        stored.last_run_id = result.int64(r, 12);
        stored.active = result.int64(r, 13) != 0;
        findings.push_back(std::move(stored));
    }
    return findings;
}

Result<ChangeCounters> PostgresStore::change_counters() {
    GA_ASSIGN_OR_RETURN(auto result, connection_.query("SELECT (SELECT count(*) FROM import_batches), "
                                                       "(SELECT coalesce(max(batch_id), 0) FROM import_batches), "
                                                       "(SELECT count(*) FROM audit_runs), "
                                                       "(SELECT coalesce(max(run_id), 0) FROM audit_runs), "
                                                       "(SELECT coalesce(max(entry_id), 0) FROM audit_log)"));
    if (result.rows() != 1) return internal_error("the change counters' query returned no row");
    return ChangeCounters{result.int64(0, 0), result.int64(0, 1), result.int64(0, 2), result.int64(0, 3),
                          result.int64(0, 4)};
}

Result<std::int64_t> PostgresStore::save_suspect_model(const StoredSuspectModel& model) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex = "\\x";
    hex.reserve(2 + 2 * model.model.size());
    for (const auto byte : model.model) {
        hex += digits[byte >> 4];
        hex += digits[byte & 15];
    }
    return connection_.query_int64(
        "INSERT INTO suspect_models (created_at, source, features, parameters, summary, "
        "model) VALUES ($1, $2, $3, $4, $5, $6::bytea) RETURNING version",
        Parameters{model.created_at, model.source, model.features_json, model.parameters_json, model.summary_json,
                   hex});
}

namespace {

Result<StoredSuspectModel> suspect_model_of(const PostgresResult& result, int r, bool with_bytes) {
    StoredSuspectModel model;
    model.version = result.int64(r, 0);
    model.created_at = result.text(r, 1);
    model.source = result.text(r, 2);
    model.features_json = result.text(r, 3);
    model.parameters_json = result.text(r, 4);
    model.summary_json = result.text(r, 5);
    if (with_bytes) {
        auto bytes = result.bytes(r, 6);
        if (!bytes) return external_error(fmt::format("suspect model {} has damaged bytes", model.version));
        model.model = std::move(*bytes);
    }
    return model;
}

}  // namespace

Result<std::vector<StoredSuspectModel>> PostgresStore::suspect_models() {
    GA_ASSIGN_OR_RETURN(auto result, connection_.query("SELECT version, created_at, source, features, parameters, "
                                                       "summary FROM suspect_models ORDER BY version"));
    std::vector<StoredSuspectModel> models;
    for (int r = 0; r < result.rows(); ++r) {
        GA_ASSIGN_OR_RETURN(auto model, suspect_model_of(result, r, false));
        models.push_back(std::move(model));
    }
    return models;
}

Result<std::optional<StoredSuspectModel>> PostgresStore::suspect_model(std::optional<std::int64_t> version) {
    GA_ASSIGN_OR_RETURN(
        auto result,
        connection_.query("SELECT version, created_at, source, features, parameters, summary, model "
                          "FROM suspect_models WHERE $1::bigint IS NULL OR version = $1 "
                          "ORDER BY version DESC LIMIT 1",
                          Parameters{version ? std::optional<std::string>(text_of(*version)) : std::nullopt}));
    if (result.rows() == 0) return std::optional<StoredSuspectModel>();
    GA_ASSIGN_OR_RETURN(auto model, suspect_model_of(result, 0, true));
    return std::optional<StoredSuspectModel>(std::move(model));
}

}  // namespace gridaudit
