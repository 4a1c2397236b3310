// Reading the `[cases]` policy section and the working-day deadlines it gives each state.
#include "cases/case_policy.hpp"

#include <fmt/format.h>

#include <cmath>

#include "rules/catalogue.hpp"
#include "rules/process/process_scope.hpp"

namespace gridaudit {
namespace {

constexpr std::string_view section = "cases";

// Working days allowed in each state, in CaseState order (closed has none). Assigning and the
// online check are desk work (2 and 5 days); a site visit is planned and made within 10; a
// conclusion is reviewed within 3; back-billing is calculated and approved within 10 and collected
// within 30.
constexpr std::array<int, case_state_count> default_deadlines{2, 2, 5, 10, 3, 10, 30, 0};

Result<Severity> severity_value(const PolicyValue& value, std::string_view where) {
    const auto* text = std::get_if<std::string>(&value);
    const auto severity = text ? parse_severity(*text) : std::nullopt;
    if (!severity) return user_error(fmt::format("{}: must be info, low, medium, high or critical", where));
    return *severity;
}

Result<double> non_negative(const PolicyValue& value, std::string_view where) {
    const auto* number = std::get_if<double>(&value);
    if (!number || !std::isfinite(*number) || *number < 0)
        return user_error(fmt::format("{}: must be a number of at least 0", where));
    return *number;
}

Status apply_threshold_key(CaseThreshold& threshold, std::string_view key, const PolicyValue& value,
                           std::string_view where) {
    if (key == "min_severity") {
        GA_ASSIGN_OR_RETURN(threshold.min_severity, severity_value(value, where));
    } else if (key == "min_money_at_risk") {
        GA_ASSIGN_OR_RETURN(const double amount, non_negative(value, where));
        const auto money = Money::parse(fmt::format("{:.4f}", amount));
        if (!money) return user_error(fmt::format("{}: not an amount ({})", where, amount));
        threshold.min_money_at_risk = *money;
    } else if (key == "min_kwh_at_risk") {
        GA_ASSIGN_OR_RETURN(threshold.min_kwh_at_risk, non_negative(value, where));
    } else if (key == "open") {
        const auto* flag = std::get_if<bool>(&value);
        if (!flag) return user_error(fmt::format("{}: must be true or false", where));
        threshold.open = *flag;
    } else {
        return user_error(fmt::format("{}: unknown key (docs/cases.md lists the keys)", where));
    }
    return {};
}

std::vector<std::string> strings_of(const PolicyValue& value) {
    const auto* list = std::get_if<std::vector<std::string>>(&value);
    return list ? *list : std::vector<std::string>{};
}

}  // namespace

CasePolicy CasePolicy::defaults() {
    CasePolicy policy;
    policy.deadlines_ = default_deadlines;
    // The published calendar parses (tests/rules cover it).
    policy.calendar_ = working_calendar(default_holidays(), default_working_days()).value_or(TariffCalendar{});
    return policy;
}

Result<CasePolicy> CasePolicy::from(const Policy& policy) {
    CasePolicy result = defaults();
    std::vector<std::string> holidays = default_holidays();
    std::vector<std::string> working_days = default_working_days();
    // The section's own keys first: areas and rules start from its thresholds.
    if (const auto found = policy.values().find(section); found != policy.values().end()) {
        for (const auto& [key, value] : found->second) {
            const std::string where = fmt::format("[{}] {}", section, key);
            if (key == "holidays" || key == "working_days") {
                if (!std::holds_alternative<std::vector<std::string>>(value))
                    return user_error(fmt::format("{}: must be a list of dates or date ranges", where));
                (key == "holidays" ? holidays : working_days) = strings_of(value);
            } else if (key == "utc_offset_hours") {
                const auto* number = std::get_if<double>(&value);
                if (!number || !std::isfinite(*number) || std::fabs(*number) > 14)
                    return user_error(fmt::format("{}: must be a number from -14 to 14", where));
                result.utc_offset_hours_ = *number;
            } else if (key == "open") {
                return user_error(fmt::format("{}: set open in [cases.area.CODE] or [cases.rule.ID]", where));
            } else {
                GA_TRY(apply_threshold_key(result.defaults_, key, value, where));
            }
        }
    }
    auto calendar = working_calendar(holidays, working_days);
    if (!calendar) return user_error(fmt::format("[{}]: {}", section, calendar.error().message()));
    result.calendar_ = std::move(*calendar);

    for (const auto& [name, keys] : policy.values()) {
        if (!name.starts_with("cases.")) continue;
        const std::string_view rest = std::string_view(name).substr(section.size() + 1);
        if (rest == "deadlines") {
            for (const auto& [key, value] : keys) {
                const std::string where = fmt::format("[{}] {}", name, key);
                const auto state = parse_case_state(key);
                if (!state || *state == CaseState::closed)
                    return user_error(
                        fmt::format("{}: not a state with a deadline (new, assigned, online_check, "
                                    "onsite_check, concluded, back_billing, recovery)",
                                    where));
                const auto* number = std::get_if<double>(&value);
                if (!number || *number != std::floor(*number) || *number < 1 || *number > 3660)
                    return user_error(fmt::format("{}: must be a whole number of working days from 1 to 3660", where));
                result.deadlines_[static_cast<std::size_t>(*state)] = static_cast<int>(*number);
            }
        } else if (rest.starts_with("area.")) {
            const std::string code(rest.substr(5));
            if (!parse_inspection_area(code))
                return user_error(fmt::format(
                    "[{}]: {} is not an inspection area (PROC, METER, BILL, LOSS, SERV, SHARE)", name, code));
            CaseThreshold threshold = result.defaults_;
            for (const auto& [key, value] : keys)
                GA_TRY(apply_threshold_key(threshold, key, value, fmt::format("[{}] {}", name, key)));
            result.by_area_[code] = threshold;
        } else if (!rest.starts_with("rule.")) {
            return user_error(
                fmt::format("[{}]: unknown section (docs/cases.md lists [cases], [cases.deadlines], "
                            "[cases.area.CODE] and [cases.rule.ID])",
                            name));
        }
    }
    // Rules last: they start from their area's thresholds.
    for (const auto& [name, keys] : policy.values()) {
        if (!name.starts_with("cases.rule.")) continue;
        const std::string rule_id = name.substr(std::string_view("cases.rule.").size());
        const Rule* rule = standard_catalogue().find(rule_id);
        if (!rule) return user_error(fmt::format("[{}]: names no rule of the catalogue (see `gridaudit rules`)", name));
        const std::string area(inspection_area_code(rule->info().area));
        const auto area_threshold = result.by_area_.find(area);
        CaseThreshold threshold = area_threshold != result.by_area_.end() ? area_threshold->second : result.defaults_;
        for (const auto& [key, value] : keys) {
            const std::string where = fmt::format("[{}] {}", name, key);
            if (key == "cause") {
                const auto* text = std::get_if<std::string>(&value);
                if (!text || !is_case_cause(*text))
                    return user_error(fmt::format("{}: must be 1 to 64 of A-Z a-z 0-9 _ - .", where));
                result.causes_[rule_id] = *text;
            } else {
                GA_TRY(apply_threshold_key(threshold, key, value, where));
            }
        }
        result.by_rule_[rule_id] = threshold;
    }
    return result;
}

CaseThreshold CasePolicy::threshold(std::string_view rule_id, InspectionArea area) const {
    if (const auto rule = by_rule_.find(rule_id); rule != by_rule_.end()) return rule->second;
    if (const auto found = by_area_.find(inspection_area_code(area)); found != by_area_.end()) return found->second;
    return defaults_;
}

bool CasePolicy::qualifies(const Finding& finding) const {
    const CaseThreshold limit = threshold(finding.rule_id, finding.area);
    if (!limit.open || finding.severity < limit.min_severity) return false;
    if (finding.money_at_risk && *finding.money_at_risk < limit.min_money_at_risk) return false;
    if (finding.kwh_at_risk && *finding.kwh_at_risk < limit.min_kwh_at_risk) return false;
    return true;
}

std::string CasePolicy::cause_for(std::string_view rule_id) const {
    if (const auto found = causes_.find(rule_id); found != causes_.end()) return found->second;
    return std::string(rule_id);
}

std::optional<int> CasePolicy::deadline_days(CaseState state) const {
    if (state == CaseState::closed) return std::nullopt;
    return deadlines_[static_cast<std::size_t>(state)];
}

std::optional<CivilDate> CasePolicy::due_on(CaseState state, Instant entered) const {
    const auto days = deadline_days(state);
    if (!days) return std::nullopt;
    return add_working_days(local_date(entered), *days);
}

CivilDate CasePolicy::add_working_days(CivilDate from, int days) const {
    CivilDate day = from;
    for (int counted = 0; counted < days;) {
        day = day + 1;
        if (calendar_.day_type(day) == DayType::workday) ++counted;
    }
    return day;
}

int CasePolicy::working_days_between(CivilDate from, CivilDate to) const {
    return gridaudit::working_days_between(calendar_, from, to);
}

CivilDate CasePolicy::local_date(Instant instant) const {
    return gridaudit::local_date(instant, utc_offset_hours_);
}

}  // namespace gridaudit
