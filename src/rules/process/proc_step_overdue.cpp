// PROC-STEP-OVERDUE: a work-order step over its time limit in working days for the order's segment.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "rules/evidence.hpp"
#include "rules/process/process_rules.hpp"
#include "rules/process/process_scope.hpp"

namespace gridaudit {
namespace {

class ProcStepOverdueRule final : public Rule {
public:
    ProcStepOverdueRule() {
        info_.id = "PROC-STEP-OVERDUE";
        info_.area = InspectionArea::PROC;
        info_.title = "Work-order step over its time limit";
        info_.description =
            "A service work order (connection, capacity change, suspension, meter change...) whose step took "
            "longer than the published commitment, counted in working days for the order's segment (residential, "
            "low-voltage non-residential, high-voltage single or dual source). Steps: supply plan (from "
            "acceptance), design review (from the plan), completion check (from the design review or plan), "
            "connection (from the completion check, or from acceptance when there is none) and the whole process "
            "(acceptance to connection, or to closing for an order closed without connection). An open order is "
            "measured up to the audit day. Two presets from the published rules: the current one (whole process "
            "only: residential 5, low-voltage 6, high-voltage single 22, dual 32 working days; the default) and "
            "the older one (supply plan residential 3, low-voltage 7, high-voltage single 15, dual 30; connection "
            "residential 3, others 5; no whole-process limit). Working days skip weekends and the listed holidays "
            "and count the listed weekend make-up days; configure both lists for every audited year.";
        info_.parameters = {
            {"whole_process_days",
             std::vector<std::string>{"residential=5", "lv_nonresidential=6", "hv_single=22", "hv_dual=32"},
             "working days",
             "Acceptance to connection, per segment as segment=days; empty: not judged. Current preset: "
             "residential=5, lv_nonresidential=6, hv_single=22, hv_dual=32. Older preset: empty."},
            {"plan_days", std::vector<std::string>{}, "working days",
             "Acceptance to supply plan answered. Current preset: empty (not judged). Older preset: residential=3, "
             "lv_nonresidential=7, hv_single=15, hv_dual=30."},
            {"design_days", std::vector<std::string>{}, "working days",
             "Supply plan to design review done. Neither preset sets a limit."},
            {"check_days", std::vector<std::string>{}, "working days",
             "Design review (or supply plan) to completion check done. Neither preset sets a limit."},
            {"connection_days", std::vector<std::string>{}, "working days",
             "Completion check (or acceptance, when the order has none) to connection. Current preset: empty. "
             "Older preset: residential=3, lv_nonresidential=5, hv_single=5, hv_dual=5."},
            {"order_types",
             std::vector<std::string>{"new_connection", "capacity_increase", "capacity_decrease", "suspension",
                                      "resumption", "category_change", "meter_change", "temporary_supply", "closure"},
             "", "Work-order types judged (complaints have their own limit, SERV-COMPLAINT-OVERDUE)."},
            {"staged_types", std::vector<std::string>{"new_connection", "capacity_increase", "temporary_supply"}, "",
             "Types that pass through supply plan, design and check: an open order of these types is also judged "
             "on its next pending step."},
        };
        for (auto& parameter : calendar_parameters()) info_.parameters.push_back(std::move(parameter));
        info_.evidence_fields = {"order_type", "segment", "customer_id", "steps"};
        info_.truth_anomalies = {"work_order_overdue"};
    }

    const RuleInfo& info() const override { return info_; }

    void evaluate(const RuleContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) const override {
        const WorkOrderColumns& orders = context.frame.work_orders;
        if (orders.size() == 0) return;
        const auto calendar = settings_calendar(info_, settings, findings);
        if (!calendar) return;
        std::array<const std::vector<std::string>*, step_count> limits{};
        for (std::size_t s = 0; s < step_count; ++s) {
            limits[s] = &settings.list(step_parameter[s]);
            if (std::string problem = limits_problem(step_parameter[s], *limits[s]); !problem.empty()) {
                findings.push_back(policy_problem_finding(info_, std::move(problem)));
                return;
            }
        }
        const auto& types = settings.list("order_types");
        const auto& staged = settings.list("staged_types");
        const double offset = settings.number("utc_offset_hours");
        const auto listed = [](const std::vector<std::string>& list, const std::string& value) {
            return std::find(list.begin(), list.end(), value) != list.end();
        };

        for (std::size_t o = 0; o < orders.size(); ++o) {
            if (!listed(types, orders.type[o])) continue;
            const CivilDate accepted = local_date(orders.accepted_at[o], offset);
            if (accepted > context.as_of) continue;  // accepted after the audit day
            // Local dates of the chain: accepted, plan, design, check, connection (nullopt when not done
            // or done after the audit day).
            std::array<std::optional<CivilDate>, 5> done{accepted};
            const std::array<const std::optional<Instant>*, 4> instants{&orders.plan_at[o], &orders.design_at[o],
                                                                        &orders.checked_at[o], &orders.connected_at[o]};
            for (std::size_t s = 0; s < 4; ++s)
                if (*instants[s] && local_date(**instants[s], offset) <= context.as_of)
                    done[s + 1] = local_date(**instants[s], offset);
            std::optional<CivilDate> closed;
            if (orders.closed_at[o] && local_date(*orders.closed_at[o], offset) <= context.as_of)
                closed = local_date(*orders.closed_at[o], offset);
            const bool open = !done[4] && !closed;
            std::size_t last_done = 0;
            for (std::size_t s = 1; s < 5; ++s)
                if (done[s]) last_done = s;

            nlohmann::json steps = nlohmann::json::array();
            double worst_ratio = 0;
            const auto judge = [&](std::size_t step, CivilDate from, std::optional<CivilDate> to) {
                const auto limit = segment_limit(*limits[step], orders.segment[o]);
                if (!limit) return;
                const CivilDate end = to.value_or(context.as_of);
                const int days = working_days_between(*calendar, from, end);
                if (days <= *limit) return;
                worst_ratio = std::max(worst_ratio, *limit > 0 ? static_cast<double>(days) / *limit : 99.0);
                steps.push_back({{"step", step_name[step]},
                                 {"from", from.to_string()},
                                 {"to", end.to_string()},
                                 {"open", !to.has_value()},
                                 {"working_days", days},
                                 {"limit", *limit}});
            };
            // Steps 0..3 of the limits: plan, design, check, connection (chain positions 1..4).
            for (std::size_t s = 1; s <= 4; ++s) {
                std::optional<CivilDate> from;
                if (s == 4) {
                    from = done[3] ? done[3] : done[0];
                } else {
                    for (std::size_t earlier = 0; earlier < s; ++earlier)
                        if (done[earlier]) from = done[earlier];
                }
                if (done[s]) {
                    judge(s - 1, *from, done[s]);
                } else if (open && s > last_done && listed(staged, orders.type[o])) {
                    // The next pending step with a limit for the segment, measured to the audit day.
                    if (segment_limit(*limits[s - 1], orders.segment[o])) {
                        judge(s - 1, *from, std::nullopt);
                        break;
                    }
                }
            }
            // The whole process.
            if (done[4]) judge(whole, accepted, done[4]);
            else if (closed) judge(whole, accepted, closed);
            else judge(whole, accepted, std::nullopt);
            if (steps.empty()) continue;

            Finding finding = work_order_finding(info_, orders, o);
            finding.severity = worst_ratio >= 2 ? Severity::high : Severity::medium;
            std::vector<std::string> parts;
            for (const auto& step : steps)
                parts.push_back(fmt::format("{} {} working days against {}{}", step["step"].get<std::string>(),
                                            step["working_days"].get<int>(), step["limit"].get<int>(),
                                            step["open"].get<bool>() ? " (still open)" : ""));
            finding.summary = fmt::format("work order {} ({} {}{}) over its time limit: {}", orders.id[o],
                                          orders.type[o], orders.segment[o],
                                          orders.customer_id[o].empty() ? "" : ", customer " + orders.customer_id[o],
                                          fmt::join(parts, "; "));
            finding.evidence_json = Evidence(info_)
                                        .text("order_type", orders.type[o])
                                        .text("segment", orders.segment[o])
                                        .text("customer_id", orders.customer_id[o])
                                        .json("steps", std::move(steps))
                                        .dump();
            findings.push_back(std::move(finding));
        }
    }

private:
    static constexpr std::size_t step_count = 5;
    static constexpr std::size_t whole = 4;
    static constexpr std::array<const char*, step_count> step_parameter{"plan_days", "design_days", "check_days",
                                                                        "connection_days", "whole_process_days"};
    static constexpr std::array<const char*, step_count> step_name{"supply plan", "design review", "completion check",
                                                                   "connection", "whole process"};
    RuleInfo info_;
};

}  // namespace

std::unique_ptr<Rule> make_proc_step_overdue_rule() { return std::make_unique<ProcStepOverdueRule>(); }

}  // namespace gridaudit
