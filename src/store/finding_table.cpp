// Audit runs and the upsert/deactivation of their findings.
#include "store/finding_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace gridaudit {
namespace {

Result<std::string> rule_ids_json(const std::vector<std::string>& rule_ids) {
    try {
        return nlohmann::json(rule_ids).dump();
    } catch (const nlohmann::json::exception& error) {
        return user_error(fmt::format("rule ids are not valid UTF-8: {}", error.what()));
    }
}

// Warnings quote input (a tariff's error message): bytes that are not UTF-8 become U+FFFD.
std::string warnings_json(const std::vector<std::string>& warnings) {
    return nlohmann::json(warnings).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> strings_of_json(std::string_view text) {
    std::vector<std::string> strings;
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_array()) return strings;
    for (const auto& item : json)
        if (item.is_string()) strings.push_back(item.get<std::string>());
    return strings;
}

Result<std::int64_t> insert_run(SqliteConnection& connection, const std::vector<std::string>& rule_ids,
                                std::string_view period, const std::vector<std::string>& warnings,
                                std::string_view at) {
    GA_ASSIGN_OR_RETURN(const auto rules, rule_ids_json(rule_ids));
    const std::string warning_list = warnings_json(warnings);
    GA_ASSIGN_OR_RETURN(auto insert, connection.prepare("INSERT INTO audit_runs (at, period, rule_ids, warnings) "
                                                        "VALUES (?1, ?2, ?3, ?4)"));
    insert.bind_text(1, at);
    insert.bind_text(2, period);
    insert.bind_text(3, rules);
    insert.bind_text(4, warning_list);
    GA_TRY(insert.run());
    return connection.last_insert_rowid();
}

Status upsert_findings(SqliteConnection& connection, const std::vector<Finding>& findings,
                       const std::vector<std::string>* finding_regions, std::int64_t run_id) {
    GA_ASSIGN_OR_RETURN(
        auto upsert,
        connection.prepare("INSERT INTO findings (rule_id, area, subject_kind, subject_id, period, severity, summary, "
                           "evidence, kwh_at_risk, money_at_risk, first_run_id, last_run_id, active, region) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, 1, ?12) "
                           "ON CONFLICT (rule_id, subject_kind, subject_id, period) DO UPDATE SET "
                           "area = excluded.area, severity = excluded.severity, summary = excluded.summary, "
                           "evidence = excluded.evidence, kwh_at_risk = excluded.kwh_at_risk, "
                           "money_at_risk = excluded.money_at_risk, last_run_id = excluded.last_run_id, active = 1, "
                           "region = excluded.region"));
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Finding& finding = findings[i];
        upsert.bind_text(12, finding_regions ? std::string_view((*finding_regions)[i]) : std::string_view(""));
        upsert.bind_text(1, finding.rule_id);
        upsert.bind_text(2, inspection_area_code(finding.area));
        upsert.bind_text(3, finding.subject_kind);
        upsert.bind_text(4, finding.subject_id);
        upsert.bind_text(5, finding.period);
        upsert.bind_text(6, severity_name(finding.severity));
        upsert.bind_text(7, finding.summary);
        upsert.bind_text(8, finding.evidence_json);
        if (finding.kwh_at_risk)
            upsert.bind_double(9, *finding.kwh_at_risk);
        else
            upsert.bind_null(9);
        if (finding.money_at_risk)
            upsert.bind_int64(10, finding.money_at_risk->units());
        else
            upsert.bind_null(10);
        upsert.bind_int64(11, run_id);
        GA_TRY(upsert.run());
    }
    return {};
}

// With a scope, only the findings found in one of its regions.
Status deactivate_unseen(SqliteConnection& connection, const std::vector<std::string>& rule_ids,
                         std::string_view period, std::int64_t run_id,
                         const std::optional<std::vector<std::string>>& scope) {
    GA_ASSIGN_OR_RETURN(auto update,
                        connection.prepare("UPDATE findings SET active = 0 WHERE rule_id = ?1 AND last_run_id <> ?2 "
                                           "AND active = 1 AND (?3 = '' OR period = ?3 OR period = '') "
                                           "AND (?4 IS NULL OR region IN (SELECT value FROM json_each(?4)))"));
    std::string scope_json;
    if (scope) {
        try {
            scope_json = nlohmann::json(*scope).dump();
        } catch (const nlohmann::json::exception& error) {
            return user_error(fmt::format("region ids are not valid UTF-8: {}", error.what()));
        }
    }
    for (const auto& rule_id : rule_ids) {
        update.bind_text(1, rule_id);
        update.bind_int64(2, run_id);
        update.bind_text(3, period);
        if (scope)
            update.bind_text(4, scope_json);
        else
            update.bind_null(4);
        GA_TRY(update.run());
    }
    return {};
}

Result<StoredFinding> read_finding(const SqliteStatement& select) {
    StoredFinding stored;
    stored.finding_id = select.column_int64(0);
    Finding& finding = stored.finding;
    finding.rule_id = select.column_text(1);
    const auto area = parse_inspection_area(select.column_text(2));
    const auto severity = parse_severity(select.column_text(6));
    if (!area || !severity)
        return external_error(fmt::format("finding {} has a damaged area or severity", stored.finding_id));
    finding.area = *area;
    finding.subject_kind = select.column_text(3);
    finding.subject_id = select.column_text(4);
    finding.period = select.column_text(5);
    finding.severity = *severity;
    finding.summary = select.column_text(7);
    finding.evidence_json = select.column_text(8);
    if (!select.column_is_null(9)) finding.kwh_at_risk = select.column_double(9);
    if (!select.column_is_null(10)) finding.money_at_risk = Money::from_units(select.column_int64(10));
    stored.first_run_id = select.column_int64(11);
    stored.last_run_id = select.column_int64(12);
    stored.active = select.column_int64(13) != 0;
    return stored;
}

}  // namespace

Result<std::int64_t> write_audit_run(SqliteConnection& connection, const std::vector<std::string>& rule_ids,
                                     std::string_view period, const std::vector<Finding>& findings,
                                     const std::vector<std::string>& warnings, std::string_view at) {
    return write_region_audit_run(connection, rule_ids, period, findings, nullptr, std::nullopt, warnings, at);
}

Result<std::int64_t> write_region_audit_run(SqliteConnection& connection, const std::vector<std::string>& rule_ids,
                                            std::string_view period, const std::vector<Finding>& findings,
                                            const std::vector<std::string>* finding_regions,
                                            const std::optional<std::vector<std::string>>& scope,
                                            const std::vector<std::string>& warnings, std::string_view at) {
    for (const auto& finding : findings)
        if (std::find(rule_ids.begin(), rule_ids.end(), finding.rule_id) == rule_ids.end())
            return internal_error(fmt::format("finding of rule {} recorded in a run of other rules", finding.rule_id));
    if (finding_regions && finding_regions->size() != findings.size())
        return internal_error("an audit run's findings and their regions differ in number");
    GA_ASSIGN_OR_RETURN(const auto run_id, insert_run(connection, rule_ids, period, warnings, at));
    GA_TRY(upsert_findings(connection, findings, finding_regions, run_id));
    GA_TRY(deactivate_unseen(connection, rule_ids, period, run_id, scope));
    return run_id;
}

Result<std::vector<StoredFinding>> read_findings(SqliteConnection& connection, bool active_only) {
    GA_ASSIGN_OR_RETURN(
        auto select,
        connection.prepare(fmt::format("SELECT finding_id, rule_id, area, subject_kind, subject_id, period, severity, "
                                       "summary, evidence, kwh_at_risk, money_at_risk, first_run_id, last_run_id, "
                                       "active FROM findings {} ORDER BY finding_id",
                                       active_only ? "WHERE active = 1" : "")));
    std::vector<StoredFinding> findings;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return findings;
        GA_ASSIGN_OR_RETURN(auto finding, read_finding(select));
        findings.push_back(std::move(finding));
    }
}

Result<std::vector<AuditRunRecord>> read_audit_runs(SqliteConnection& connection) {
    GA_ASSIGN_OR_RETURN(auto select,
                        connection.prepare("SELECT run_id, at, period, rule_ids, warnings FROM audit_runs ORDER BY run_id"));
    std::vector<AuditRunRecord> runs;
    for (;;) {
        GA_ASSIGN_OR_RETURN(const bool has_row, select.step());
        if (!has_row) return runs;
        AuditRunRecord run;
        run.run_id = select.column_int64(0);
        run.at = select.column_text(1);
        run.period = select.column_text(2);
        run.rule_ids = strings_of_json(select.column_text(3));
        run.warnings = strings_of_json(select.column_text(4));
        runs.push_back(std::move(run));
    }
}

}  // namespace gridaudit
