// The KPIs of the closed loop: each case's facts derived once from its moves, back-billing and
// payments, then summed per unit (rolled up), person and rule.
#include "cases/kpis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "access/org_scope.hpp"
#include "access/permission.hpp"

namespace gridaudit {
namespace {

constexpr std::string_view section = "kpis";

// What one case contributes to the month.
struct CaseFacts {
    const Case* c = nullptr;
    bool opened = false;
    bool concluded = false;
    bool within_deadline = false;
    bool confirmed = false;
    std::optional<int> days_to_conclusion;
    std::optional<int> days_to_recovery;  // recovered in full in the month
    double kwh_assessed = 0;
    Money money_assessed;
    double kwh_recovered = 0;
    Money money_recovered;
    bool open_at_end = false;
    bool overdue = false;
    std::set<std::string> rules;
};

bool in_period(const CasePolicy& policy, std::string_view instant, Period period) {
    const auto at = Instant::parse(instant);
    return at && Period::of(policy.local_date(*at)) == period;
}

std::optional<CivilDate> local_day(const CasePolicy& policy, std::string_view instant) {
    const auto at = Instant::parse(instant);
    if (!at) return std::nullopt;
    return policy.local_date(*at);
}

bool is_verification_state(std::string_view state) {
    return state == "new" || state == "assigned" || state == "online_check" || state == "onsite_check";
}

CaseFacts facts_of(const Case& c, const std::vector<const CaseMove*>& moves, const std::vector<std::string>& rules,
                   std::optional<CivilDate> first_seen, const BackBillingRecord* billing,
                   const std::vector<const CasePayment*>& payments, const CasePolicy& policy, Period period,
                   CivilDate as_of) {
    CaseFacts facts;
    facts.c = &c;
    facts.rules.insert(rules.begin(), rules.end());
    facts.opened = in_period(policy, c.opened_at, period);
    const auto opened_day = local_day(policy, c.opened_at);
    const CivilDate start =
        first_seen && opened_day ? std::min(*first_seen, *opened_day) : first_seen.value_or(opened_day.value_or(as_of));

    // Replay the moves: lateness on the way to the last conclusion, and the state at as_of.
    std::string state = "new";
    std::string entered = c.opened_at;
    bool late = false, late_at_conclusion = false;
    std::string last_concluded_at;
    std::string state_at_end;
    std::string entered_at_end;
    bool counted_end = false;
    for (const CaseMove* move : moves) {
        if (move->kind == "opened") continue;
        const auto day = local_day(policy, move->at);
        if (!counted_end && day && *day > as_of) {
            state_at_end = state;
            entered_at_end = entered;
            counted_end = true;
        }
        if (move->from_state == move->to_state) continue;  // a reassignment keeps the state
        if (is_verification_state(move->from_state)) {
            const auto from = parse_case_state(move->from_state);
            const auto entered_at = Instant::parse(entered);
            if (from && entered_at && day) {
                const auto due = policy.due_on(*from, *entered_at);
                if (due && *day > *due) late = true;
            }
        }
        if (move->to_state == "concluded") {
            last_concluded_at = move->at;
            late_at_conclusion = late;
        }
        state = move->to_state;
        entered = move->at;
    }
    if (!counted_end) {
        state_at_end = state;
        entered_at_end = entered;
    }
    if (opened_day && *opened_day <= as_of && state_at_end != "closed") {
        facts.open_at_end = true;
        const auto s = parse_case_state(state_at_end);
        const auto entered_at = Instant::parse(entered_at_end);
        if (s && entered_at) {
            const auto due = policy.due_on(*s, *entered_at);
            facts.overdue = due && *due < as_of;
        }
    }
    if (c.conclusion && !last_concluded_at.empty() && in_period(policy, last_concluded_at, period)) {
        facts.concluded = true;
        facts.within_deadline = !late_at_conclusion;
        facts.confirmed = *c.conclusion != Conclusion::no_problem;
        facts.days_to_conclusion = *local_day(policy, last_concluded_at) - start;
    }
    if (billing) {
        if (!billing->approved_at.empty() && in_period(policy, billing->approved_at, period)) {
            facts.kwh_assessed = billing->energy_kwh.value_or(0);
            facts.money_assessed = billing->total;
        }
        if (billing->recovered_on && Period::of(*billing->recovered_on) == period) {
            facts.kwh_recovered = billing->energy_kwh.value_or(0);
            facts.days_to_recovery = *billing->recovered_on - start;
        }
        Money owed = billing->total;
        for (const CasePayment* p : payments) {
            const Money applied = std::max(Money::from_units(0), std::min(p->amount, owed));
            owed -= applied;
            if (Period::of(p->paid_on) == period) facts.money_recovered += applied;
        }
    }
    return facts;
}

void add(KpiFigures& figures, const CaseFacts& f) {
    figures.cases_opened += f.opened ? 1 : 0;
    if (f.concluded) {
        ++figures.concluded;
        figures.verified_within_deadline += f.within_deadline ? 1 : 0;
        figures.confirmed += f.confirmed ? 1 : 0;
        ++figures.reached_conclusion;
        figures.days_to_conclusion_sum += *f.days_to_conclusion;
    }
    figures.kwh_assessed += f.kwh_assessed;
    figures.money_assessed += f.money_assessed;
    figures.kwh_recovered += f.kwh_recovered;
    figures.money_recovered += f.money_recovered;
    if (f.days_to_recovery) {
        ++figures.reached_recovery;
        figures.days_to_recovery_sum += *f.days_to_recovery;
    }
    figures.open_at_end += f.open_at_end ? 1 : 0;
    figures.overdue += f.overdue ? 1 : 0;
}

std::optional<double> share(std::size_t part, std::size_t whole) {
    if (whole == 0) return std::nullopt;
    return double(part) / double(whole);
}

nlohmann::json optional_number(std::optional<double> value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json figures_json(const KpiFigures& f) {
    return {{"findings", f.findings},
            {"cases_opened", f.cases_opened},
            {"concluded", f.concluded},
            {"verified_within_deadline", f.verified_within_deadline},
            {"within_deadline_share", optional_number(f.within_deadline_share())},
            {"confirmed", f.confirmed},
            {"confirmed_rate", optional_number(f.confirmed_rate())},
            {"kwh_assessed", f.kwh_assessed},
            {"money_assessed", f.money_assessed.to_string(2)},
            {"kwh_recovered", f.kwh_recovered},
            {"money_recovered", f.money_recovered.to_string(2)},
            {"recovery_rate", optional_number(f.recovery_rate())},
            {"mean_days_to_conclusion", optional_number(f.mean_days_to_conclusion())},
            {"mean_days_to_recovery", optional_number(f.mean_days_to_recovery())},
            {"open_at_end", f.open_at_end},
            {"overdue", f.overdue},
            {"on_time_share", optional_number(f.on_time_share())}};
}

}  // namespace

Result<KpiWeights> KpiWeights::from(const Policy& policy) {
    KpiWeights weights;
    const auto found = policy.values().find(section);
    if (found == policy.values().end()) return weights;
    for (const auto& [key, value] : found->second) {
        double* target = key == "within_deadline"  ? &weights.within_deadline
                         : key == "confirmed_rate" ? &weights.confirmed_rate
                         : key == "recovery_rate"  ? &weights.recovery_rate
                         : key == "on_time"        ? &weights.on_time
                                                   : nullptr;
        if (!target)
            return user_error(
                fmt::format("[{}] {}: unknown key (within_deadline, confirmed_rate, recovery_rate, "
                            "on_time; docs/kpis.md)",
                            section, key));
        const double* number = std::get_if<double>(&value);
        if (!number || !(*number >= 0) || *number > 1e6)
            return user_error(fmt::format("[{}] {}: a weight is a number from 0 to 1e6", section, key));
        *target = *number;
    }
    if (weights.within_deadline + weights.confirmed_rate + weights.recovery_rate + weights.on_time <= 0)
        return user_error(fmt::format("[{}]: the weights cannot all be 0", section));
    return weights;
}

std::optional<double> KpiFigures::within_deadline_share() const {
    return share(verified_within_deadline, concluded);
}
std::optional<double> KpiFigures::confirmed_rate() const {
    return share(confirmed, concluded);
}
std::optional<double> KpiFigures::recovery_rate() const {
    if (money_assessed.units() <= 0) return std::nullopt;
    return std::min(1.0, double(money_recovered.units()) / double(money_assessed.units()));
}
std::optional<double> KpiFigures::on_time_share() const {
    if (open_at_end == 0) return std::nullopt;
    return 1.0 - double(overdue) / double(open_at_end);
}
std::optional<double> KpiFigures::mean_days_to_conclusion() const {
    if (reached_conclusion == 0) return std::nullopt;
    return days_to_conclusion_sum / double(reached_conclusion);
}
std::optional<double> KpiFigures::mean_days_to_recovery() const {
    if (reached_recovery == 0) return std::nullopt;
    return days_to_recovery_sum / double(reached_recovery);
}

std::optional<double> KpiFigures::score(const KpiWeights& weights) const {
    double sum = 0, total_weight = 0;
    const auto part = [&](std::optional<double> value, double weight) {
        if (!value || weight <= 0) return;
        sum += *value * weight;
        total_weight += weight;
    };
    part(within_deadline_share(), weights.within_deadline);
    part(confirmed_rate(), weights.confirmed_rate);
    part(recovery_rate(), weights.recovery_rate);
    part(on_time_share(), weights.on_time);
    if (total_weight <= 0) return std::nullopt;
    return 100.0 * sum / total_weight;
}

Result<KpiInput> load_kpi_input(Store& store) {
    KpiInput input;
    CaseFilter all;
    GA_ASSIGN_OR_RETURN(input.cases, store.cases().list_cases(all));
    GA_ASSIGN_OR_RETURN(input.moves, store.casework().case_moves());
    GA_ASSIGN_OR_RETURN(input.links, store.casework().case_finding_links());
    GA_ASSIGN_OR_RETURN(input.back_billings, store.casework().back_billings());
    GA_ASSIGN_OR_RETURN(input.payments, store.casework().payments(0));
    GA_ASSIGN_OR_RETURN(input.units, store.access().org_units());
    GA_ASSIGN_OR_RETURN(const auto runs, store.audit_runs());
    std::map<std::int64_t, std::string> run_at;
    for (const auto& run : runs) run_at[run.run_id] = run.at;
    GA_ASSIGN_OR_RETURN(const auto findings, store.findings(false));
    std::map<std::pair<std::string, std::string>, std::string> unit_of;  // (kind, id) -> unit
    for (const auto& stored : findings) {
        const Finding& f = stored.finding;
        const auto key = std::make_pair(f.subject_kind, f.subject_id);
        auto cached = unit_of.find(key);
        if (cached == unit_of.end()) {
            std::optional<std::string> unit;
            if (const auto kind = parse_subject_kind(f.subject_kind)) {
                GA_ASSIGN_OR_RETURN(unit, store.cases().subject_unit(*kind, f.subject_id));
            } else {
                GA_ASSIGN_OR_RETURN(const auto customer, store.cases().customer_of(f.subject_kind, f.subject_id));
                if (customer) {
                    GA_ASSIGN_OR_RETURN(unit, store.cases().subject_unit(SubjectKind::customer, *customer));
                }
            }
            cached = unit_of.emplace(key, unit.value_or("")).first;
        }
        input.findings.push_back({stored.finding_id, cached->second, run_at[stored.first_run_id]});
    }
    return input;
}

KpiReport compute_kpis(const KpiInput& input, const CasePolicy& policy, const KpiWeights& weights, Period period,
                       Instant now, const Actor& actor) {
    KpiReport report;
    report.period = period;
    report.weights = weights;
    report.as_of = std::min(period.last_day(), policy.local_date(now));
    const OrgScope scope = OrgScope::from_units(input.units);

    std::map<std::int64_t, std::vector<const CaseMove*>> moves;
    for (const auto& m : input.moves) moves[m.case_id].push_back(&m);
    std::map<std::int64_t, std::vector<std::string>> rules;
    std::map<std::int64_t, CivilDate> first_seen;
    for (const auto& link : input.links) {
        rules[link.case_id].push_back(link.rule_id);
        if (const auto day = local_day(policy, link.first_seen_at)) {
            const auto [at, inserted] = first_seen.emplace(link.case_id, *day);
            if (!inserted) at->second = std::min(at->second, *day);
        }
    }
    std::map<std::int64_t, const BackBillingRecord*> billings;
    for (const auto& b : input.back_billings) billings[b.case_id] = &b;
    std::map<std::int64_t, std::vector<const CasePayment*>> payments;
    for (const auto& p : input.payments) payments[p.case_id].push_back(&p);
    for (auto& [id, list] : payments)
        std::stable_sort(list.begin(), list.end(), [](const CasePayment* a, const CasePayment* b) {
            return a->paid_on != b->paid_on ? a->paid_on < b->paid_on : a->payment_id < b->payment_id;
        });

    std::vector<CaseFacts> facts;
    for (const Case& c : input.cases) {
        if (!scope.covers(actor, c.unit_id)) continue;
        const auto seen = first_seen.find(c.case_id);
        const auto billing = billings.find(c.case_id);
        facts.push_back(facts_of(c, moves[c.case_id], rules[c.case_id],
                                 seen == first_seen.end() ? std::nullopt : std::optional<CivilDate>(seen->second),
                                 billing == billings.end() ? nullptr : billing->second, payments[c.case_id], policy,
                                 period, report.as_of));
    }
    std::vector<const FindingOrigin*> findings;
    for (const auto& f : input.findings)
        if (scope.covers(actor, f.unit_id) && in_period(policy, f.first_seen_at, period)) findings.push_back(&f);

    for (const auto& f : facts) add(report.total, f);
    report.total.findings = findings.size();
    report.total_score = report.total.score(weights);

    // Units in tree order: roots sorted, each followed by its children, depth first.
    std::map<std::string, std::vector<std::string>> children;
    std::set<std::string> known;
    for (const auto& u : input.units) known.insert(u.unit_id);
    std::map<std::string, std::string> parent_of;
    for (const auto& u : input.units) {
        const std::string parent = known.contains(u.parent_id) ? u.parent_id : "";
        children[parent].push_back(u.unit_id);
        parent_of[u.unit_id] = u.parent_id;
    }
    for (auto& [p, list] : children) std::sort(list.begin(), list.end());
    std::set<std::string> visited;
    std::function<void(const std::string&)> visit = [&](const std::string& unit) {
        if (!visited.insert(unit).second) return;
        if (scope.covers(actor, unit)) {
            UnitKpis kpis;
            kpis.unit_id = unit;
            kpis.parent_id = parent_of[unit];
            for (const auto& f : facts)
                if (scope.is_within(f.c->unit_id, unit)) add(kpis.figures, f);
            for (const FindingOrigin* f : findings)
                if (scope.is_within(f->unit_id, unit)) ++kpis.figures.findings;
            kpis.score = kpis.figures.score(weights);
            report.units.push_back(std::move(kpis));
        }
        for (const auto& child : children[unit]) visit(child);
    };
    for (const auto& root : children[""]) visit(root);

    std::map<std::string, KpiFigures> people;
    for (const auto& f : facts)
        if (!f.c->assignee.empty()) add(people[f.c->assignee], f);
    for (auto& [name, figures] : people) report.people.push_back({name, figures});

    std::map<std::string, RulePrecision> precision;
    for (const auto& f : facts) {
        if (!f.concluded) continue;
        for (const auto& rule : f.rules) {
            RulePrecision& p = precision[rule];
            p.rule_id = rule;
            ++p.concluded;
            p.confirmed += f.confirmed ? 1 : 0;
        }
    }
    for (auto& [rule, p] : precision) report.rules.push_back(p);
    return report;
}

Result<KpiReport> kpis_for(Store& store, const CasePolicy& policy, const KpiWeights& weights, Period period,
                           Instant now, const Actor& actor) {
    GA_TRY(require_permission(actor, Permission::read_kpis));
    GA_ASSIGN_OR_RETURN(const KpiInput input, load_kpi_input(store));
    return compute_kpis(input, policy, weights, period, now, actor);
}

nlohmann::json kpi_report_json(const KpiReport& report) {
    nlohmann::json units = nlohmann::json::array();
    for (const auto& u : report.units) {
        nlohmann::json json = figures_json(u.figures);
        json["unit_id"] = u.unit_id;
        json["parent_id"] = u.parent_id;
        json["score"] = optional_number(u.score);
        units.push_back(std::move(json));
    }
    nlohmann::json people = nlohmann::json::array();
    for (const auto& p : report.people) {
        nlohmann::json json = figures_json(p.figures);
        json["username"] = p.username;
        people.push_back(std::move(json));
    }
    nlohmann::json rules = nlohmann::json::array();
    for (const auto& r : report.rules)
        rules.push_back({{"rule_id", r.rule_id},
                         {"concluded", r.concluded},
                         {"confirmed", r.confirmed},
                         {"precision", r.precision()}});
    nlohmann::json total = figures_json(report.total);
    total["score"] = optional_number(report.total_score);
    return {{"period", report.period.to_string()},
            {"as_of", report.as_of.to_string()},
            {"currency", "CNY"},
            {"weights",
             {{"within_deadline", report.weights.within_deadline},
              {"confirmed_rate", report.weights.confirmed_rate},
              {"recovery_rate", report.weights.recovery_rate},
              {"on_time", report.weights.on_time}}},
            {"total", total},
            {"units", units},
            {"people", people},
            {"rules", rules}};
}

}  // namespace gridaudit
