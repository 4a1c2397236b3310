// The SQLite backend of Store: one database file in WAL mode (layout in docs/storage.md).
//
// open() sets the connection's PRAGMAs (WAL journal, synchronous=FULL, foreign keys on, a busy
// timeout) and applies pending schema migrations. Every write is one IMMEDIATE transaction, so
// a killed process leaves the file as it was before or after the write. Several processes may
// open the same file; writers wait for each other up to the busy timeout.
// Thread safety: one thread at a time per SqliteStore (see Store).
#pragma once

#include <memory>
#include <string>

#include "store/change_counters.hpp"
#include "store/master_columns.hpp"
#include "store/region_audit_recording.hpp"
#include "store/sqlite_access_store.hpp"
#include "store/sqlite_case_store.hpp"
#include "store/sqlite_casework_store.hpp"
#include "store/selective_reads.hpp"
#include "store/sqlite_connection.hpp"
#include "store/suspect_model_store.hpp"
#include "store/store.hpp"

namespace gridaudit {

class SqliteStore final : public Store,
                          public ChangeCounting,
                          public SelectiveReads,
                          public SuspectModelStore,
                          public MasterColumnReads,
                          public RegionAuditRecording {
public:
    [[nodiscard]] static Result<std::unique_ptr<SqliteStore>> open(
        const std::string& path, SqliteOpening opening = SqliteOpening::create_if_missing);

    [[nodiscard]] Result<int> schema_version() override;

    // keys() works for single-column keys only (internal error otherwise).
    [[nodiscard]] Result<std::vector<std::string>> keys(const TableSpec& table) override;
    [[nodiscard]] Result<ImportOutcome> apply_batch(const ValidatedBatch& batch, const ImportOptions& options) override;
    [[nodiscard]] Result<std::vector<BatchRecord>> batches() override;
    // table "" lists the corrections of every table.
    [[nodiscard]] Result<std::vector<Correction>> corrections(std::string_view table) override;

    // Rows ordered by key.
    [[nodiscard]] Result<std::vector<Row>> read_rows(const TableSpec& table) override;
    // Only the selected columns and periods, in SQL (one SELECT, rows ordered by key).
    [[nodiscard]] Result<std::vector<Row>> read_rows(const TableSpec& table, const RowSelection& selection) override;
    // The network, customers and meters as typed columns: one SELECT of the wanted columns each.
    [[nodiscard]] Result<MasterColumns> read_master_columns(bool details) override;
    // Every table of the import contract, in contract order.
    [[nodiscard]] Result<std::vector<std::pair<std::string, std::int64_t>>> table_counts() override;
    [[nodiscard]] Result<std::optional<std::pair<CivilDate, CivilDate>>> daily_range() override;
    // An empty meter list loads every meter of the meters table, sorted by id (meters without
    // daily data get rows of NaN).
    [[nodiscard]] Result<DailyMatrix> load_daily(const std::vector<std::string>& meter_ids, CivilDate first,
                                                 CivilDate last) override;
    // One scan of ami_interval in key order for an empty list, one index seek per listed meter.
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
    [[nodiscard]] Result<std::int64_t> record_region_audit(const std::vector<std::string>& rule_ids,
                                                           std::string_view period,
                                                           const std::vector<Finding>& findings,
                                                           const std::vector<std::string>& finding_regions,
                                                           const std::optional<std::vector<std::string>>& scope,
                                                           const std::vector<std::string>& warnings) override;
    [[nodiscard]] Result<std::vector<AuditRunRecord>> audit_runs() override;
    [[nodiscard]] Result<std::vector<StoredFinding>> findings(bool active_only) override;
    [[nodiscard]] Result<ChangeCounters> change_counters() override;
    [[nodiscard]] CaseStore& cases() override { return cases_; }
    [[nodiscard]] CaseworkStore& casework() override { return casework_; }

    [[nodiscard]] AccessStore& access() override { return access_; }

    // Learned suspect models (store/suspect_model_store.hpp; sqlite_suspect_model_store.cpp).
    [[nodiscard]] Result<std::int64_t> save_suspect_model(const StoredSuspectModel& model) override;
    [[nodiscard]] Result<std::vector<StoredSuspectModel>> suspect_models() override;
    [[nodiscard]] Result<std::optional<StoredSuspectModel>> suspect_model(std::optional<std::int64_t> version) override;

    // Not (yet) in Store: stored intervals of `meter_ids` (every meter when empty) starting in
    // [from, to), by meter id then start.
    [[nodiscard]] Result<IntervalSeriesRows> read_interval(const std::vector<std::string>& meter_ids, Instant from,
                                                           Instant to);

private:
    explicit SqliteStore(SqliteConnection connection)
        : connection_(std::move(connection)),
          access_(connection_),
          cases_(connection_),
          casework_(connection_, cases_) {}
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;
    [[nodiscard]] Result<ImportOutcome> write_batch(const ValidatedBatch& batch, const ImportOptions& options);
    [[nodiscard]] Status commit_batch(SqliteTransaction& transaction);

    SqliteConnection connection_;
    SqliteAccessStore access_;      // over connection_, so declared after it
    SqliteCaseStore cases_;         // over connection_ too
    SqliteCaseworkStore casework_;  // over connection_ and cases_
};

}  // namespace gridaudit
