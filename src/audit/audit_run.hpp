// Runs the inspection catalogue over every region of a store and records the findings.
//
// This is the application service behind `gridaudit audit` (and later the server): an AuditSession
// (audit_session.hpp) loads the regions into frames and evaluates every enabled rule on every
// region in parallel; run_audit stores the run.
// Thread safety: one call per Store.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/reader_quality.hpp"
#include "audit/audit_session.hpp"
#include "core/progress.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "model/finding.hpp"
#include "rules/catalogue.hpp"
#include "rules/policy.hpp"
#include "store/store.hpp"

namespace gridaudit {

struct AuditOptions {
    std::optional<CivilDate> as_of;  // the audit's "today"; default: the last day the store has data for
    std::optional<Period> period;    // billing month for periodic rules; default: all
    std::vector<std::string> only_rules;  // empty = every enabled rule
};

struct AuditSummary {
    std::int64_t run_id = 0;
    CivilDate as_of;
    std::size_t regions = 0;
    std::size_t meters = 0;
    std::size_t customers = 0;
    std::vector<std::string> rules_run;
    std::vector<Finding> findings;  // this run's findings, sorted by rule then subject
    ReadingQualityTables reading;   // per reader and team over the 12 months to as_of (or the period)
    // What the run could not do, one line each (a stored tariff that cannot be used: its id, how
    // many customers' bills were not recomputed, and why); recorded with the run.
    std::vector<std::string> warnings;
    [[nodiscard]] std::map<std::string, std::size_t> count_by_area() const;
    [[nodiscard]] std::map<std::string, std::size_t> count_by_rule() const;
};

// Loads an AuditSession of the store (every enabled rule, or options.only_rules), runs it for
// options.as_of and options.period, and records the run with its reading-quality tables.
// `progress` hears the stages: "loading regions", then the session's (regions done of all), then
// "recording findings".
[[nodiscard]] Result<AuditSummary> run_audit(Store& store, const Catalogue& catalogue, const Policy& policy,
                                             const AuditOptions& options,
                                             ProgressObserver& progress = null_progress());

}  // namespace gridaudit
