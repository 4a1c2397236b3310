// The JSON shapes of cases, their events, evidence and anomalies.
#include "cases/case_json.hpp"

namespace gridaudit {
namespace {

nlohmann::json optional_money(const std::optional<Money>& money) {
    return money ? nlohmann::json(money->to_string(2)) : nlohmann::json(nullptr);
}

nlohmann::json optional_number(const std::optional<double>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json case_to_json(const Case& c) {
    return {{"case_id", c.case_id},
            {"subject_kind", subject_kind_name(c.subject_kind)},
            {"subject_id", c.subject_id},
            {"cause", c.cause},
            {"unit_id", c.unit_id},
            {"state", case_state_name(c.state)},
            {"conclusion", c.conclusion ? nlohmann::json(conclusion_name(*c.conclusion)) : nlohmann::json(nullptr)},
            {"assignee", c.assignee},
            {"source", case_source_name(c.source)},
            {"opened_at", c.opened_at},
            {"state_entered_at", c.state_entered_at},
            {"due_on", c.due_on ? nlohmann::json(c.due_on->to_string()) : nlohmann::json(nullptr)},
            {"version", c.version},
            {"summary", c.summary},
            {"kwh_at_risk", optional_number(c.kwh_at_risk)},
            {"money_at_risk", optional_money(c.money_at_risk)}};
}

nlohmann::json case_event_to_json(const CaseEvent& event) {
    return {{"event_id", event.event_id}, {"at", event.at},     {"actor_user_id", event.actor_user_id},
            {"actor", event.actor},       {"kind", event.kind}, {"from_state", event.from_state},
            {"to_state", event.to_state}, {"note", event.note}};
}

nlohmann::json case_evidence_to_json(const CaseEvidence& evidence) {
    const Finding& f = evidence.finding;
    nlohmann::json details = nlohmann::json::parse(f.evidence_json, nullptr, false);
    if (details.is_discarded()) details = nullptr;
    return {{"finding_id", evidence.finding_id},
            {"attached_at", evidence.attached_at},
            {"attached_by", evidence.attached_by},
            {"rule_id", f.rule_id},
            {"area", inspection_area_code(f.area)},
            {"subject_kind", f.subject_kind},
            {"subject_id", f.subject_id},
            {"period", f.period},
            {"severity", severity_name(f.severity)},
            {"summary", f.summary},
            {"evidence", details},
            {"kwh_at_risk", optional_number(f.kwh_at_risk)},
            {"money_at_risk", optional_money(f.money_at_risk)},
            {"first_run_id", evidence.first_run_id},
            {"last_run_id", evidence.last_run_id},
            {"active", evidence.active}};
}

nlohmann::json fee_center_anomaly_to_json(const FeeCenterAnomaly& anomaly) {
    return {{"anomaly_id", anomaly.anomaly_id},         {"subject_kind", subject_kind_name(anomaly.subject_kind)},
            {"subject_id", anomaly.subject_id},         {"kind", anomaly.kind},
            {"description", anomaly.description},       {"amount", anomaly.amount.to_string(2)},
            {"found_on", anomaly.found_on.to_string()}, {"source", anomaly.source},
            {"imported_at", anomaly.imported_at}};
}

nlohmann::json case_detail_to_json(const CaseDetail& detail) {
    nlohmann::json json = case_to_json(detail.summary);
    json["events"] = nlohmann::json::array();
    for (const auto& event : detail.events) json["events"].push_back(case_event_to_json(event));
    json["evidence"] = nlohmann::json::array();
    for (const auto& evidence : detail.evidence) json["evidence"].push_back(case_evidence_to_json(evidence));
    json["anomalies"] = nlohmann::json::array();
    for (const auto& anomaly : detail.anomalies) json["anomalies"].push_back(fee_center_anomaly_to_json(anomaly));
    json["next_states"] = nlohmann::json::array();
    for (const CaseState state : detail.next_states) json["next_states"].push_back(case_state_name(state));
    return json;
}

nlohmann::json opening_report_to_json(const OpeningReport& report) {
    return {{"opened", report.opened},
            {"attached", report.attached},
            {"duplicates", report.duplicates},
            {"skipped", report.skipped},
            {"findings_linked", report.findings_linked},
            {"case_ids", report.case_ids}};
}

}  // namespace gridaudit
