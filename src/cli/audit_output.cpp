// Text and JSON views of an audit run. The JSON field names are a documented contract
// (docs/cli.md): run_id, as_of, regions, customers, meters, rules, findings_by_area,
// findings_by_rule, warnings[], readers[], teams[], findings[]; scope[] (the substations run) only
// for a run of some regions.
#include "cli/audit_output.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "core/money_text.hpp"

namespace gridaudit {

void print_audit_summary(const AuditSummary& summary, std::size_t examples_per_rule) {
    fmt::print("Audit run {} as of {}: {} region(s), {} customers, {} meters, {} rule(s)\n", summary.run_id,
               summary.as_of.to_string(), summary.regions, summary.customers, summary.meters, summary.rules_run.size());
    if (summary.scope)
        fmt::print("Regions run: {} (their findings replaced; the whole utility's checks not run)\n",
                   summary.scope->empty() ? std::string("none") : fmt::format("{}", fmt::join(*summary.scope, ", ")));
    fmt::print("Findings by inspection area:\n");
    const auto by_area = summary.count_by_area();
    for (const char* area : {"PROC", "METER", "BILL", "LOSS", "SERV", "SHARE"}) {
        const auto found = by_area.find(area);
        fmt::print("  {:<6} {:>8}\n", area, found == by_area.end() ? 0 : found->second);
    }
    // The header's columns are the rows' columns: "count" over the counts, and so on.
    fmt::print("{:<30} {:>8} {:>20} {:>14}\n", "Findings by rule:", "count", "money at risk", "kWh at risk");
    for (const auto& [rule, count] : summary.count_by_rule()) {
        Money money;
        double kwh = 0;
        for (const auto& finding : summary.findings) {
            if (finding.rule_id != rule) continue;
            if (finding.money_at_risk) money += *finding.money_at_risk;
            if (finding.kwh_at_risk) kwh += *finding.kwh_at_risk;
        }
        fmt::print("  {:<28} {:>8} {:>20} {:>14.0f}\n", rule, count, money_text(money, money_currency), kwh);
        std::size_t shown = 0;
        for (const auto& finding : summary.findings) {
            if (finding.rule_id != rule || shown == examples_per_rule) continue;
            fmt::print("      {}\n", finding.summary);
            ++shown;
        }
    }
    print_reading_quality(summary.reading);
}

void print_reading_quality(const ReadingQualityTables& reading) {
    if (reading.readers.empty()) return;
    const auto table = [](const char* title, const std::vector<ReadingQuality>& rows, bool with_team) {
        fmt::print("{}\n  {:<12} {:<10} {:>8} {:>10} {:>8} {:>7} {:>6}\n", title, "id", with_team ? "team" : "",
                   "reads", "estimated", "rate", "missed", "wrong");
        std::size_t shown = 0;
        for (const ReadingQuality& row : rows) {
            if (shown == 10) break;
            fmt::print("  {:<12} {:<10} {:>8} {:>10} {:>7.1f}% {:>7} {:>6}\n", row.id.empty() ? "(none)" : row.id,
                       with_team ? row.team : "", row.reads, row.estimated, 100.0 * row.estimated_rate(), row.missed,
                       row.wrong);
            ++shown;
        }
        if (rows.size() > shown) fmt::print("  ... {} more\n", rows.size() - shown);
    };
    table("Meter readers, most estimated, missed and wrong reads first:", reading.readers, true);
    table("Reading teams:", reading.teams, false);
}

namespace {

nlohmann::json reading_json(const std::vector<ReadingQuality>& rows) {
    nlohmann::json list = nlohmann::json::array();
    for (const ReadingQuality& row : rows)
        list.push_back({{"id", row.id}, {"team", row.team}, {"reads", row.reads}, {"estimated", row.estimated},
                        {"missed", row.missed}, {"wrong", row.wrong}});
    return list;
}

}  // namespace

std::string audit_summary_json(const AuditSummary& summary) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : summary.findings) {
        nlohmann::json item{{"rule_id", f.rule_id},
                            {"area", inspection_area_code(f.area)},
                            {"subject_kind", f.subject_kind},
                            {"subject_id", f.subject_id},
                            {"period", f.period},
                            {"severity", severity_name(f.severity)},
                            {"summary", f.summary},
                            {"evidence", nlohmann::json::parse(f.evidence_json.empty() ? "{}" : f.evidence_json)}};
        item["kwh_at_risk"] = f.kwh_at_risk ? nlohmann::json(*f.kwh_at_risk) : nlohmann::json(nullptr);
        item["money_at_risk"] = f.money_at_risk ? nlohmann::json(f.money_at_risk->to_string(2)) : nlohmann::json(nullptr);
        findings.push_back(std::move(item));
    }
    nlohmann::json document{{"run_id", summary.run_id},
                            {"as_of", summary.as_of.to_string()},
                            {"regions", summary.regions},
                            {"customers", summary.customers},
                            {"meters", summary.meters},
                            {"rules", summary.rules_run},
                            {"findings_by_area", summary.count_by_area()},
                            {"findings_by_rule", summary.count_by_rule()},
                            {"warnings", summary.warnings},
                            {"readers", reading_json(summary.reading.readers)},
                            {"teams", reading_json(summary.reading.teams)},
                            {"findings", findings}};
    if (summary.scope) document["scope"] = *summary.scope;
    return document.dump(2);
}

}  // namespace gridaudit
