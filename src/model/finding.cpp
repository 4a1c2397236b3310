// Names of inspection areas and severities, as stored and printed.
#include "model/finding.hpp"

#include <array>

namespace gridaudit {
namespace {
constexpr std::array<std::string_view, 6> area_codes{"PROC", "METER", "BILL", "LOSS", "SERV", "SHARE"};
constexpr std::array<std::string_view, 5> severity_names{"info", "low", "medium", "high", "critical"};
}  // namespace

std::string_view inspection_area_code(InspectionArea area) { return area_codes[static_cast<std::size_t>(area)]; }

std::optional<InspectionArea> parse_inspection_area(std::string_view code) {
    for (std::size_t i = 0; i < area_codes.size(); ++i)
        if (area_codes[i] == code) return static_cast<InspectionArea>(i);
    return std::nullopt;
}

std::string_view severity_name(Severity severity) { return severity_names[static_cast<std::size_t>(severity)]; }

std::optional<Severity> parse_severity(std::string_view name) {
    for (std::size_t i = 0; i < severity_names.size(); ++i)
        if (severity_names[i] == name) return static_cast<Severity>(i);
    return std::nullopt;
}

}  // namespace gridaudit
