// The `audit_runs` and `findings` tables: findings keyed by (rule, subject kind, subject id,
// period), updated by each run instead of duplicated.
//
// A run of rules R over period P (or "" for all periods) upserts each finding it produced
// (first_run_id kept, last_run_id = this run, active = 1) and deactivates the stored findings
// of R it did not produce: those of period P, and the timeless ones (period ""), which every
// run of their rule re-evaluates; with P = "" every finding of R. Findings are never deleted.
// Thread safety: used by one thread; writes run inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "model/finding.hpp"
#include "store/sqlite_connection.hpp"
#include "store/store.hpp"

namespace gridaudit {

// REQUIRES: a transaction is open; every finding's rule is one of `rule_ids`.
[[nodiscard]] Result<std::int64_t> write_audit_run(SqliteConnection& connection,
                                                   const std::vector<std::string>& rule_ids, std::string_view period,
                                                   const std::vector<Finding>& findings,
                                                   const std::vector<std::string>& warnings, std::string_view at);

// The same with each finding's region (finding_regions[i] for findings[i], "" for the whole
// utility; null: "" for every finding) and, with a scope, the deactivation of unseen findings
// limited to the findings of its regions (region_audit_recording.hpp).
// REQUIRES: as write_audit_run; finding_regions null or of findings' size.
[[nodiscard]] Result<std::int64_t> write_region_audit_run(SqliteConnection& connection,
                                                          const std::vector<std::string>& rule_ids,
                                                          std::string_view period, const std::vector<Finding>& findings,
                                                          const std::vector<std::string>* finding_regions,
                                                          const std::optional<std::vector<std::string>>& scope,
                                                          const std::vector<std::string>& warnings,
                                                          std::string_view at);

// Every run, oldest first (rule ids and warnings are stored as JSON arrays of strings).
[[nodiscard]] Result<std::vector<AuditRunRecord>> read_audit_runs(SqliteConnection& connection);

[[nodiscard]] Result<std::vector<StoredFinding>> read_findings(SqliteConnection& connection, bool active_only);

}  // namespace gridaudit
