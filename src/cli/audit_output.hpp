// Printing an audit run for people (a table) and for programs (one JSON document).
#pragma once

#include <string>

#include "audit/audit_run.hpp"

namespace gridaudit {

void print_audit_summary(const AuditSummary& summary, std::size_t examples_per_rule);
// The per-reader and per-team reading-quality tables (the ten worst of each).
void print_reading_quality(const ReadingQualityTables& reading);
[[nodiscard]] std::string audit_summary_json(const AuditSummary& summary);

}  // namespace gridaudit
