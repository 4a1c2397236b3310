// The system of record, behind a backend-neutral interface.
//
// Store::open("path.db") opens (creating if needed) a SQLite store and applies pending schema
// migrations; "postgresql://..." selects the PostgreSQL backend. Every write operation is
// one transaction: after a crash or kill the store is as it was before or after it, never
// between. Thread safety: a Store object is used by one thread at a time; open one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "model/finding.hpp"
#include "model/rows.hpp"
#include "model/series.hpp"
#include "store/access_store.hpp"
#include "store/case_store.hpp"
#include "store/casework_store.hpp"

namespace gridaudit {

struct ImportOptions {
    bool strict = false;  // recorded with the batch; the ingest layer already refused rejected rows
};

struct TableChange {
    std::string table;
    std::size_t inserted = 0;   // new keys
    std::size_t unchanged = 0;  // same key, same values
    std::size_t corrected = 0;  // same key, different values: each differing value recorded in corrections
};

struct ImportOutcome {
    std::int64_t batch_id = 0;
    bool already_imported = false;  // a batch with the same content hash exists: nothing was changed
    std::vector<TableChange> changes;
};

struct BatchRecord {
    std::int64_t batch_id = 0;
    std::string source;
    std::string content_hash;
    std::string imported_at;  // ISO instant, UTC
    std::size_t rows_accepted = 0;
    std::size_t rows_rejected = 0;
};

struct Correction {
    std::int64_t batch_id = 0;
    std::string table;
    std::string row_key;  // key column values joined with '|'
    std::string column;
    std::string old_value;
    std::string new_value;
};

// An estimate of a meter's missing daily usage made by VEE (kWh after the multiplier).
struct DailyEstimate {
    std::string meter_id;
    CivilDate day;
    double kwh = 0;
    std::string method;  // interpolation, register_spread, like_day
};

// An estimate of a missing 15-minute interval made by VEE (kWh before the multiplier, as the
// interval values are stored).
struct IntervalEstimate {
    std::string meter_id;
    std::int64_t start = 0;  // Instant::unix_seconds of the interval's start
    double kwh = 0;
    std::string method;  // interpolation, register_spread, like_day
};

// An audit run as recorded: when, over which period and rules, and what it could not do.
struct AuditRunRecord {
    std::int64_t run_id = 0;
    std::string at;      // ISO instant, UTC
    std::string period;  // "YYYY-MM", or "" for all periods
    std::vector<std::string> rule_ids;
    std::vector<std::string> warnings;  // e.g. a stored tariff that cannot be used, and why
};

struct StoredFinding {
    std::int64_t finding_id = 0;
    Finding finding;
    std::int64_t first_run_id = 0;
    std::int64_t last_run_id = 0;
    bool active = true;  // false when the latest run of its rule no longer produced it
};

// Whether Store::open may create a new store: an import may, a command that reads (audit, loss,
// report, vee) may not, so that a mistyped path is an error and leaves no empty file behind.
enum class StoreOpening { create_if_missing, existing_only };

class Store {
public:
    virtual ~Store() = default;

    // Opens a SQLite file path or a postgresql:// URI (docs/storage.md). A missing file is created,
    // or with existing_only is a user error that creates nothing.
    [[nodiscard]] static Result<std::unique_ptr<Store>> open(std::string_view location,
                                                             StoreOpening opening = StoreOpening::create_if_missing);

    // Schema version after migrations.
    [[nodiscard]] virtual Result<int> schema_version() = 0;

    // --- import -------------------------------------------------------------------------------
    // Keys already stored for a table's key column (single-column keys only; tariff documents give
    // their distinct ids), for reference checks.
    [[nodiscard]] virtual Result<std::vector<std::string>> keys(const TableSpec& table) = 0;
    // Writes a validated batch in one transaction: inserts new rows, records corrections for
    // changed rows, merges series (new days append; changed values are corrections), stores
    // tariffs. A batch whose content hash was imported before changes nothing.
    [[nodiscard]] virtual Result<ImportOutcome> apply_batch(const ValidatedBatch& batch,
                                                            const ImportOptions& options) = 0;
    [[nodiscard]] virtual Result<std::vector<BatchRecord>> batches() = 0;
    [[nodiscard]] virtual Result<std::vector<Correction>> corrections(std::string_view table) = 0;

    // --- reading ------------------------------------------------------------------------------
    // Every stored row of a rows-kind table, values in contract column order.
    [[nodiscard]] virtual Result<std::vector<Row>> read_rows(const TableSpec& table) = 0;
    // Row count per table (series tables count values, i.e. meter-days or intervals).
    [[nodiscard]] virtual Result<std::vector<std::pair<std::string, std::int64_t>>> table_counts() = 0;
    // First and last stored day of daily series, if any.
    [[nodiscard]] virtual Result<std::optional<std::pair<CivilDate, CivilDate>>> daily_range() = 0;
    // Daily register values of the given meters (all stored meters when empty) for days
    // first..last inclusive into a dense matrix; missing values are NaN.
    [[nodiscard]] virtual Result<DailyMatrix> load_daily(const std::vector<std::string>& meter_ids, CivilDate first,
                                                         CivilDate last) = 0;
    // 15-minute interval energy of the given meters over civil days first..last at
    // `utc_offset_minutes` east of UTC (a day runs from local midnight to local midnight) into a
    // dense matrix (model/series.hpp): NaN where missing, flags beside; 5-minute intervals summed
    // into their slot, 30/60-minute intervals and starts off the 15-minute grid reported, not
    // placed. An empty meter list loads every meter with an interval in the range, sorted by id;
    // a list gives rows in its order (NaN rows for meters without intervals).
    [[nodiscard]] virtual Result<IntervalMatrix> load_intervals(const std::vector<std::string>& meter_ids,
                                                                CivilDate first, CivilDate last,
                                                                int utc_offset_minutes) = 0;
    [[nodiscard]] virtual Result<std::vector<TariffDocument>> tariffs() = 0;

    // --- estimates (VEE) ----------------------------------------------------------------------
    // Replaces, in one transaction, the stored estimates of days first..last with `estimates`
    // (those outside the days are ignored); returns how many were stored. An import that brings an
    // actual register value for a meter-day deletes that day's estimate.
    [[nodiscard]] virtual Result<std::size_t> replace_daily_estimates(CivilDate first, CivilDate last,
                                                                      const std::vector<DailyEstimate>& estimates) = 0;
    // Every stored estimate, by meter then day.
    [[nodiscard]] virtual Result<std::vector<DailyEstimate>> daily_estimates() = 0;
    // The same for 15-minute intervals starting in [first, end): replaced in one transaction; an
    // import that brings the interval's actual value deletes its estimate.
    [[nodiscard]] virtual Result<std::size_t> replace_interval_estimates(
        std::int64_t first, std::int64_t end, const std::vector<IntervalEstimate>& estimates) = 0;
    [[nodiscard]] virtual Result<std::vector<IntervalEstimate>> interval_estimates() = 0;

    // --- findings -----------------------------------------------------------------------------
    // Records an audit run of `rule_ids` over `period` ("" = all), with its warnings (what the run
    // could not do), and its findings in one transaction. Findings are keyed by (rule, subject
    // kind, subject id, period): a finding seen again is updated, not duplicated; one of these rules
    // not seen again becomes inactive. Returns the run id.
    [[nodiscard]] virtual Result<std::int64_t> record_audit(const std::vector<std::string>& rule_ids,
                                                            std::string_view period,
                                                            const std::vector<Finding>& findings,
                                                            const std::vector<std::string>& warnings) = 0;
    // Every recorded audit run, oldest first.
    [[nodiscard]] virtual Result<std::vector<AuditRunRecord>> audit_runs() = 0;
    [[nodiscard]] virtual Result<std::vector<StoredFinding>> findings(bool active_only) = 0;

    // --- people -------------------------------------------------------------------------------
    // Users, sessions, login attempts and the audit log (store/access_store.hpp), valid as long as
    // this Store. A backend without them (a test double) answers every call with an internal error.
    [[nodiscard]] virtual AccessStore& access() {
        static UnavailableAccessStore unavailable;
        return unavailable;
    }

    // --- cases (the closed loop) ---------------------------------------------------------------
    // The store's cases (store/case_store.hpp), valid while the store is. A store that keeps none
    // (a test double) answers every call with an internal error.
    [[nodiscard]] virtual CaseStore& cases() {
        static UnavailableCaseStore unavailable;
        return unavailable;
    }
    // The cases' back-billings and payments (store/casework_store.hpp), valid while the store is.
    // A store that keeps none (a test double) answers every call with an internal error.
    [[nodiscard]] virtual CaseworkStore& casework() {
        static UnavailableCaseworkStore unavailable;
        return unavailable;
    }
};

}  // namespace gridaudit
