// The findings the API lists: the stored findings of one audit state, each with the org unit of its
// subject and its JSON document made once; the filters of `GET /api/findings` (area code, rule,
// unit and the units below it, severities, period, active, subject), and their sort keys.
// Thread safety: a FindingSet is immutable once built; the functions are stateless.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "server/request_parsing.hpp"
#include "server/utility_snapshot.hpp"
#include "store/store.hpp"

namespace gridaudit {

struct ListedFinding {
    StoredFinding stored;
    std::string unit_id;      // the subject's org unit ("" = the utility as a whole)
    nlohmann::json document;  // as the API returns it (listed_finding_json)
    std::string text;         // the document serialized, as pages are assembled from it
};

class FindingSet {
public:
    // `key` says which audit state the set is of (utility_cache.hpp compares it).
    [[nodiscard]] static std::shared_ptr<const FindingSet> build(std::vector<StoredFinding> stored,
                                                                 const UtilitySnapshot& snapshot, std::string key);

    [[nodiscard]] const std::string& key() const { return key_; }
    [[nodiscard]] const std::vector<ListedFinding>& findings() const { return findings_; }  // by id
    [[nodiscard]] const ListedFinding* find(std::int64_t finding_id) const;

private:
    std::string key_;
    std::vector<ListedFinding> findings_;
};

// The API's JSON of a finding: id, rule_id, area, subject_kind, subject_id, unit_id, period,
// severity, summary, evidence (an object), kwh_at_risk, money_at_risk (decimal text or null),
// active, first_run_id, last_run_id.
[[nodiscard]] nlohmann::json listed_finding_json(const StoredFinding& stored, const std::string& unit_id);

struct FindingFilter {
    std::optional<InspectionArea> area;
    std::optional<std::string> rule_id;
    std::optional<std::string> unit_id;  // this unit and the units below it
    std::vector<Severity> severities;    // any of these (empty: any)
    std::optional<std::string> period;   // "YYYY-MM"
    std::optional<bool> active;
    std::optional<std::string> subject_kind;
    std::optional<std::string> subject_id;
};

// The filter of a findings query (area, rule, unit, severity as a comma-separated list, period,
// active, subject_kind, subject_id); a value outside its vocabulary is a 400 naming it.
[[nodiscard]] Result<FindingFilter> finding_filter(const QueryParameters& query);

// The fields findings sort by: id, rule_id, area, severity, period, subject_id, unit_id,
// kwh_at_risk, money_at_risk (a missing amount sorts below any amount).
[[nodiscard]] std::span<const std::string_view> finding_sort_fields();
inline constexpr std::string_view default_finding_sort = "-severity,-money_at_risk,id";

// The findings matching `filter` that `visible` admits (by the subject's unit), in `sort` order
// (ties by id). `within(unit, ancestor)` says whether a unit is at or below another.
[[nodiscard]] std::vector<const ListedFinding*> select_findings(
    const FindingSet& set, const FindingFilter& filter, const std::function<bool(const std::string&)>& visible,
    const std::function<bool(std::string_view, std::string_view)>& within, const std::vector<SortKey>& sort);

}  // namespace gridaudit
