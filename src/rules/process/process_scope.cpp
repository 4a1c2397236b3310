// Working-day calendar, segment limits and findings shared by the PROC-* rules.
#include "rules/process/process_scope.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <tuple>

namespace gridaudit {
namespace {

// Appends the dates of `entry` ("YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD"); false when malformed.
bool add_dates(std::string_view entry, std::vector<CivilDate>& dates) {
    const auto dots = entry.find("..");
    const auto first = CivilDate::parse(entry.substr(0, dots));
    if (!first) return false;
    if (dots == std::string_view::npos) {
        dates.push_back(*first);
        return true;
    }
    const auto last = CivilDate::parse(entry.substr(dots + 2));
    if (!last || *last < *first || *last - *first > 366) return false;
    for (CivilDate d = *first; d <= *last; d = d + 1) dates.push_back(d);
    return true;
}

std::optional<std::pair<std::string_view, int>> parse_limit(std::string_view entry) {
    const auto equals = entry.find('=');
    if (equals == std::string_view::npos || equals == 0) return std::nullopt;
    const std::string_view days = entry.substr(equals + 1);
    int value = 0;
    const auto [end, error] = std::from_chars(days.data(), days.data() + days.size(), value);
    if (error != std::errc() || end != days.data() + days.size() || value < 0) return std::nullopt;
    return std::make_pair(entry.substr(0, equals), value);
}

}  // namespace

Result<TariffCalendar> working_calendar(const std::vector<std::string>& holidays,
                                        const std::vector<std::string>& working_days) {
    TariffCalendar calendar;
    for (const auto& [entries, dates, name] :
         {std::tuple{&holidays, &calendar.holidays, "holidays"}, std::tuple{&working_days, &calendar.working_days, "working_days"}}) {
        for (const std::string& entry : *entries)
            if (!add_dates(entry, *dates))
                return user_error(fmt::format("{}: '{}' is neither a date YYYY-MM-DD nor a range YYYY-MM-DD..YYYY-MM-DD",
                                              name, entry));
        std::sort(dates->begin(), dates->end());
        dates->erase(std::unique(dates->begin(), dates->end()), dates->end());
    }
    return calendar;
}

int working_days_between(const TariffCalendar& calendar, CivilDate from, CivilDate to) {
    int count = 0;
    for (CivilDate d = from + 1; d <= to; d = d + 1)
        if (calendar.day_type(d) == DayType::workday) ++count;
    return count;
}

std::optional<int> segment_limit(const std::vector<std::string>& entries, std::string_view segment) {
    for (const std::string& entry : entries)
        if (const auto limit = parse_limit(entry); limit && limit->first == segment) return limit->second;
    return std::nullopt;
}

std::string limits_problem(std::string_view parameter, const std::vector<std::string>& entries) {
    for (const std::string& entry : entries)
        if (!parse_limit(entry))
            return fmt::format("{}: '{}' is not segment=working_days (e.g. residential=5)", parameter, entry);
    return "";
}

CivilDate local_date(Instant instant, double utc_offset_hours) {
    return instant.civil_date(static_cast<int>(std::lround(utc_offset_hours * 60)));
}

Finding work_order_finding(const RuleInfo& info, const WorkOrderColumns& orders, std::size_t order) {
    Finding finding = finding_of(info, "work_order", orders.id[order]);
    return finding;
}

Finding policy_problem_finding(const RuleInfo& info, std::string problem) {
    Finding finding = finding_of(info, "policy", "rules." + info.id);
    finding.severity = Severity::high;
    finding.summary = fmt::format("{} did not run: its policy is unusable ({})", info.id, problem);
    finding.evidence_json = "{}";
    return finding;
}

CustomerOrders orders_by_customer(const WorkOrderColumns& orders, std::size_t customer_count) {
    CustomerOrders result;
    result.first.assign(customer_count + 1, 0);
    for (const CustomerIndex c : orders.customer)
        if (c.valid() && c.value() < customer_count) ++result.first[c.value() + 1];
    for (std::size_t c = 0; c < customer_count; ++c) result.first[c + 1] += result.first[c];
    result.rows.resize(result.first[customer_count]);
    std::vector<std::uint32_t> next(result.first.begin(), result.first.end() - 1);
    for (std::size_t o = 0; o < orders.size(); ++o)
        if (orders.customer[o].valid() && orders.customer[o].value() < customer_count)
            result.rows[next[orders.customer[o].value()]++] = static_cast<std::uint32_t>(o);
    return result;
}

CustomerOrders meters_by_customer(const MeterColumns& meters, std::size_t customer_count) {
    CustomerOrders result;
    result.first.assign(customer_count + 1, 0);
    for (const CustomerIndex c : meters.customer)
        if (c.valid() && c.value() < customer_count) ++result.first[c.value() + 1];
    for (std::size_t c = 0; c < customer_count; ++c) result.first[c + 1] += result.first[c];
    result.rows.resize(result.first[customer_count]);
    std::vector<std::uint32_t> next(result.first.begin(), result.first.end() - 1);
    for (std::size_t m = 0; m < meters.size(); ++m)
        if (meters.customer[m].valid() && meters.customer[m].value() < customer_count)
            result.rows[next[meters.customer[m].value()]++] = static_cast<std::uint32_t>(m);
    return result;
}

std::optional<CivilDate> order_effective_day(const WorkOrderColumns& orders, std::size_t order, CivilDate as_of,
                                             double utc_offset_hours) {
    if (!orders.closed_at[order] || local_date(*orders.closed_at[order], utc_offset_hours) > as_of) return std::nullopt;
    const Instant at = orders.connected_at[order] ? *orders.connected_at[order] : *orders.closed_at[order];
    return local_date(at, utc_offset_hours);
}

double register_factor(const MeterColumns& meters, std::size_t meter) {
    const double ct = meters.ct_ratio[meter];
    const double pt = meters.pt_ratio[meter];
    if (std::isfinite(ct) && std::isfinite(pt) && ct > 0 && pt > 0) return ct * pt;
    const double multiplier = meters.multiplier[meter];
    return std::isfinite(multiplier) && multiplier > 0 ? multiplier : 1.0;
}

double register_advance_kwh(const RegionFrame& frame, std::size_t meter, CivilDate from, CivilDate to) {
    if (!frame.has_daily()) return std::nan("");
    const DailyMatrix& daily = frame.daily;
    const CivilDate first = std::max(from, daily.first_day);
    const CivilDate last = std::min(to, daily.first_day + (daily.day_count - 1));
    std::optional<double> start, end;
    for (std::int32_t d = first - daily.first_day; d <= last - daily.first_day; ++d) {
        const double value = daily.import_at(meter, d);
        if (std::isnan(value)) continue;
        if (!start) start = value;
        end = value;
    }
    if (!start) return std::nan("");
    return std::max(0.0, *end - *start) * register_factor(frame.meters, meter);
}

std::vector<std::string> default_holidays() {
    return {// 2024 (国办发明电〔2023〕7号)
            "2024-01-01", "2024-02-10..2024-02-17", "2024-04-04..2024-04-06", "2024-05-01..2024-05-05", "2024-06-10",
            "2024-09-15..2024-09-17", "2024-10-01..2024-10-07",
            // 2025 (国办发明电〔2024〕12号)
            "2025-01-01", "2025-01-28..2025-02-04", "2025-04-04..2025-04-06", "2025-05-01..2025-05-05",
            "2025-05-31..2025-06-02", "2025-10-01..2025-10-08",
            // 2026 (国办发明电〔2025〕7号)
            "2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06", "2026-05-01..2026-05-05",
            "2026-06-19..2026-06-21", "2026-09-25..2026-09-27", "2026-10-01..2026-10-07"};
}

std::vector<std::string> default_working_days() {
    return {"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29",
            "2024-10-12", "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
            "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"};
}

std::vector<RuleParameter> calendar_parameters() {
    return {
        {"holidays", default_holidays(), "dates",
         "Non-working days (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD), every audited year; default: the published "
         "2024 to 2026 holidays."},
        {"working_days", default_working_days(), "dates",
         "Weekend days worked instead (make-up days), every audited year; default: 2024 to 2026."},
        {"utc_offset_hours", 8.0, "hours", "Local time of the utility, for the day each step happened."},
    };
}

std::optional<TariffCalendar> settings_calendar(const RuleInfo& info, const RuleSettings& settings,
                                                std::vector<Finding>& findings) {
    auto calendar = working_calendar(settings.list("holidays"), settings.list("working_days"));
    if (calendar) return std::move(*calendar);
    findings.push_back(policy_problem_finding(info, calendar.error().message()));
    return std::nullopt;
}

}  // namespace gridaudit
