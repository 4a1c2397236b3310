// Names of case states, conclusions, subject kinds and sources, as stored and printed.
#include "model/case_record.hpp"

#include <array>

namespace gridaudit {
namespace {

constexpr std::array<std::string_view, case_state_count> state_names{
    "new", "assigned", "online_check", "onsite_check", "concluded", "back_billing", "recovery", "closed"};
constexpr std::array<std::string_view, conclusion_count> conclusion_names{
    "confirmed_theft", "confirmed_violation", "billing_error", "metering_fault", "master_data_error", "no_problem"};
constexpr std::array<std::string_view, 3> subject_kind_names{"customer", "meter", "node"};
constexpr std::array<std::string_view, 3> source_names{"finding", "fee_center", "manual"};

template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names, std::string_view name) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name) return static_cast<Enum>(i);
    return std::nullopt;
}

}  // namespace

std::string_view case_state_name(CaseState state) {
    return state_names[static_cast<std::size_t>(state)];
}
std::optional<CaseState> parse_case_state(std::string_view name) {
    return parse_name<CaseState>(state_names, name);
}

std::string_view conclusion_name(Conclusion conclusion) {
    return conclusion_names[static_cast<std::size_t>(conclusion)];
}
std::optional<Conclusion> parse_conclusion(std::string_view name) {
    return parse_name<Conclusion>(conclusion_names, name);
}

std::string_view subject_kind_name(SubjectKind kind) {
    return subject_kind_names[static_cast<std::size_t>(kind)];
}
std::optional<SubjectKind> parse_subject_kind(std::string_view name) {
    return parse_name<SubjectKind>(subject_kind_names, name);
}

std::string_view case_source_name(CaseSource source) {
    return source_names[static_cast<std::size_t>(source)];
}
std::optional<CaseSource> parse_case_source(std::string_view name) {
    return parse_name<CaseSource>(source_names, name);
}

bool is_case_cause(std::string_view cause) {
    if (cause.empty() || cause.size() > 64) return false;
    for (const char c : cause) {
        const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                             c == '-' || c == '.';
        if (!allowed) return false;
    }
    return true;
}

}  // namespace gridaudit
