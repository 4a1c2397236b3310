// Back-billing from a case: the calculator's arguments from evidence and facts, the computation,
// approval with its notice number, and payments against the notice.
#include "cases/back_billing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "access/permission.hpp"
#include "recovery/recovery_report.hpp"

namespace gridaudit {
namespace {

std::string dump(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

CaseWriter writer_of(const Actor& actor, Instant now) {
    return CaseWriter{actor.user_id, actor.username, now.to_string(0)};
}

// A back-billing, approval or payment dated before the case's last event would make its history
// run backwards (and the KPIs' days to recovery negative): refused naming both times, as the
// workflow refuses a transition dated before the current state was entered.
Status require_not_before_last_event(const CaseDetail& detail, Instant now) {
    const CaseEvent* last = nullptr;
    std::optional<Instant> last_at;
    for (const CaseEvent& event : detail.events) {
        const auto at = Instant::parse(event.at);
        if (at && (!last_at || *at > *last_at)) last = &event, last_at = at;
    }
    if (!last || now >= *last_at) return {};
    return user_error(fmt::format("case {}'s last event ({}) is at {}; a change dated {} is earlier (check the clock "
                                  "or --now)",
                                  detail.summary.case_id, last->kind, last->at, now.to_string(0)));
}

// A JSON value as a calculator argument: strings as they are, numbers as their shortest text.
std::optional<std::string> argument_text(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
    if (value.is_number_float()) return value.dump();
    return std::nullopt;
}

// An evidence number as calculator text: at most 4 decimals, no trailing zeros.
std::string quantity_text(double value) {
    std::string text = fmt::format("{:.4f}", value);
    while (text.ends_with('0')) text.pop_back();
    if (text.ends_with('.')) text.pop_back();
    return text;
}

std::optional<std::string> evidence_text(const nlohmann::json& evidence, std::string_view field) {
    const auto found = evidence.find(field);
    if (found == evidence.end() || found->is_null()) return std::nullopt;
    if (found->is_number()) return quantity_text(found->get<double>());
    return argument_text(*found);
}

struct PlanBuilder {
    BackBillingPlan plan;
    void set(std::string key, std::string value, std::string source) {
        for (auto& [k, v] : plan.arguments)
            if (k == key) {
                v = std::move(value);
                for (auto& [sk, sv] : plan.sources)
                    if (sk == key) sv = std::move(source);
                return;
            }
        plan.arguments.emplace_back(key, std::move(value));
        plan.sources.emplace_back(std::move(key), std::move(source));
    }
    void remove(std::string_view key) {
        std::erase_if(plan.arguments, [&](const auto& a) { return a.first == key; });
        std::erase_if(plan.sources, [&](const auto& a) { return a.first == key; });
    }
};

// What the evidence of `rule` says for `computation`, added to the builder.
void add_evidence(PlanBuilder& builder, const CaseEvidence& link, const nlohmann::json& evidence, Money& billed,
                  Money& recomputed, int& bills) {
    const std::string& rule = link.finding.rule_id;
    const std::string& computation = builder.plan.computation;
    const auto source = [&](std::string_view field) {
        return fmt::format("finding {} ({} {})", link.finding_id, rule, field);
    };
    if (rule == "LOSS-SUSPECT" && computation == "theft") {
        if (const auto from = evidence_text(evidence, "from")) builder.set("start", *from, source("from"));
        if (const auto to = evidence_text(evidence, "to")) builder.set("end", *to, source("to"));
        if (const auto kwh = evidence_text(evidence, "estimated_kwh"))
            builder.plan.notes.push_back(
                fmt::format("{}: the audit estimated {} kWh taken unmetered", source(""), *kwh));
    } else if (rule == "METER-MULTIPLIER-MISMATCH" && computation == "metering") {
        const auto right = evidence_text(evidence, "expected_multiplier");
        const auto recorded = evidence_text(evidence, "recorded_multiplier");
        if (!right || !recorded) return;
        builder.set("cause", "multiplier", source("correction_factor"));
        builder.set("right_ratio", *right, source("expected_multiplier"));
        builder.set("billed_ratio", *recorded, source("recorded_multiplier"));
        const auto advance = evidence.find("register_advance");
        if (advance != evidence.end() && advance->is_number())
            builder.set("recorded_kwh",
                        quantity_text(advance->get<double>() * evidence["recorded_multiplier"].get<double>()),
                        fmt::format("finding {} ({} register_advance x recorded_multiplier over {} days)",
                                    link.finding_id, rule, evidence.value("window_days", 0)));
    } else if (rule == "BILL-RECOMPUTE-MISMATCH" && computation == "billing") {
        const auto billed_text = evidence_text(evidence, "billed_total");
        const auto recomputed_text = evidence_text(evidence, "recomputed_total");
        if (!billed_text || !recomputed_text) return;
        const auto b = Money::parse(*billed_text);
        const auto r = Money::parse(*recomputed_text);
        if (!b || !r) return;
        billed += *b;
        recomputed += *r;
        ++bills;
    }
}

// "billing": the bills' recomputed minus billed totals, one amount, no penalty.
Result<Recovery> compute_billing_difference(const RecoveryArguments& arguments, const RecoveryPolicy& policy) {
    std::optional<Money> billed, recomputed;
    for (const auto& [key, value] : arguments) {
        std::optional<Money>* target = key == "billed_total"       ? &billed
                                       : key == "recomputed_total" ? &recomputed
                                                                   : nullptr;
        if (!target) return user_error(fmt::format("billing: unknown key {} (billed_total, recomputed_total)", key));
        *target = Money::parse(value);
        if (!*target) return user_error(fmt::format("billing: {} must be an amount such as 1234.56 ({})", key, value));
    }
    if (!billed || !recomputed)
        return user_error(
            "billing: needs billed_total and recomputed_total (from BILL-RECOMPUTE-MISMATCH "
            "evidence, or entered)");
    Recovery r;
    r.computation = "billing.recomputation";
    r.article = "the tariff in force (bills recomputed, no penalty)";
    r.title = "Billing error: the bills recomputed under the tariff in force minus the amounts billed";
    r.inputs = {{"billed_total", billed->to_string(2)}, {"recomputed_total", recomputed->to_string(2)}};
    const Money difference = *recomputed - *billed;
    r.steps.push_back({"difference", "recomputed_total - billed_total", difference.to_string(4), "CNY"});
    const ExactAmount exact = ExactAmount::of(difference);
    r.amounts.push_back({"difference_charge", exact, round_amount(exact, policy)});
    r.total = r.amounts.back().rounded;
    r.decimals = policy.rounding_decimals;
    r.rounding = policy.rounding_mode;
    r.currency = policy.currency;
    if (difference.units() < 0) r.notes.push_back("negative: the customer was over-billed and is refunded");
    return r;
}

Money zero() {
    return Money::from_units(0);
}

}  // namespace

Result<BackBillingFacts> parse_back_billing_facts(std::string_view json) {
    BackBillingFacts facts;
    if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return facts;
    const auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        return user_error(
            "the on-site facts must be one JSON object of calculator arguments ({\"price\": \"0.7625\"})");
    for (const auto& [key, value] : parsed.items()) {
        if (key == "computation") {
            if (!value.is_string()) return user_error("facts: computation must be a string (theft, violation, ...)");
            facts.computation = value.get<std::string>();
            continue;
        }
        if (value.is_null()) {
            facts.removed.push_back(key);
            continue;
        }
        if (value.is_array()) {
            for (const auto& element : value) {
                const auto text = argument_text(element);
                if (!text) return user_error(fmt::format("facts: {}: each element must be a string or number", key));
                facts.arguments.emplace_back(key, *text);
            }
            continue;
        }
        const auto text = argument_text(value);
        if (!text)
            return user_error(
                fmt::format("facts: {} must be a string, a number, an array of them or null ({})", key, dump(value)));
        facts.arguments.emplace_back(key, *text);
    }
    return facts;
}

std::optional<std::string_view> default_computation(Conclusion conclusion) {
    switch (conclusion) {
        case Conclusion::confirmed_theft:
            return "theft";
        case Conclusion::confirmed_violation:
            return "violation";
        case Conclusion::metering_fault:
            return "metering";
        case Conclusion::billing_error:
            return "billing";
        case Conclusion::master_data_error:
        case Conclusion::no_problem:
            return std::nullopt;
    }
    return std::nullopt;
}

Result<BackBillingPlan> plan_back_billing(const CaseDetail& detail, const BackBillingFacts& facts) {
    const Case& c = detail.summary;
    const auto fallback = c.conclusion ? default_computation(*c.conclusion) : std::nullopt;
    if (!fallback)
        return refusal_error(Refusal::conflict,
                             fmt::format("case {} is concluded {}: there is nothing to back-bill", c.case_id,
                                         c.conclusion ? conclusion_name(*c.conclusion) : "without conclusion"));
    PlanBuilder builder;
    builder.plan.computation = facts.computation.empty() ? std::string(*fallback) : facts.computation;
    const auto& known = recovery_computations();
    if (builder.plan.computation != "billing" &&
        std::find(known.begin(), known.end(), builder.plan.computation) == known.end())
        return user_error(fmt::format("facts: computation must be billing, {} ({})", fmt::join(known, ", "),
                                      builder.plan.computation));
    Money billed = zero(), recomputed = zero();
    int bills = 0;
    for (const auto& link : detail.evidence) {
        const auto evidence = nlohmann::json::parse(link.finding.evidence_json, nullptr, false);
        if (!evidence.is_object()) continue;
        add_evidence(builder, link, evidence, billed, recomputed, bills);
    }
    if (bills > 0) {
        const std::string source = fmt::format("{} BILL-RECOMPUTE-MISMATCH finding(s), summed", bills);
        builder.set("billed_total", billed.to_string(2), source);
        builder.set("recomputed_total", recomputed.to_string(2), source);
    }
    for (const auto& key : facts.removed) builder.remove(key);
    // A repeated key of the facts (a violation's loads) replaces the evidence's as a whole.
    std::vector<std::string> replaced;
    for (const auto& [key, value] : facts.arguments) {
        if (std::find(replaced.begin(), replaced.end(), key) == replaced.end()) {
            builder.remove(key);
            replaced.push_back(key);
        }
        builder.plan.arguments.emplace_back(key, value);
        builder.plan.sources.emplace_back(key, "on site");
    }
    return builder.plan;
}

Result<Recovery> compute_planned_recovery(const BackBillingPlan& plan, const RecoveryPolicy& policy) {
    if (plan.computation == "billing") return compute_billing_difference(plan.arguments, policy);
    return compute_recovery(plan.computation, plan.arguments, policy);
}

BackBillingRecord back_billing_record(std::int64_t case_id, const BackBillingPlan& plan, const Recovery& recovery) {
    BackBillingRecord record;
    record.case_id = case_id;
    record.computation = recovery.computation;
    record.article = recovery.article;
    record.title = recovery.title;
    nlohmann::json arguments = nlohmann::json::object();
    for (const auto& [key, value] : plan.arguments) {
        if (arguments.contains(key)) {
            if (!arguments[key].is_array()) arguments[key] = nlohmann::json::array({arguments[key]});
            arguments[key].push_back(value);
        } else {
            arguments[key] = value;
        }
    }
    record.arguments_json = dump(arguments);
    nlohmann::json sources = nlohmann::json::object();
    for (const auto& [key, source] : plan.sources) sources[key] = source;
    if (!plan.notes.empty()) sources["notes"] = plan.notes;
    record.sources_json = dump(sources);
    record.recovery_json = recovery_json(recovery);
    if (recovery.energy_kwh) record.energy_kwh = recovery.energy_kwh->to_double();
    for (const auto& amount : recovery.amounts)
        record.items.push_back({amount.name, amount.exact.to_string(), amount.rounded, recovery.article});
    record.total = recovery.total;
    return record;
}

std::string notice_number_for(std::int64_t case_id, CivilDate approved_on) {
    return fmt::format("BB-{}-{:06}", approved_on.year(), case_id);
}

nlohmann::json case_payment_json(const CasePayment& p) {
    return {{"payment_id", p.payment_id},       {"case_id", p.case_id},
            {"notice_number", p.notice_number}, {"amount", p.amount.to_string(2)},
            {"paid_on", p.paid_on.to_string()}, {"source", p.source},
            {"reference", p.reference},         {"note", p.note},
            {"recorded_at", p.recorded_at},     {"recorded_by", p.recorded_by}};
}

nlohmann::json back_billing_view_json(const BackBillingView& view) {
    const BackBillingRecord& r = view.record;
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : r.items)
        items.push_back({{"name", item.name},
                         {"exact", item.exact},
                         {"amount", item.amount.to_string(2)},
                         {"article", item.article}});
    nlohmann::json payments = nlohmann::json::array();
    for (const auto& p : view.payments) payments.push_back(case_payment_json(p));
    const auto parsed = [](const std::string& text) {
        auto json = nlohmann::json::parse(text, nullptr, false);
        return json.is_discarded() ? nlohmann::json(nullptr) : json;
    };
    const auto text_or_null = [](const std::string& text) {
        return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
    };
    return {{"case_id", r.case_id},
            {"state", case_state_name(view.case_summary.state)},
            {"version", view.case_summary.version},
            {"computation", r.computation},
            {"article", r.article},
            {"title", r.title},
            {"arguments", parsed(r.arguments_json)},
            {"sources", parsed(r.sources_json)},
            {"energy_kwh", r.energy_kwh ? nlohmann::json(*r.energy_kwh) : nlohmann::json(nullptr)},
            {"items", items},
            {"total", r.total.to_string(2)},
            {"currency", "CNY"},
            {"computed_at", r.computed_at},
            {"computed_by", r.computed_by},
            {"approved_at", text_or_null(r.approved_at)},
            {"approved_by", text_or_null(r.approved_by)},
            {"notice_number", text_or_null(r.notice_number)},
            {"recovered_on", r.recovered_on ? nlohmann::json(r.recovered_on->to_string()) : nlohmann::json(nullptr)},
            {"payments", payments},
            {"paid", view.paid.to_string(2)},
            {"outstanding", view.outstanding.to_string(2)},
            {"overpaid", view.overpaid.to_string(2)},
            {"payment_state", payment_state(view)},
            {"recovery", parsed(r.recovery_json)}};
}

std::string_view payment_state(const BackBillingView& view) {
    if (view.paid.units() <= 0) return "unpaid";
    if (view.overpaid.units() > 0) return "overpaid";
    return view.outstanding.units() > 0 ? "partly paid" : "paid in full";
}

nlohmann::json payment_outcome_json(const PaymentOutcome& outcome) {
    return {{"payment", case_payment_json(outcome.payment)},
            {"paid", outcome.paid.to_string(2)},
            {"outstanding", outcome.outstanding.to_string(2)},
            {"overpaid", outcome.overpaid.to_string(2)},
            {"recovered", outcome.recovered},
            {"case_state", outcome.closed_case ? nlohmann::json(case_state_name(outcome.closed_case->state))
                                               : nlohmann::json(nullptr)}};
}

Result<BackBillingView> CaseRecovery::view_of(const Case& c) {
    GA_ASSIGN_OR_RETURN(const auto record, store_->casework().back_billing(c.case_id));
    if (!record) return refusal_error(Refusal::not_found, fmt::format("case {} has no back-billing", c.case_id));
    BackBillingView view;
    view.case_summary = c;
    view.record = *record;
    GA_ASSIGN_OR_RETURN(view.payments, store_->casework().payments(c.case_id));
    view.paid = zero();
    for (const auto& p : view.payments) view.paid += p.amount;
    view.outstanding = record->total > view.paid ? record->total - view.paid : zero();
    view.overpaid = view.paid > record->total ? view.paid - record->total : zero();
    return view;
}

Result<BackBillingView> CaseRecovery::calculate(const Actor& actor, std::int64_t case_id, std::int64_t expected_version,
                                                const BackBillingFacts& facts, Instant now) {
    GA_TRY(require_permission(actor, Permission::work_case));
    GA_ASSIGN_OR_RETURN(const CaseDetail detail, workflow_->show(actor, case_id));
    GA_TRY(require_not_before_last_event(detail, now));
    Case current = detail.summary;
    if (current.state != CaseState::concluded && current.state != CaseState::back_billing)
        return refusal_error(Refusal::conflict,
                             fmt::format("case {} is {}: a back-billing is computed for a concluded case or one in "
                                         "back_billing",
                                         case_id, case_state_name(current.state)));
    if (current.version != expected_version)
        return refusal_error(Refusal::conflict,
                             fmt::format("case {} is at version {}, not {}: it changed since it was read", case_id,
                                         current.version, expected_version));
    GA_ASSIGN_OR_RETURN(const BackBillingPlan plan, plan_back_billing(detail, facts));
    GA_ASSIGN_OR_RETURN(const Recovery recovery, compute_planned_recovery(plan, policy_));
    if (current.state == CaseState::concluded) {
        TransitionRequest request{case_id, expected_version, CaseState::back_billing,
                                  fmt::format("back-billing: {} {}", recovery.computation, recovery.total.to_string(2)),
                                  std::nullopt};
        GA_ASSIGN_OR_RETURN(current, workflow_->transition(actor, request, now));
    }
    GA_TRY(store_->casework().save_back_billing(back_billing_record(case_id, plan, recovery), writer_of(actor, now)));
    return view_of(current);
}

Result<BackBillingView> CaseRecovery::approve(const Actor& actor, std::int64_t case_id, std::int64_t expected_version,
                                              Instant now) {
    GA_TRY(require_permission(actor, Permission::approve_back_billing));
    GA_ASSIGN_OR_RETURN(const CaseDetail detail, workflow_->show(actor, case_id));
    GA_TRY(require_not_before_last_event(detail, now));
    const CaseWorkflow& workflow = *workflow_;
    const std::string notice = notice_number_for(case_id, workflow.policy().local_date(now));
    GA_ASSIGN_OR_RETURN(const Case approved,
                        store_->casework().approve_back_billing(case_id, expected_version, notice,
                                                                workflow.policy().due_on(CaseState::recovery, now),
                                                                writer_of(actor, now)));
    return view_of(approved);
}

Result<PaymentOutcome> CaseRecovery::pay(const Actor& actor, std::int64_t case_id, Money amount, CivilDate paid_on,
                                         std::string_view note, Instant now) {
    GA_TRY(require_permission(actor, Permission::record_payment));
    GA_ASSIGN_OR_RETURN(const CaseDetail detail, workflow_->show(actor, case_id));
    if (amount.units() <= 0)
        return user_error(fmt::format("case {}: a payment is an amount above 0 ({})", case_id, amount.to_string(2)));
    if (paid_on > workflow_->policy().local_date(now))
        return user_error(
            fmt::format("case {}: a payment cannot be made after today ({})", case_id, paid_on.to_string()));
    GA_TRY(require_not_before_last_event(detail, now));
    GA_ASSIGN_OR_RETURN(const auto record, store_->casework().back_billing(case_id));
    if (!record || record->notice_number.empty())
        return refusal_error(Refusal::conflict,
                             fmt::format("case {} has no approved back-billing notice to pay against", case_id));
    CasePayment payment;
    payment.notice_number = record->notice_number;
    payment.amount = amount;
    payment.paid_on = paid_on;
    payment.source = "entered";
    payment.note = std::string(note);
    return store_->casework().record_payment(payment, writer_of(actor, now));
}

Result<PaymentImportReport> CaseRecovery::match_imported_payments(const Actor& actor, Instant now) {
    GA_TRY(require_permission(actor, Permission::record_payment));
    GA_ASSIGN_OR_RETURN(const auto candidates, store_->casework().unmatched_notice_payments());
    PaymentImportReport report;
    for (const auto& candidate : candidates) {
        if (candidate.case_id == 0) {
            report.unmatched.push_back(
                fmt::format("{}: no approved notice {}", candidate.reference, candidate.notice_number));
            continue;
        }
        GA_ASSIGN_OR_RETURN(const auto found, store_->cases().find_case(candidate.case_id));
        if (!found || !workflow_->scope().covers(actor, found->unit_id)) continue;
        GA_ASSIGN_OR_RETURN(auto outcome, store_->casework().record_payment(candidate, writer_of(actor, now)));
        report.recorded.push_back(std::move(outcome));
    }
    return report;
}

Result<std::vector<BackBillingView>> CaseRecovery::notices(const Actor& actor) {
    GA_TRY(require_permission(actor, Permission::read_cases));
    GA_ASSIGN_OR_RETURN(const auto records, store_->casework().back_billings());
    std::vector<BackBillingView> views;
    for (const auto& record : records) {
        if (record.notice_number.empty()) continue;
        GA_ASSIGN_OR_RETURN(const auto found, store_->cases().find_case(record.case_id));
        if (!found || !workflow_->scope().covers(actor, found->unit_id)) continue;
        GA_ASSIGN_OR_RETURN(auto view, view_of(*found));
        views.push_back(std::move(view));
    }
    std::sort(views.begin(), views.end(), [](const BackBillingView& a, const BackBillingView& b) {
        return a.record.notice_number < b.record.notice_number;
    });
    return views;
}

Result<BackBillingView> CaseRecovery::show(const Actor& actor, std::int64_t case_id) {
    GA_ASSIGN_OR_RETURN(const CaseDetail detail, workflow_->show(actor, case_id));
    return view_of(detail.summary);
}

}  // namespace gridaudit
