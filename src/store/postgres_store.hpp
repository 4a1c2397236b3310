// The PostgreSQL backend of Store (docs/storage.md, "PostgreSQL"): the schema and migrations of the
// SQLite store in PostgreSQL's dialect, the packed series tables partitioned by month, batches
// written set-wise with COPY.
//
// open() connects to a postgresql:// URI (libpq's URI form: user, password, host, port, database,
// and query parameters such as `options=-csearch_path%3Dname` for a schema of its own) and applies
// pending migrations. Every write is one READ COMMITTED transaction that first takes the store's
// write lock (a transaction-scoped advisory lock), so imports, VEE estimate replacements and audit
// runs of several processes follow one another as SQLite's writers do, while readers read committed
// data without waiting. A killed process or a dropped connection rolls its transaction back: the
// store is as before or after a write, never between.
// Thread safety: one thread at a time per PostgresStore (see Store); open one per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/change_counters.hpp"
#include "store/postgres_access_store.hpp"
#include "store/postgres_case_store.hpp"
#include "store/postgres_casework_store.hpp"
#include "store/postgres_connection.hpp"
#include "store/selective_reads.hpp"
#include "store/store.hpp"
#include "store/suspect_model_store.hpp"

namespace gridaudit {

// Whether a store location names a PostgreSQL server ("postgresql://..." or "postgres://...")
// rather than a SQLite file.
[[nodiscard]] inline bool is_postgres_location(std::string_view location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

// The advisory lock every write transaction of the store takes ("GRDB" as a number).
inline constexpr std::int64_t postgres_write_lock = 0x47524442;

class PostgresStore final : public Store, public ChangeCounting, public SelectiveReads, public SuspectModelStore {
public:
    // existing_only: a database (schema) without a GridAudit store is a user error and is left
    // without one.
    [[nodiscard]] static Result<std::unique_ptr<PostgresStore>> open(const std::string& uri, StoreOpening opening);

    [[nodiscard]] Result<int> schema_version() override;

    [[nodiscard]] Result<std::vector<std::string>> keys(const TableSpec& table) override;
    [[nodiscard]] Result<ImportOutcome> apply_batch(const ValidatedBatch& batch, const ImportOptions& options) override;
    [[nodiscard]] Result<std::vector<BatchRecord>> batches() override;
    [[nodiscard]] Result<std::vector<Correction>> corrections(std::string_view table) override;

    [[nodiscard]] Result<std::vector<Row>> read_rows(const TableSpec& table) override;
    [[nodiscard]] Result<std::vector<Row>> read_rows(const TableSpec& table, const RowSelection& selection) override;
    [[nodiscard]] Result<std::vector<std::pair<std::string, std::int64_t>>> table_counts() override;
    [[nodiscard]] Result<std::optional<std::pair<CivilDate, CivilDate>>> daily_range() override;
    [[nodiscard]] Result<DailyMatrix> load_daily(const std::vector<std::string>& meter_ids, CivilDate first,
                                                 CivilDate last) override;
    [[nodiscard]] Result<IntervalMatrix> load_intervals(const std::vector<std::string>& meter_ids, CivilDate first,
                                                        CivilDate last, int utc_offset_minutes) override;
    [[nodiscard]] Result<std::vector<TariffDocument>> tariffs() override;
    [[nodiscard]] Result<std::size_t> replace_daily_estimates(CivilDate first, CivilDate last,
                                                              const std::vector<DailyEstimate>& estimates) override;
    [[nodiscard]] Result<std::vector<DailyEstimate>> daily_estimates() override;
    [[nodiscard]] Result<std::size_t> replace_interval_estimates(
        std::int64_t first, std::int64_t end, const std::vector<IntervalEstimate>& estimates) override;
    [[nodiscard]] Result<std::vector<IntervalEstimate>> interval_estimates() override;

    [[nodiscard]] Result<std::int64_t> record_audit(const std::vector<std::string>& rule_ids, std::string_view period,
                                                    const std::vector<Finding>& findings,
                                                    const std::vector<std::string>& warnings) override;
    [[nodiscard]] Result<std::vector<AuditRunRecord>> audit_runs() override;
    [[nodiscard]] Result<std::vector<StoredFinding>> findings(bool active_only) override;
    [[nodiscard]] Result<ChangeCounters> change_counters() override;
    [[nodiscard]] Result<std::int64_t> save_suspect_model(const StoredSuspectModel& model) override;
    [[nodiscard]] Result<std::vector<StoredSuspectModel>> suspect_models() override;
    [[nodiscard]] Result<std::optional<StoredSuspectModel>> suspect_model(std::optional<std::int64_t> version) override;
    // The case reads of audits and reports; case writes are refused for now (postgres_case_store.hpp).
    [[nodiscard]] CaseStore& cases() override { return cases_; }
    // Users, sessions, login attempts and the audit log (postgres_access_store.hpp).
    [[nodiscard]] AccessStore& access() override { return access_; }
    // The KPIs' reads of back-billings; their writes are refused for now (postgres_casework_store.hpp).
    [[nodiscard]] CaseworkStore& casework() override { return casework_; }

    // The server process of this store's connection (tests end it to see a write roll back).
    [[nodiscard]] int backend_pid() const { return connection_.backend_pid(); }

private:
    explicit PostgresStore(PostgresConnection connection)
        : connection_(std::move(connection)), access_(connection_), cases_(connection_), casework_(connection_) {}
    PostgresStore(const PostgresStore&) = delete;
    PostgresStore& operator=(const PostgresStore&) = delete;
    [[nodiscard]] Result<ImportOutcome> write_batch(const ValidatedBatch& batch, const ImportOptions& options);
    [[nodiscard]] Result<PostgresTransaction> begin_write();

    PostgresConnection connection_;
    PostgresAccessStore access_;      // over connection_, so declared after it
    PostgresCaseStore cases_;         // over connection_, so declared after it
    PostgresCaseworkStore casework_;  // over connection_ too
};

}  // namespace gridaudit
