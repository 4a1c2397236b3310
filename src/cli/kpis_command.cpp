// `gridaudit kpis --db DB --period YYYY-MM [--policy FILE] [--as USER] [--now INSTANT] [--json]`:
// the closed loop's KPIs of a month per org unit (rolled up), person and rule, with each unit's
// assessment score (docs/kpis.md). Acts as the operator unless --as names a user of the store.
#include <fmt/core.h>

#include <chrono>

#include "cases/kpis.hpp"
#include "cli/command.hpp"
#include "cli/policy_option.hpp"
#include "core/money_text.hpp"

namespace gridaudit {
namespace {

struct KpisArguments {
    std::string db, policy, as_user, now, period;
    bool json = false;
};

std::string share_text(std::optional<double> share) {
    return share ? fmt::format("{:.1f}%", *share * 100) : std::string("-");
}

std::string days_text(std::optional<double> days) {
    return days ? fmt::format("{:.1f}", *days) : std::string("-");
}

std::string figures_line(const KpiFigures& f) {
    return fmt::format("{:>8} {:>6} {:>9} {:>8} {:>9} {:>12} {:>20} {:>20} {:>7} {:>7} {:>7}", f.findings,
                       f.cases_opened, f.concluded, share_text(f.within_deadline_share()),
                       share_text(f.confirmed_rate()), group_thousands(fmt::format("{:.0f}", f.kwh_assessed)),
                       money_text(f.money_assessed, "CNY"), money_text(f.money_recovered, "CNY"),
                       days_text(f.mean_days_to_conclusion()), days_text(f.mean_days_to_recovery()), f.overdue);
}

constexpr std::string_view header =
    "findings opened concluded  in-time confirmed kWh-assessed       money-assessed      money-recovered "
    "d-concl d-recov overdue";

}  // namespace

CommandRegistration register_kpis_command(CLI::App& app) {
    auto args = std::make_shared<KpisArguments>();
    auto* command = app.add_subcommand("kpis", "The closed loop's KPIs and assessment scores of a month");
    command->add_option("--db", args->db, "The store")->required();
    command->add_option("--period", args->period, "The month, YYYY-MM")->required();
    command->add_option("--policy", args->policy, "Policy file ([cases] calendar, [kpis] weights)");
    command->add_option("--as", args->as_user, "Act as this user of the store (default: the operator, system)");
    command->add_option("--now", args->now, "The instant to count open cases at, ISO UTC (default: the clock)");
    command->add_flag("--json", args->json, "One JSON document (the same as GET /api/kpis)");
    return {command, [=]() -> Result<int> {
                const auto period = Period::parse(args->period);
                if (!period) return user_error(fmt::format("--period must be a month YYYY-MM ({})", args->period));
                GA_ASSIGN_OR_RETURN(const Policy policy_file, load_policy_option(args->policy));
                GA_ASSIGN_OR_RETURN(const CasePolicy policy, CasePolicy::from(policy_file));
                GA_ASSIGN_OR_RETURN(const KpiWeights weights, KpiWeights::from(policy_file));
                GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db, StoreOpening::existing_only));
                Actor actor = Actor::system();
                if (!args->as_user.empty()) {
                    GA_ASSIGN_OR_RETURN(const auto user, store->access().user_by_name(args->as_user));
                    if (!user || user->disabled)
                        return user_error(fmt::format("--as: no active user {} in the store", args->as_user));
                    GA_ASSIGN_OR_RETURN(const Role role, parse_role(user->role));
                    actor = Actor{user->user_id, user->username, role, user->unit_id};
                }
                Instant now = Instant::from_unix_seconds(
                    std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())
                        .time_since_epoch()
                        .count());
                if (!args->now.empty()) {
                    const auto instant = Instant::parse(args->now);
                    if (!instant) return user_error(fmt::format("--now must be an ISO instant ({})", args->now));
                    now = *instant;
                }
                GA_ASSIGN_OR_RETURN(const KpiReport report, kpis_for(*store, policy, weights, *period, now, actor));
                if (args->json) {
                    fmt::print("{}\n", kpi_report_json(report).dump(2));
                    return 0;
                }
                fmt::print("KPIs of {} (open and overdue cases as of {})\n\n", report.period.to_string(),
                           report.as_of.to_string());
                fmt::print("{:<14} {:>6}  {}\n", "unit", "score", header);
                const auto score_text = [](std::optional<double> s) {
                    return s ? fmt::format("{:.1f}", *s) : std::string("-");
                };
                fmt::print("{:<14} {:>6}  {}\n", "(all)", score_text(report.total_score), figures_line(report.total));
                for (const auto& u : report.units)
                    fmt::print("{:<14} {:>6}  {}\n", u.unit_id, score_text(u.score), figures_line(u.figures));
                fmt::print("\n{:<14} {:>6}  {}\n", "person", "", header);
                for (const auto& p : report.people)
                    fmt::print("{:<14} {:>6}  {}\n", p.username, "", figures_line(p.figures));
                fmt::print("\nRule precision (cases concluded in the month, share not no_problem):\n");
                for (const auto& r : report.rules)
                    fmt::print("  {:<28} {:>4} concluded {:>4} confirmed {:>7}\n", r.rule_id, r.concluded, r.confirmed,
                               share_text(r.precision()));
                fmt::print("\nScore weights: within_deadline {}, confirmed_rate {}, recovery_rate {}, on_time {}\n",
                           report.weights.within_deadline, report.weights.confirmed_rate, report.weights.recovery_rate,
                           report.weights.on_time);
                return 0;
            }};
}

}  // namespace gridaudit
