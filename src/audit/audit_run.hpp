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
#include <string_view>
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

// Shard `index` of `count` (1 <= index <= count): the substations whose id hashes to it
// (shard_of), a split that stays the same from run to run and machine to machine.
struct AuditShard {
    int index = 1;
    int count = 1;
};

// The shard (1..count) of the substation `id`: FNV-1a (64 bits) of its bytes, modulo count, plus 1.
[[nodiscard]] int shard_of(std::string_view id, int count);

struct AuditOptions {
    std::optional<CivilDate> as_of;  // the audit's "today"; default: the last day the store has data for
    std::optional<Period> period;    // billing month for periodic rules; default: all
    std::vector<std::string> only_rules;  // empty = every enabled rule
    // A run of some regions only (region_audit_recording.hpp): these substations, and/or those of
    // a shard. Each region's rules run as in a whole run; the checks of the whole utility (duplicate
    // accounts, collections, the closed loop's cases) do not, and their findings stay as they are.
    std::vector<std::string> regions;
    std::optional<AuditShard> shard;
};

// The substations a run of `regions` and `shard` covers, in network order (both given: the
// listed ones in the shard); nullopt for the whole utility. A listed id that is no substation of
// the store, or a shard out of range, is a user error.
[[nodiscard]] Result<std::optional<std::vector<std::string>>> audit_scope(Store& store,
                                                                          const std::vector<std::string>& regions,
                                                                          const std::optional<AuditShard>& shard);

struct AuditSummary {
    std::int64_t run_id = 0;
    CivilDate as_of;
    std::size_t regions = 0;
    std::optional<std::vector<std::string>> scope;  // the substations run; nullopt: the whole utility
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

// Loads an AuditSession of the store (every enabled rule, or options.only_rules; the regions of
// options' scope), runs it for options.as_of and options.period, and records the run with its
// reading-quality tables (each finding with its region). A scoped run needs a store that records
// runs by region (RegionAuditRecording), a user error otherwise. `progress` hears the stages:
// "loading regions", then the session's (regions done of all), then "recording findings".
[[nodiscard]] Result<AuditSummary> run_audit(Store& store, const Catalogue& catalogue, const Policy& policy,
                                             const AuditOptions& options,
                                             ProgressObserver& progress = null_progress());

}  // namespace gridaudit
