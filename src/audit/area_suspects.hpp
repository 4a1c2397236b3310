// Every transformer area of a store ranked as `gridaudit suspects` ranks it (docs/suspects.md):
// the session loaded with the stored 15-minute intervals over the window asked for, each region's
// loss analysis under the default policy, and rank_node_suspects per area. `gridaudit suspects`
// prints it, `gridaudit eval` scores it against a truth file, so both see one ranking.
// Thread safety: pure functions over the session; load_suspect_session reads the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/suspect_ranking.hpp"
#include "audit/audit_session.hpp"

namespace gridaudit {

struct SuspectRequest {
    std::optional<CivilDate> from;  // the window's first day; default the loaded window's first
    std::optional<CivilDate> to;    // its last day, included; default the loaded window's last
    std::string node;               // one node by id; empty: every transformer area
};

struct AreaSuspects {
    const RegionFrame* frame = nullptr;  // the session's
    std::size_t node = 0;                // index into frame->network
    CivilDate first_day;                 // first day of the window ranked
    std::int32_t days = 0;               // days ranked
    SuspectIntervalsUsed intervals_used;
    std::vector<SuspectScore> ranking;  // `customer` indexes frame->customers
};

// The session the ranking needs: frames with 15-minute intervals covering `from` onwards (the
// default window's last 62 days without it), no collections or cases.
[[nodiscard]] Result<AuditSession> load_suspect_session(Store& store, std::optional<CivilDate> from);

// Each area (or the node asked for) with customers and at least 7 days in the window, in the
// session's order. `node_found` says whether request.node named a node (true when empty).
// REQUIRES: !(request.from && request.to) || request.from <= request.to.
[[nodiscard]] std::vector<AreaSuspects> rank_area_suspects(const AuditSession& session, const SuspectRequest& request,
                                                           bool& node_found);

}  // namespace gridaudit
