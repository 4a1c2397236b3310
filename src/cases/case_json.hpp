// Cases as JSON, the one shape `gridaudit cases ... --json` prints and the HTTP API returns
// (docs/cases.md lists the fields): money as decimal strings in CNY, dates YYYY-MM-DD, instants ISO
// UTC, a missing value null.
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "cases/case.hpp"
#include "cases/case_workflow.hpp"

namespace gridaudit {

[[nodiscard]] nlohmann::json case_to_json(const Case& c);
[[nodiscard]] nlohmann::json case_event_to_json(const CaseEvent& event);
[[nodiscard]] nlohmann::json case_evidence_to_json(const CaseEvidence& evidence);
[[nodiscard]] nlohmann::json fee_center_anomaly_to_json(const FeeCenterAnomaly& anomaly);
// The case with "events", "evidence", "anomalies" and "next_states".
[[nodiscard]] nlohmann::json case_detail_to_json(const CaseDetail& detail);
[[nodiscard]] nlohmann::json opening_report_to_json(const OpeningReport& report);

}  // namespace gridaudit
