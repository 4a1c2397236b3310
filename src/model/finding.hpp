// A finding: one rule's verdict that something in the chain looks wrong, with its evidence.
//
// Findings are identified by (rule, subject, period): a rerun over the same data replaces a
// finding instead of adding a duplicate. Thread safety: plain data.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/money.hpp"

namespace gridaudit {

// The six inspection areas of DESIGN.md.
enum class InspectionArea { PROC, METER, BILL, LOSS, SERV, SHARE };

[[nodiscard]] std::string_view inspection_area_code(InspectionArea area);
[[nodiscard]] std::optional<InspectionArea> parse_inspection_area(std::string_view code);

enum class Severity { info, low, medium, high, critical };

[[nodiscard]] std::string_view severity_name(Severity severity);
[[nodiscard]] std::optional<Severity> parse_severity(std::string_view name);

struct Finding {
    std::string rule_id;        // "METER-ROTATION-OVERDUE"
    InspectionArea area = InspectionArea::METER;
    std::string subject_kind;   // "meter", "customer", "node", "bill", "work_order"
    std::string subject_id;     // the utility's id of the subject
    std::string period;         // "YYYY-MM" the finding concerns, or "" when timeless
    Severity severity = Severity::medium;
    std::string summary;        // one line a supervisor understands
    std::string evidence_json;  // a JSON object of the values that support the finding
    std::optional<double> kwh_at_risk;
    std::optional<Money> money_at_risk;
};

}  // namespace gridaudit
