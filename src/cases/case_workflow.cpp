// The case workflow: the state machine as a table, and the operations over the CaseStore.
#include "cases/case_workflow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

namespace gridaudit {
namespace {

using enum CaseState;

// The conclusions an online check may reach without a site visit: what the marketing and billing
// systems show by themselves (a wrong charge, a wrong record, nothing wrong). Theft, violations and
// metering faults are verified on site (the seed: "network inspection and on-site inspection").
const std::vector<Conclusion> online_conclusions{Conclusion::billing_error, Conclusion::master_data_error,
                                                 Conclusion::no_problem};
// The conclusions that bring money back through back-billing (recovery/): the rest close.
const std::vector<Conclusion> billable_conclusions{Conclusion::confirmed_theft, Conclusion::confirmed_violation,
                                                   Conclusion::billing_error, Conclusion::metering_fault};
const std::vector<Conclusion> closing_conclusions{Conclusion::master_data_error, Conclusion::no_problem};

const std::array<CaseTransition, 10> transitions{{
    {new_case, assigned, Permission::assign_case, {}, "assigned to someone (also by assign)"},
    {assigned, online_check, Permission::work_case, {}, "the online check starts"},
    {online_check, onsite_check, Permission::work_case, {}, "a site visit is needed"},
    {online_check, concluded, Permission::conclude_case, online_conclusions, "concluded from the systems alone"},
    {onsite_check, concluded, Permission::conclude_case, {}, "concluded on site"},
    {concluded, onsite_check, Permission::return_conclusion, {}, "the conclusion is returned for another check"},
    {concluded, back_billing, Permission::work_case, billable_conclusions, "the back-billing is calculated"},
    {concluded, closed, Permission::conclude_case, closing_conclusions, "nothing to recover"},
    {back_billing, recovery, Permission::approve_back_billing, {}, "the back-billing is approved and notified"},
    {recovery, closed, Permission::record_payment, {}, "the amount is recovered"},
}};

// A change dated before the case entered its current state would make its history run backwards
// (and the KPIs' days from finding to conclusion negative): refused, naming both times.
Status require_not_before_state(const Case& current, Instant now) {
    const auto entered = Instant::parse(current.state_entered_at);
    if (!entered || now >= *entered) return {};
    return user_error(fmt::format("case {} entered {} at {}; a change dated {} is earlier (check the clock or --now)",
                                  current.case_id, case_state_name(current.state), current.state_entered_at,
                                  now.to_string(0)));
}

const CaseTransition* find_transition(CaseState from, CaseState to) {
    for (const CaseTransition& t : transitions)
        if (t.from == from && t.to == to) return &t;
    return nullptr;
}

std::string state_list(const std::vector<CaseState>& states) {
    std::vector<std::string_view> names;
    for (const CaseState s : states) names.push_back(case_state_name(s));
    return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "));
}

std::string conclusion_list(const std::vector<Conclusion>& conclusions) {
    std::vector<std::string_view> names;
    for (const Conclusion c : conclusions) names.push_back(conclusion_name(c));
    return fmt::format("{}", fmt::join(names, ", "));
}

bool contains(const std::vector<Conclusion>& conclusions, Conclusion conclusion) {
    return conclusions.empty() || std::find(conclusions.begin(), conclusions.end(), conclusion) != conclusions.end();
}

CaseWriter writer_of(const Actor& actor, Instant now) {
    return CaseWriter{actor.user_id, actor.username, now.to_string(0)};
}

// The case subject of a finding: customers, meters and nodes as they are; a bill's or work
// order's customer; nothing for other subjects (collections, policies).
Result<std::optional<std::pair<SubjectKind, std::string>>> case_subject(CaseStore& cases, const Finding& finding) {
    using Subject = std::optional<std::pair<SubjectKind, std::string>>;
    if (const auto kind = parse_subject_kind(finding.subject_kind)) return Subject({*kind, finding.subject_id});
    GA_ASSIGN_OR_RETURN(const auto customer, cases.customer_of(finding.subject_kind, finding.subject_id));
    if (!customer) return Subject{};
    return Subject({SubjectKind::customer, *customer});
}

// Orders findings for opening: most money at risk first, then most kWh, then severity, then id.
bool opens_before(const StoredFinding& a, const StoredFinding& b) {
    const auto money = [](const StoredFinding& f) { return f.finding.money_at_risk.value_or(Money::from_units(0)); };
    if (money(a) != money(b)) return money(b) < money(a);
    const double kwh_a = a.finding.kwh_at_risk.value_or(0), kwh_b = b.finding.kwh_at_risk.value_or(0);
    if (kwh_a != kwh_b) return kwh_a > kwh_b;
    if (a.finding.severity != b.finding.severity) return a.finding.severity > b.finding.severity;
    return a.finding_id < b.finding_id;
}

}  // namespace

std::span<const CaseTransition> case_transitions() {
    return transitions;
}

std::vector<CaseState> next_states(CaseState from) {
    std::vector<CaseState> states;
    for (const auto& t : case_transitions())
        if (t.from == from) states.push_back(t.to);
    return states;
}

Result<CaseWorkflow> CaseWorkflow::open(Store& store, CasePolicy policy) {
    GA_ASSIGN_OR_RETURN(auto scope, OrgScope::load(store.access()));
    return CaseWorkflow(store, std::move(policy), std::move(scope));
}

Result<Case> CaseWorkflow::case_in_scope(const Actor& actor, std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(const auto found, store_->cases().find_case(case_id));
    if (!found) return refusal_error(Refusal::not_found, fmt::format("no case {}", case_id));
    GA_TRY(scope_.require(actor, found->unit_id));
    return *found;
}

Result<std::vector<CaseOpened>> CaseWorkflow::write_openings(std::vector<CaseOpening>& openings, const Actor& actor,
                                                             Instant now) {
    for (auto& opening : openings) opening.due_on = policy_.due_on(new_case, now);
    return store_->cases().open_cases(openings, writer_of(actor, now));
}

Result<OpeningReport> CaseWorkflow::open_by_policy(const Actor& actor, Instant now, const OpenOptions& options) {
    GA_TRY(require_permission(actor, Permission::open_case));
    CaseStore& cases = store_->cases();
    GA_ASSIGN_OR_RETURN(auto findings, store_->findings(true));
    GA_ASSIGN_OR_RETURN(const auto handling, cases.finding_handling());
    std::map<std::int64_t, const FindingHandling*> handled;
    for (const auto& h : handling) handled[h.finding_id] = &h;
    std::sort(findings.begin(), findings.end(), opens_before);

    OpeningReport report;
    std::vector<CaseOpening> openings;
    std::map<std::tuple<SubjectKind, std::string, std::string>, std::size_t> planned;  // subject+cause -> opening
    std::size_t new_cases = 0;
    for (const auto& stored : findings) {
        const auto h = handled.find(stored.finding_id);
        const bool taken = h != handled.end() && (h->second->case_id || h->second->dismissed);
        if (taken || !policy_.qualifies(stored.finding)) {
            ++report.skipped;
            continue;
        }
        GA_ASSIGN_OR_RETURN(const auto subject, case_subject(cases, stored.finding));
        if (!subject) {
            ++report.skipped;
            continue;
        }
        GA_ASSIGN_OR_RETURN(const auto unit, cases.subject_unit(subject->first, subject->second));
        if (!unit || !scope_.covers(actor, *unit)) {
            ++report.skipped;
            continue;
        }
        const std::string cause = policy_.cause_for(stored.finding.rule_id);
        const auto key = std::make_tuple(subject->first, subject->second, cause);
        if (const auto same = planned.find(key); same != planned.end()) {
            openings[same->second].finding_ids.push_back(stored.finding_id);
            continue;
        }
        CaseFilter open_case;
        open_case.subject_kind = subject->first;
        open_case.subject_id = subject->second;
        open_case.cause = cause;
        open_case.open_only = true;
        GA_ASSIGN_OR_RETURN(const auto existing, cases.list_cases(open_case));
        if (existing.empty()) {
            if (options.limit != 0 && new_cases >= options.limit) {
                ++report.skipped;
                continue;
            }
            ++new_cases;
        }
        CaseOpening opening;
        opening.subject_kind = subject->first;
        opening.subject_id = subject->second;
        opening.cause = cause;
        opening.unit_id = *unit;
        opening.source = CaseSource::finding;
        opening.summary = stored.finding.summary;
        opening.kwh_at_risk = stored.finding.kwh_at_risk;
        opening.money_at_risk = stored.finding.money_at_risk;
        opening.finding_ids.push_back(stored.finding_id);
        opening.reference = fmt::format("finding {}", stored.finding_id);
        planned[key] = openings.size();
        openings.push_back(std::move(opening));
    }
    for (const auto& opening : openings) report.findings_linked += opening.finding_ids.size();
    if (options.dry_run) {
        report.opened = new_cases;
        report.attached = openings.size() - new_cases;
        return report;
    }
    GA_ASSIGN_OR_RETURN(const auto outcomes, write_openings(openings, actor, now));
    for (const auto& outcome : outcomes) {
        (outcome.opened ? report.opened : report.attached) += 1;
        report.case_ids.push_back(outcome.case_id);
    }
    return report;
}

Result<OpeningReport> CaseWorkflow::open_for_findings(const Actor& actor, std::span<const std::int64_t> finding_ids,
                                                      Instant now) {
    GA_TRY(require_permission(actor, Permission::open_case));
    CaseStore& cases = store_->cases();
    GA_ASSIGN_OR_RETURN(const auto findings, store_->findings(false));
    std::map<std::int64_t, const StoredFinding*> by_id;
    for (const auto& f : findings) by_id[f.finding_id] = &f;
    std::vector<CaseOpening> openings;
    for (const std::int64_t id : finding_ids) {
        const auto found = by_id.find(id);
        if (found == by_id.end()) return refusal_error(Refusal::not_found, fmt::format("no finding {}", id));
        const Finding& finding = found->second->finding;
        GA_ASSIGN_OR_RETURN(const auto subject, case_subject(cases, finding));
        if (!subject)
            return user_error(
                fmt::format("finding {} is about a {}, not a customer, meter or node: it cannot be a case", id,
                            finding.subject_kind));
        GA_ASSIGN_OR_RETURN(const auto unit, cases.subject_unit(subject->first, subject->second));
        if (!unit)
            return refusal_error(Refusal::not_found, fmt::format("finding {}: no {} {} in the store", id,
                                                                 subject_kind_name(subject->first), subject->second));
        GA_TRY(scope_.require(actor, *unit));
        CaseOpening opening;
        opening.subject_kind = subject->first;
        opening.subject_id = subject->second;
        opening.cause = policy_.cause_for(finding.rule_id);
        opening.unit_id = *unit;
        opening.source = CaseSource::manual;
        opening.summary = finding.summary;
        opening.kwh_at_risk = finding.kwh_at_risk;
        opening.money_at_risk = finding.money_at_risk;
        opening.finding_ids.push_back(id);
        opening.duplicate_if_open = true;
        opening.reference = fmt::format("finding {}", id);
        openings.push_back(std::move(opening));
    }
    GA_ASSIGN_OR_RETURN(const auto outcomes, write_openings(openings, actor, now));
    OpeningReport report;
    report.findings_linked = openings.size();
    for (const auto& outcome : outcomes) {
        (outcome.opened ? report.opened : report.attached) += 1;
        if (outcome.duplicate) ++report.duplicates;
        report.case_ids.push_back(outcome.case_id);
    }
    return report;
}

Result<OpeningReport> CaseWorkflow::open_for_anomalies(const Actor& actor, std::span<const FeeCenterAnomaly> anomalies,
                                                       Instant now) {
    GA_TRY(require_permission(actor, Permission::open_case));
    CaseStore& cases = store_->cases();
    std::vector<CaseOpening> openings;
    for (const auto& anomaly : anomalies) {
        GA_ASSIGN_OR_RETURN(const auto unit, cases.subject_unit(anomaly.subject_kind, anomaly.subject_id));
        if (!unit)
            return refusal_error(Refusal::not_found,
                                 fmt::format("{}: no {} {} in the store", anomaly.source,
                                             subject_kind_name(anomaly.subject_kind), anomaly.subject_id));
        GA_TRY(scope_.require(actor, *unit));
        CaseOpening opening;
        opening.subject_kind = anomaly.subject_kind;
        opening.subject_id = anomaly.subject_id;
        opening.cause = anomaly.kind;
        opening.unit_id = *unit;
        opening.source = CaseSource::fee_center;
        opening.summary = anomaly.description;
        if (anomaly.amount.units() > 0) opening.money_at_risk = anomaly.amount;
        opening.anomaly = anomaly;
        opening.duplicate_if_open = true;
        opening.reference = anomaly.source;
        openings.push_back(std::move(opening));
    }
    GA_ASSIGN_OR_RETURN(const auto outcomes, write_openings(openings, actor, now));
    OpeningReport report;
    report.findings_linked = openings.size();
    for (const auto& outcome : outcomes) {
        (outcome.opened ? report.opened : report.attached) += 1;
        if (outcome.duplicate) ++report.duplicates;
        report.case_ids.push_back(outcome.case_id);
    }
    return report;
}

Status CaseWorkflow::dismiss(const Actor& actor, std::int64_t finding_id, std::string_view reason, Instant now) {
    GA_TRY(require_permission(actor, Permission::dismiss_finding));
    if (reason.find_first_not_of(" \t") == std::string_view::npos) return user_error("a dismissal needs a reason");
    GA_ASSIGN_OR_RETURN(const auto findings, store_->findings(false));
    const auto found = std::find_if(findings.begin(), findings.end(),
                                    [&](const StoredFinding& f) { return f.finding_id == finding_id; });
    if (found == findings.end()) return refusal_error(Refusal::not_found, fmt::format("no finding {}", finding_id));
    GA_ASSIGN_OR_RETURN(const auto subject, case_subject(store_->cases(), found->finding));
    if (subject) {
        GA_ASSIGN_OR_RETURN(const auto unit, store_->cases().subject_unit(subject->first, subject->second));
        GA_TRY(scope_.require(actor, unit.value_or("")));
    } else {
        GA_TRY(scope_.require(actor, ""));
    }
    return store_->cases().dismiss_finding(finding_id, reason, writer_of(actor, now));
}

Result<Case> CaseWorkflow::transition(const Actor& actor, const TransitionRequest& request, Instant now) {
    GA_ASSIGN_OR_RETURN(const Case current, case_in_scope(actor, request.case_id));
    GA_TRY(require_not_before_state(current, now));
    const CaseTransition* edge = find_transition(current.state, request.to);
    if (!edge)
        return refusal_error(Refusal::conflict,
                             fmt::format("case {} cannot go from {} to {}; allowed next states: {}", current.case_id,
                                         case_state_name(current.state), case_state_name(request.to),
                                         state_list(next_states(current.state))));
    if (request.to == assigned)
        return user_error(fmt::format("case {} is assigned with assign, which names the assignee", current.case_id));
    if (request.to == recovery)
        return refusal_error(Refusal::conflict,
                             fmt::format("case {} goes to recovery when its back-billing is approved (gridaudit cases "
                                         "approve), which assigns the notice number",
                                         current.case_id));
    GA_TRY(require_permission(actor, edge->permission));
    if (actor.role == Role::inspector && current.assignee != actor.username)
        return refusal_error(Refusal::forbidden,
                             fmt::format("case {} is assigned to {}, not to {}", current.case_id,
                                         current.assignee.empty() ? "nobody" : current.assignee, actor.username));
    std::optional<Conclusion> conclusion = current.conclusion;
    if (request.to == concluded) {
        if (!request.conclusion)
            return user_error(fmt::format(
                "concluding case {} needs a conclusion ({})", current.case_id,
                conclusion_list(edge->conclusions.empty()
                                    ? std::vector<Conclusion>{Conclusion::confirmed_theft,
                                                              Conclusion::confirmed_violation,
                                                              Conclusion::billing_error, Conclusion::metering_fault,
                                                              Conclusion::master_data_error, Conclusion::no_problem}
                                    : edge->conclusions)));
        if (!contains(edge->conclusions, *request.conclusion))
            return refusal_error(
                Refusal::conflict,
                fmt::format("case {}: {} cannot be concluded from {}; from {} only: {}", current.case_id,
                            conclusion_name(*request.conclusion), case_state_name(current.state),
                            case_state_name(current.state), conclusion_list(edge->conclusions)));
        conclusion = request.conclusion;
    } else {
        if (request.conclusion)
            return user_error(fmt::format("a conclusion is given only when concluding (case {} goes to {})",
                                          current.case_id, case_state_name(request.to)));
        if (current.state == concluded && (!current.conclusion || !contains(edge->conclusions, *current.conclusion)))
            return refusal_error(
                Refusal::conflict,
                fmt::format("case {} concluded {} cannot go to {} (that is for {})", current.case_id,
                            current.conclusion ? conclusion_name(*current.conclusion) : "without conclusion",
                            case_state_name(request.to), conclusion_list(edge->conclusions)));
        if (request.to == onsite_check && current.state == concluded) conclusion.reset();  // returned
    }
    CaseUpdate update;
    update.case_id = current.case_id;
    update.expected_version = request.expected_version;
    update.state = request.to;
    update.conclusion = conclusion;
    update.assignee = current.assignee;
    update.state_entered_at = now.to_string(0);
    update.due_on = policy_.due_on(request.to, now);
    update.event_kind = "transition";
    update.note = request.note;
    return store_->cases().update_case(update, writer_of(actor, now));
}

Result<Case> CaseWorkflow::assign(const Actor& actor, std::int64_t case_id, std::int64_t expected_version,
                                  std::string_view assignee, std::string_view note, Instant now) {
    GA_TRY(require_permission(actor, Permission::assign_case));
    GA_ASSIGN_OR_RETURN(const Case current, case_in_scope(actor, case_id));
    if (current.state == closed)
        return refusal_error(Refusal::conflict, fmt::format("case {} is closed: it cannot be assigned", case_id));
    GA_TRY(require_not_before_state(current, now));
    if (assignee.empty() || assignee.size() > 64)
        return user_error(fmt::format("case {}: an assignee is a username of 1 to 64 characters", case_id));
    CaseUpdate update;
    update.case_id = case_id;
    update.expected_version = expected_version;
    update.state = current.state == new_case ? assigned : current.state;
    update.conclusion = current.conclusion;
    update.assignee = std::string(assignee);
    update.state_entered_at = update.state != current.state ? now.to_string(0) : current.state_entered_at;
    update.due_on = update.state != current.state ? policy_.due_on(update.state, now) : current.due_on;
    update.event_kind = "assignment";
    update.note =
        note.empty() ? fmt::format("assigned to {}", assignee) : fmt::format("assigned to {}: {}", assignee, note);
    return store_->cases().update_case(update, writer_of(actor, now));
}

Status CaseWorkflow::comment(const Actor& actor, std::int64_t case_id, std::string_view note, Instant now) {
    GA_TRY(require_permission(actor, Permission::read_cases));
    GA_ASSIGN_OR_RETURN(const Case current, case_in_scope(actor, case_id));
    if (note.find_first_not_of(" \t") == std::string_view::npos) return user_error("a comment needs text");
    return store_->cases().add_comment(current.case_id, note, writer_of(actor, now));
}

Status CaseWorkflow::attach_evidence(const Actor& actor, std::int64_t case_id,
                                     std::span<const std::int64_t> finding_ids, Instant now) {
    GA_TRY(require_permission(actor, Permission::work_case));
    GA_ASSIGN_OR_RETURN(const Case current, case_in_scope(actor, case_id));
    return store_->cases().attach_findings(current.case_id, finding_ids, writer_of(actor, now));
}

Result<std::vector<Case>> CaseWorkflow::list(const Actor& actor, CaseFilter filter) {
    GA_TRY(require_permission(actor, Permission::read_cases));
    filter.unit_ids = scope_.units_of(actor);
    // A unit the tree does not know is covered only by the whole utility: the actor's own unit
    // lists nothing then, as OrgScope::covers says.
    return store_->cases().list_cases(filter);
}

Result<CaseDetail> CaseWorkflow::show(const Actor& actor, std::int64_t case_id) {
    GA_TRY(require_permission(actor, Permission::read_cases));
    CaseDetail detail;
    GA_ASSIGN_OR_RETURN(detail.summary, case_in_scope(actor, case_id));
    GA_ASSIGN_OR_RETURN(detail.events, store_->cases().case_events(case_id));
    GA_ASSIGN_OR_RETURN(detail.evidence, store_->cases().case_evidence(case_id));
    GA_ASSIGN_OR_RETURN(detail.anomalies, store_->cases().case_anomalies(case_id));
    detail.next_states = next_states(detail.summary.state);
    return detail;
}

}  // namespace gridaudit
