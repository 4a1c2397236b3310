// `gridaudit cases --db DB [--policy FILE] [--as USER] [--now INSTANT] list|show|open|import|transition|
// assign|comment|dismiss`: the closed loop from the command line (docs/cases.md, docs/cli.md). The
// command acts as the operator (Actor::system(): an administrator over the whole utility) unless
// --as names a user of the store, whose role and unit then decide what it may do. "Now" is the
// clock unless --now gives an instant (tests, replays).
#include <fmt/core.h>

#include <chrono>
#include <filesystem>

#include "cases/case_json.hpp"
#include "cases/case_workflow.hpp"
#include "cases/fee_center_csv.hpp"
#include "cli/casework_command.hpp"
#include "cli/command.hpp"
#include "cli/date_options.hpp"
#include "cli/policy_option.hpp"
#include "core/money_text.hpp"
#include "rules/rule.hpp"
#include "text/file_content.hpp"

namespace gridaudit {
namespace {

struct CasesArguments {
    std::string db, policy, as_user, now, as_of;
    bool json = false;
    // list
    std::string state;
    std::size_t limit = 0;
    // show, transition, assign, comment
    std::int64_t case_id = 0;
    std::int64_t version = 0;
    std::string to, note, conclusion;
    // open
    std::vector<std::int64_t> finding_ids;
    bool dry_run = false;
    // import
    std::string file;
    // dismiss
    std::int64_t finding_id = 0;
    std::string reason;
};


Result<Instant> now_of(const CasesArguments& args) {
    if (!args.now.empty()) {
        const auto instant = Instant::parse(args.now);
        if (!instant)
            return user_error(fmt::format("--now must be an ISO instant such as 2026-10-08T09:00:00Z ({})", args.now));
        return *instant;
    }
    GA_ASSIGN_OR_RETURN(const auto as_of, date_option("--as-of", args.as_of));
    if (as_of) return Instant::from_unix_seconds(std::int64_t{as_of->days_since_epoch()} * 86400);
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    return Instant::from_unix_seconds(now.time_since_epoch().count());
}

Result<Actor> actor_of(Store& store, const CasesArguments& args) {
    if (args.as_user.empty()) return Actor::system();
    GA_ASSIGN_OR_RETURN(const auto user, store.access().user_by_name(args.as_user));
    if (!user) return user_error(fmt::format("--as: no user {} in the store (gridaudit user list)", args.as_user));
    if (user->disabled) return user_error(fmt::format("--as: user {} is disabled", args.as_user));
    GA_ASSIGN_OR_RETURN(const Role role, parse_role(user->role));
    return Actor{user->user_id, user->username, role, user->unit_id};
}

std::string risk_text(const Case& c) {
    std::string text;
    if (c.money_at_risk) text = money_text(*c.money_at_risk, money_currency);
    if (c.kwh_at_risk) text += fmt::format("{}{:.0f} kWh", text.empty() ? "" : ", ", *c.kwh_at_risk);
    return text.empty() ? "-" : text;
}

void print_case_line(const Case& c) {
    fmt::print("{:>6}  {:<12} v{:<3} {:<8} {:<12} {:<28} {:<10} due {:<10}  {}\n", c.case_id, case_state_name(c.state),
               c.version, subject_kind_name(c.subject_kind), c.subject_id, c.cause,
               c.assignee.empty() ? "-" : c.assignee, c.due_on ? c.due_on->to_string() : "-", risk_text(c));
}

void print_case(const Case& c) {
    fmt::print("Case {} (version {}): {} {} {}, {}\n", c.case_id, c.version, subject_kind_name(c.subject_kind),
               c.subject_id, c.cause, case_state_name(c.state));
    fmt::print("  unit {}, source {}, assignee {}, opened {}, in {} since {}, due {}\n",
               c.unit_id.empty() ? "-" : c.unit_id, case_source_name(c.source), c.assignee.empty() ? "-" : c.assignee,
               c.opened_at, case_state_name(c.state), c.state_entered_at, c.due_on ? c.due_on->to_string() : "-");
    if (c.conclusion) fmt::print("  conclusion: {}\n", conclusion_name(*c.conclusion));
    fmt::print("  at risk: {}\n  {}\n", risk_text(c), c.summary);
}

Result<int> run_list(CaseWorkflow& workflow, const Actor& actor, const CasesArguments& args) {
    CaseFilter filter;
    if (!args.state.empty()) {
        filter.state = parse_case_state(args.state);
        if (!filter.state)
            return user_error(
                fmt::format("--state must be new, assigned, online_check, onsite_check, concluded, "
                            "back_billing, recovery or closed ({})",
                            args.state));
    }
    filter.limit = args.limit;
    GA_ASSIGN_OR_RETURN(const auto cases, workflow.list(actor, filter));
    if (args.json) {
        nlohmann::json json = nlohmann::json::array();
        for (const auto& c : cases) json.push_back(case_to_json(c));
        fmt::print("{}\n", nlohmann::json{{"cases", json}}.dump(2));
        return 0;
    }
    fmt::print("{:>6}  {:<12} {:<4} {:<8} {:<12} {:<28} {:<10} {:<14}  {}\n", "case", "state", "ver", "subject", "",
               "cause", "assignee", "deadline", "at risk");
    for (const auto& c : cases) print_case_line(c);
    fmt::print("{} case(s)\n", cases.size());
    return 0;
}

Result<int> run_show(CaseWorkflow& workflow, const Actor& actor, const CasesArguments& args) {
    GA_ASSIGN_OR_RETURN(const CaseDetail detail, workflow.show(actor, args.case_id));
    if (args.json) {
        fmt::print("{}\n", case_detail_to_json(detail).dump(2));
        return 0;
    }
    print_case(detail.summary);
    std::vector<std::string_view> next;
    for (const CaseState s : detail.next_states) next.push_back(case_state_name(s));
    fmt::print("  next states: {}\n", next.empty() ? std::string("none") : fmt::format("{}", fmt::join(next, ", ")));
    fmt::print("Evidence ({}):\n", detail.evidence.size());
    for (const auto& e : detail.evidence)
        fmt::print("  finding {:<6} {:<26} {:<8} {} runs {}..{}{}: {}\n", e.finding_id, e.finding.rule_id,
                   severity_name(e.finding.severity), e.finding.period.empty() ? "-" : e.finding.period, e.first_run_id,
                   e.last_run_id, e.active ? "" : " (no longer produced)", e.finding.summary);
    if (!detail.anomalies.empty()) {
        fmt::print("Fee-center anomalies ({}):\n", detail.anomalies.size());
        for (const auto& a : detail.anomalies)
            fmt::print("  {} found {} {}: {} ({})\n", a.anomaly_id, a.found_on.to_string(), money_text(a.amount, money_currency),
                       a.description, a.source);
    }
    fmt::print("History:\n");
    for (const auto& e : detail.events)
        fmt::print("  {} {:<10} {:<11} {}{}\n", e.at, e.actor, e.kind,
                   e.from_state.empty() && e.to_state.empty()
                       ? std::string()
                       : fmt::format("{} -> {}  ", e.from_state.empty() ? "-" : e.from_state, e.to_state),
                   e.note);
    return 0;
}

void print_opening(const OpeningReport& report, bool json, std::string_view what) {
    if (json) {
        fmt::print("{}\n", opening_report_to_json(report).dump(2));
        return;
    }
    fmt::print(
        "{}: {} case(s) opened, {} joined an open case as evidence ({} duplicate attempt(s) recorded), {} "
        "finding(s) or anomalies linked, {} skipped\n",
        what, report.opened, report.attached, report.duplicates, report.findings_linked, report.skipped);
}

Result<int> run_open(CaseWorkflow& workflow, const Actor& actor, const CasesArguments& args, Instant now) {
    if (!args.finding_ids.empty()) {
        GA_ASSIGN_OR_RETURN(const auto report, workflow.open_for_findings(actor, args.finding_ids, now));
        print_opening(report, args.json, "Chosen findings");
        return 0;
    }
    OpenOptions options;
    options.limit = args.limit;
    options.dry_run = args.dry_run;
    GA_ASSIGN_OR_RETURN(const auto report, workflow.open_by_policy(actor, now, options));
    print_opening(report, args.json,
                  args.dry_run ? "By policy, as a dry run (what would be; nothing written)" : "By policy");
    return 0;
}

Result<int> run_import(CaseWorkflow& workflow, const Actor& actor, const CasesArguments& args, Instant now) {
    GA_ASSIGN_OR_RETURN(const FileContent content, FileContent::map(args.file));
    const std::string name = std::filesystem::path(args.file).filename().string();
    GA_ASSIGN_OR_RETURN(const auto anomalies,
                        parse_fee_center_csv(content.bytes(), name, workflow.policy().local_date(now)));
    GA_ASSIGN_OR_RETURN(const auto report, workflow.open_for_anomalies(actor, anomalies, now));
    print_opening(report, args.json, fmt::format("{} ({} anomalies)", args.file, anomalies.size()));
    return 0;
}

Result<int> print_written(const Case& c, bool json) {
    if (json)
        fmt::print("{}\n", case_to_json(c).dump(2));
    else
        print_case(c);
    return 0;
}

Result<int> run_transition(CaseWorkflow& workflow, const Actor& actor, const CasesArguments& args, Instant now) {
    TransitionRequest request;
    request.case_id = args.case_id;
    request.expected_version = args.version;
    const auto to = parse_case_state(args.to);
    if (!to)
        return user_error(
            fmt::format("--to must be a state (assigned, online_check, onsite_check, concluded, "
                        "back_billing, recovery, closed) ({})",
                        args.to));
    request.to = *to;
    request.note = args.note;
    if (!args.conclusion.empty()) {
        request.conclusion = parse_conclusion(args.conclusion);
        if (!request.conclusion)
            return user_error(
                fmt::format("--conclusion must be confirmed_theft, confirmed_violation, billing_error, "
                            "metering_fault, master_data_error or no_problem ({})",
                            args.conclusion));
    }
    GA_ASSIGN_OR_RETURN(const Case written, workflow.transition(actor, request, now));
    return print_written(written, args.json);
}

}  // namespace

CommandRegistration register_cases_command(CLI::App& app) {
    auto args = std::make_shared<CasesArguments>();
    auto* command = app.add_subcommand("cases", "Work the closed loop: cases from findings and the fee center");
    command->require_subcommand(1);
    command->add_option("--db", args->db, "The store")->required();
    command->add_option("--policy", args->policy, "Policy file with a [cases] section (docs/cases.md)");
    command->add_option("--as", args->as_user, "Act as this user of the store (default: the operator, system)");
    command->add_option("--now", args->now, "The instant to act at, ISO UTC (default: the clock)");

    auto* list = command->add_subcommand("list", "List the cases in scope");
    list->add_option("--state", args->state, "Only cases in this state");
    list->add_option("--limit", args->limit, "At most this many");
    list->add_flag("--json", args->json, "One JSON document");

    auto* show = command->add_subcommand("show", "A case with its evidence, anomalies and history");
    show->add_option("case", args->case_id, "Case id")->required();
    show->add_flag("--json", args->json, "One JSON document");

    auto* open = command->add_subcommand("open", "Open cases for the findings the policy selects (or chosen ones)");
    open->add_option("--as-of", args->as_of, "The day the cases are opened (deadlines count from it)");
    open->add_option("--finding", args->finding_ids, "Open for these finding ids, whatever the thresholds");
    open->add_option("--limit", args->limit, "Open at most this many new cases (most at risk first)");
    open->add_flag("--dry-run", args->dry_run, "Say what would open; write nothing");
    open->add_flag("--json", args->json, "One JSON document");

    auto* import = command->add_subcommand("import", "Open cases for the fee center's anomaly CSV (gridaudit formats)");
    import->add_option("file", args->file, "The anomaly CSV")->required();
    import->add_flag("--json", args->json, "One JSON document");

    auto* transition = command->add_subcommand("transition", "Move a case to its next state");
    transition->add_option("case", args->case_id, "Case id")->required();
    transition->add_option("--to", args->to, "The next state")->required();
    transition->add_option("--version", args->version, "The version you read (gridaudit cases show)")->required();
    transition->add_option("--note", args->note, "Why");
    transition->add_option("--conclusion", args->conclusion, "Entering concluded: what the check found");
    transition->add_flag("--json", args->json, "One JSON document");

    auto* assign = command->add_subcommand("assign", "Assign or reassign a case");
    assign->add_option("case", args->case_id, "Case id")->required();
    assign->add_option("--to", args->to, "The username")->required();
    assign->add_option("--version", args->version, "The version you read")->required();
    assign->add_option("--note", args->note, "Why");
    assign->add_flag("--json", args->json, "One JSON document");

    auto* comment = command->add_subcommand("comment", "Add a comment to a case's history");
    comment->add_option("case", args->case_id, "Case id")->required();
    comment->add_option("--note", args->note, "The comment")->required();

    auto* dismiss = command->add_subcommand("dismiss", "Dismiss a finding with a reason instead of opening a case");
    dismiss->add_option("finding", args->finding_id, "Finding id")->required();
    dismiss->add_option("--reason", args->reason, "Why it needs no case")->required();

    // back-billing, approve, pay, payments, document, feedback (cli/casework_command.cpp).
    auto casework = std::make_shared<CaseworkSubcommands>(*command);

    return {command, [=]() -> Result<int> {
                GA_ASSIGN_OR_RETURN(const Policy policy_file, load_policy_option(args->policy));
                GA_ASSIGN_OR_RETURN(CasePolicy policy, CasePolicy::from(policy_file));
                GA_ASSIGN_OR_RETURN(auto store, Store::open(args->db, StoreOpening::existing_only));
                GA_ASSIGN_OR_RETURN(const Actor actor, actor_of(*store, *args));
                GA_ASSIGN_OR_RETURN(const Instant now, now_of(*args));
                GA_ASSIGN_OR_RETURN(CaseWorkflow workflow, CaseWorkflow::open(*store, std::move(policy)));
                if (auto done = casework->run(*store, workflow, policy_file, actor, now)) return std::move(*done);
                if (list->parsed()) return run_list(workflow, actor, *args);
                if (show->parsed()) return run_show(workflow, actor, *args);
                if (open->parsed()) return run_open(workflow, actor, *args, now);
                if (import->parsed()) return run_import(workflow, actor, *args, now);
                if (transition->parsed()) return run_transition(workflow, actor, *args, now);
                if (assign->parsed()) {
                    GA_ASSIGN_OR_RETURN(const Case written, workflow.assign(actor, args->case_id, args->version,
                                                                            args->to, args->note, now));
                    return print_written(written, args->json);
                }
                if (comment->parsed()) {
                    GA_TRY(workflow.comment(actor, args->case_id, args->note, now));
                    fmt::print("Comment added to case {}\n", args->case_id);
                    return 0;
                }
                if (dismiss->parsed()) {
                    GA_TRY(workflow.dismiss(actor, args->finding_id, args->reason, now));
                    fmt::print("Finding {} dismissed: {}\n", args->finding_id, args->reason);
                    return 0;
                }
                return user_error("choose a cases subcommand (gridaudit cases --help)");
            }};
}

}  // namespace gridaudit
