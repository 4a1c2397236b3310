// Recording an audit run of some regions only (issue 17: `gridaudit audit --regions R1,R2` and
// `--shard i/n`, so that separate processes split one run with no coordination beyond the store).
//
// Each finding is stored with the region (substation id) it was found in, "" for a finding of the
// whole utility. A run over a scope of regions replaces the findings of those regions and nothing
// else, in one transaction: its findings are upserted as Store::record_audit does, and a stored
// finding of its rules it did not produce becomes inactive only when it was found in one of the
// regions of the scope (and its period is the run's, as finding_table.hpp says). Findings of other
// regions, of the whole utility, and those recorded before regions were stored (region "") stay as
// they are. A run without a scope is Store::record_audit with the regions recorded.
//
// A backend that can record such runs implements RegionAuditRecording beside Store (SqliteStore
// does). Thread safety: as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "model/finding.hpp"

namespace gridaudit {

class RegionAuditRecording {
public:
    virtual ~RegionAuditRecording() = default;
    // REQUIRES: finding_regions.size() == findings.size(); every finding's rule is in `rule_ids`.
    [[nodiscard]] virtual Result<std::int64_t> record_region_audit(const std::vector<std::string>& rule_ids,
                                                                   std::string_view period,
                                                                   const std::vector<Finding>& findings,
                                                                   const std::vector<std::string>& finding_regions,
                                                                   const std::optional<std::vector<std::string>>& scope,
                                                                   const std::vector<std::string>& warnings) = 0;
};

}  // namespace gridaudit
