// What the service-process rules (PROC-*) share: the working-day calendar configured in a rule's
// parameters, local dates of step instants, and the finding skeleton.
//
// The calendar is a TariffCalendar (Saturday and Sunday off, listed holidays off, listed weekend
// make-up days worked; tariff.hpp decides the day type). Parameters list dates as "YYYY-MM-DD" or
// inclusive ranges "YYYY-MM-DD..YYYY-MM-DD". Working days between two dates count the working days
// after the first up to and including the second, so a step done the day it started took 0.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "frame/region_frame.hpp"
#include "model/finding.hpp"
#include "rules/rule.hpp"
#include "tariff/tariff.hpp"

namespace gridaudit {

// The holiday calendar of `holidays` and make-up working days `working_days` (parameter lists);
// an entry that is neither a date nor a range of dates is a user error naming it.
[[nodiscard]] Result<TariffCalendar> working_calendar(const std::vector<std::string>& holidays,
                                                      const std::vector<std::string>& working_days);

// Working days in (from, to]; 0 when `to` is not after `from`.
[[nodiscard]] int working_days_between(const TariffCalendar& calendar, CivilDate from, CivilDate to);

// "segment=days" entries of a limit parameter: the days for `segment`, if listed. Entries that do
// not parse are ignored by this lookup and reported by limits_problem().
[[nodiscard]] std::optional<int> segment_limit(const std::vector<std::string>& entries, std::string_view segment);
// The first malformed "segment=days" entry, as a message; "" when all parse.
[[nodiscard]] std::string limits_problem(std::string_view parameter, const std::vector<std::string>& entries);

// The local date of `instant` at a UTC offset of `utc_offset_hours` (fractions allowed: 5.5).
[[nodiscard]] CivilDate local_date(Instant instant, double utc_offset_hours);

// A finding of `info` about work order `order` (timeless: a rerun replaces it).
[[nodiscard]] Finding work_order_finding(const RuleInfo& info, const WorkOrderColumns& orders, std::size_t order);

// A finding that the rule's policy is unusable (`problem`), so it did not run on this region.
[[nodiscard]] Finding policy_problem_finding(const RuleInfo& info, std::string problem);

// The calendar parameters the work-order rules share: holidays, working_days (make-up days) and
// utc_offset_hours, with the published calendar as default.
[[nodiscard]] std::vector<RuleParameter> calendar_parameters();

// The working calendar of a rule's settings; when the lists do not parse, a policy-problem finding
// is added and nullopt returned (the rule then judges nothing rather than use a wrong calendar).
[[nodiscard]] std::optional<TariffCalendar> settings_calendar(const RuleInfo& info, const RuleSettings& settings,
                                                              std::vector<Finding>& findings);

// The work orders of each customer: rows of customer c are rows[first[c]] .. rows[first[c + 1] - 1],
// in acceptance order. Orders without a customer of this region are left out. O(orders + customers).
struct CustomerOrders {
    std::vector<std::uint32_t> first;
    std::vector<std::uint32_t> rows;
};
[[nodiscard]] CustomerOrders orders_by_customer(const WorkOrderColumns& orders, std::size_t customer_count);

// The meters of each customer (same layout as CustomerOrders), in MeterColumns order.
[[nodiscard]] CustomerOrders meters_by_customer(const MeterColumns& meters, std::size_t customer_count);

// The local day a finished order took effect: its connection, or its closing when it has no
// connection step; nullopt while it is not closed on or before `as_of`.
[[nodiscard]] std::optional<CivilDate> order_effective_day(const WorkOrderColumns& orders, std::size_t order,
                                                           CivilDate as_of, double utc_offset_hours);

// The factor from a meter's register to kWh: CT ratio x PT ratio when both are known (the installed
// transformers, robust to a mistyped multiplier), else the recorded multiplier, else 1.
[[nodiscard]] double register_factor(const MeterColumns& meters, std::size_t meter);

// kWh meter `meter` registered from the daily import register of day `from` to that of day `to`
// (x register_factor), using the first and last valid registers in between; NaN without daily
// series or valid registers in the span. A register that goes down counts as no consumption.
[[nodiscard]] double register_advance_kwh(const RegionFrame& frame, std::size_t meter, CivilDate from, CivilDate to);

// The published holiday and make-up working-day calendar of the People's Republic of China for
// 2024 to 2026 (State Council notices), the rules' default calendar.
[[nodiscard]] std::vector<std::string> default_holidays();
[[nodiscard]] std::vector<std::string> default_working_days();

}  // namespace gridaudit
