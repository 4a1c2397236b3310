// Findings as the API lists them (see finding_query.hpp).
#include "server/finding_query.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "rules/catalogue.hpp"
#include "server/api_errors.hpp"
#include "text/printable_text.hpp"

namespace gridaudit {
namespace {

constexpr std::string_view sort_fields[] = {"id",         "rule_id", "area",        "severity",     "period",
                                            "subject_id", "unit_id", "kwh_at_risk", "money_at_risk"};

enum class SortField { id, rule_id, area, severity, period, subject_id, unit_id, kwh_at_risk, money_at_risk };

SortField sort_field(std::string_view name) {
    for (std::size_t i = 0; i < std::size(sort_fields); ++i)
        if (sort_fields[i] == name) return static_cast<SortField>(i);
    return SortField::id;  // sort_request admits only the names above
}

// -1, 0, 1 as a is before, level with or after b under one ascending key.
int compare_by(const ListedFinding& a, const ListedFinding& b, SortField field) {
    const Finding& x = a.stored.finding;
    const Finding& y = b.stored.finding;
    const auto three_way = [](const auto& l, const auto& r) { return l < r ? -1 : (r < l ? 1 : 0); };
    switch (field) {
        case SortField::id:
            return three_way(a.stored.finding_id, b.stored.finding_id);
        case SortField::rule_id:
            return three_way(x.rule_id, y.rule_id);
        case SortField::area:
            return three_way(inspection_area_code(x.area), inspection_area_code(y.area));
        case SortField::severity:
            return three_way(static_cast<int>(x.severity), static_cast<int>(y.severity));
        case SortField::period:
            return three_way(x.period, y.period);
        case SortField::subject_id:
            return three_way(std::tie(x.subject_kind, x.subject_id), std::tie(y.subject_kind, y.subject_id));
        case SortField::unit_id:
            return three_way(a.unit_id, b.unit_id);
        case SortField::kwh_at_risk:
            return three_way(x.kwh_at_risk.value_or(-1e300), y.kwh_at_risk.value_or(-1e300));
        case SortField::money_at_risk:
            // A missing amount below any amount.
            if (x.money_at_risk.has_value() != y.money_at_risk.has_value()) return x.money_at_risk.has_value() ? 1 : -1;
            if (!x.money_at_risk) return 0;
            return three_way(x.money_at_risk->units(), y.money_at_risk->units());
    }
    return 0;
}

}  // namespace

nlohmann::json listed_finding_json(const StoredFinding& stored, const std::string& unit_id) {
    const Finding& f = stored.finding;
    nlohmann::json evidence = nlohmann::json::parse(f.evidence_json.empty() ? "{}" : f.evidence_json, nullptr, false);
    if (evidence.is_discarded()) evidence = nlohmann::json::object();
    return nlohmann::json{
        {"id", stored.finding_id},
        {"rule_id", f.rule_id},
        {"area", inspection_area_code(f.area)},
        {"subject_kind", f.subject_kind},
        {"subject_id", f.subject_id},
        {"unit_id", unit_id},
        {"period", f.period},
        {"severity", severity_name(f.severity)},
        {"summary", f.summary},
        {"evidence", std::move(evidence)},
        {"kwh_at_risk", f.kwh_at_risk ? nlohmann::json(*f.kwh_at_risk) : nlohmann::json(nullptr)},
        {"money_at_risk", f.money_at_risk ? nlohmann::json(f.money_at_risk->to_string(2)) : nlohmann::json(nullptr)},
        {"active", stored.active},
        {"first_run_id", stored.first_run_id},
        {"last_run_id", stored.last_run_id},
    };
}

std::shared_ptr<const FindingSet> FindingSet::build(std::vector<StoredFinding> stored, const UtilitySnapshot& snapshot,
                                                    std::string key) {
    auto set = std::make_shared<FindingSet>();
    set->key_ = std::move(key);
    std::sort(stored.begin(), stored.end(),
              [](const StoredFinding& a, const StoredFinding& b) { return a.finding_id < b.finding_id; });
    set->findings_.reserve(stored.size());
    for (StoredFinding& finding : stored) {
        std::string unit = snapshot.unit_of(finding.finding.subject_kind, finding.finding.subject_id);
        nlohmann::json document = listed_finding_json(finding, unit);
        std::string text = document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        set->findings_.push_back(
            ListedFinding{std::move(finding), std::move(unit), std::move(document), std::move(text)});
    }
    return set;
}

const ListedFinding* FindingSet::find(std::int64_t finding_id) const {
    const auto found =
        std::lower_bound(findings_.begin(), findings_.end(), finding_id,
                         [](const ListedFinding& f, std::int64_t id) { return f.stored.finding_id < id; });
    if (found == findings_.end() || found->stored.finding_id != finding_id) return nullptr;
    return &*found;
}

Result<FindingFilter> finding_filter(const QueryParameters& query) {
    FindingFilter filter;
    if (const auto area = query.text("area")) {
        filter.area = parse_inspection_area(*area);
        if (!filter.area)
            return field_error("area", fmt::format("must be an area code: PROC, METER, BILL, LOSS, SERV or SHARE ({})",
                                                   printable_value(*area)));
    }
    if (const auto rule = query.text("rule")) {
        if (!standard_catalogue().find(*rule))
            return field_error("rule",
                               fmt::format("no such rule ({}); GET /api/rules lists them", printable_value(*rule)));
        filter.rule_id = std::string(*rule);
    }
    if (const auto unit = query.text("unit")) filter.unit_id = std::string(*unit);
    if (const auto severities = query.text("severity")) {
        std::string_view rest = *severities;
        while (true) {
            const std::size_t comma = rest.find(',');
            const std::string_view name = rest.substr(0, comma);
            const auto severity = parse_severity(name);
            if (!severity)
                return field_error("severity", fmt::format("must be info, low, medium, high or critical, or several "
                                                           "separated by commas ({})",
                                                           printable_value(name)));
            filter.severities.push_back(*severity);
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    GA_ASSIGN_OR_RETURN(const auto period, query.period("period"));
    if (period) filter.period = period->to_string();
    GA_ASSIGN_OR_RETURN(filter.active, query.boolean("active"));
    if (const auto kind = query.text("subject_kind")) filter.subject_kind = std::string(*kind);
    if (const auto id = query.text("subject_id")) filter.subject_id = std::string(*id);
    return filter;
}

std::span<const std::string_view> finding_sort_fields() {
    return sort_fields;
}

std::vector<const ListedFinding*> select_findings(const FindingSet& set, const FindingFilter& filter,
                                                  const std::function<bool(const std::string&)>& visible,
                                                  const std::function<bool(std::string_view, std::string_view)>& within,
                                                  const std::vector<SortKey>& sort) {
    std::vector<const ListedFinding*> selected;
    for (const ListedFinding& listed : set.findings()) {
        const Finding& f = listed.stored.finding;
        if (filter.area && f.area != *filter.area) continue;
        if (filter.rule_id && f.rule_id != *filter.rule_id) continue;
        if (!filter.severities.empty() &&
            std::find(filter.severities.begin(), filter.severities.end(), f.severity) == filter.severities.end())
            continue;
        if (filter.period && f.period != *filter.period) continue;
        if (filter.active && listed.stored.active != *filter.active) continue;
        if (filter.subject_kind && f.subject_kind != *filter.subject_kind) continue;
        if (filter.subject_id && f.subject_id != *filter.subject_id) continue;
        if (filter.unit_id && !within(listed.unit_id, *filter.unit_id)) continue;
        if (!visible(listed.unit_id)) continue;
        selected.push_back(&listed);
    }
    std::vector<std::pair<SortField, bool>> keys;
    for (const SortKey& key : sort) keys.emplace_back(sort_field(key.field), key.descending);
    std::stable_sort(selected.begin(), selected.end(), [&](const ListedFinding* a, const ListedFinding* b) {
        for (const auto& [field, descending] : keys) {
            const int order = compare_by(*a, *b, field);
            if (order != 0) return descending ? order > 0 : order < 0;
        }
        return a->stored.finding_id < b->stored.finding_id;
    });
    return selected;
}

}  // namespace gridaudit
