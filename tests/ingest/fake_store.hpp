// An in-memory Store for the ingest tests: records every batch it is given, keeps the rows by
// key (so keys() and read_rows() answer like a real store), and recognises a content hash seen
// before. Thread safety: single-threaded, like the Store interface.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace gridaudit {

class FakeStore final : public Store {
public:
    std::vector<ValidatedBatch> applied;                     // every batch apply_batch wrote
    std::map<std::string, std::map<std::string, Row>> rows;  // table -> key -> row
    std::map<std::string, TariffDocument> tariff_documents;  // id -> document
    std::set<std::string> hashes;

    Result<int> schema_version() override { return 1; }
    Result<std::vector<std::string>> keys(const TableSpec& table) override;
    Result<ImportOutcome> apply_batch(const ValidatedBatch& batch, const ImportOptions& options) override;
    Result<std::vector<BatchRecord>> batches() override;
    Result<std::vector<Correction>> corrections(std::string_view) override { return std::vector<Correction>{}; }
    Result<std::vector<Row>> read_rows(const TableSpec& table) override;
    Result<std::vector<std::pair<std::string, std::int64_t>>> table_counts() override;
    Result<std::optional<std::pair<CivilDate, CivilDate>>> daily_range() override { return std::nullopt; }
    Result<DailyMatrix> load_daily(const std::vector<std::string>&, CivilDate, CivilDate) override {
        return internal_error("FakeStore::load_daily is not implemented");
    }
    Result<IntervalMatrix> load_intervals(const std::vector<std::string>&, CivilDate, CivilDate, int) override {
        return internal_error("FakeStore::load_intervals is not implemented");
    }
    Result<std::vector<TariffDocument>> tariffs() override;
    Result<std::size_t> replace_daily_estimates(CivilDate, CivilDate, const std::vector<DailyEstimate>&) override {
        return internal_error("FakeStore::replace_daily_estimates is not implemented");
    }
    Result<std::vector<DailyEstimate>> daily_estimates() override { return std::vector<DailyEstimate>{}; }
    Result<std::size_t> replace_interval_estimates(std::int64_t, std::int64_t,
                                                   const std::vector<IntervalEstimate>&) override {
        return internal_error("FakeStore::replace_interval_estimates is not implemented");
    }
    Result<std::vector<IntervalEstimate>> interval_estimates() override { return std::vector<IntervalEstimate>{}; }
    Result<std::int64_t> record_audit(const std::vector<std::string>&, std::string_view, const std::vector<Finding>&,
                                      const std::vector<std::string>&) override {
        return internal_error("FakeStore::record_audit is not implemented");
    }
    Result<std::vector<AuditRunRecord>> audit_runs() override { return std::vector<AuditRunRecord>{}; }
    Result<std::vector<StoredFinding>> findings(bool) override { return std::vector<StoredFinding>{}; }
};

}  // namespace gridaudit
