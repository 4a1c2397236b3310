// `gridaudit cases back-billing|approve|pay|payments|document|feedback`: the back-billing of a
// case from its evidence and the facts found on site, its approval, payments against the notice,
// and the case's printable documents and the month's feedback CSV for the fee center.
#include "cli/casework_command.hpp"

#include <fmt/core.h>

#include <fstream>

#include "cases/back_billing.hpp"
#include "cases/case_documents.hpp"
#include "core/money_text.hpp"
#include "report/pdf_printing.hpp"
#include "recovery/recovery_policy.hpp"
#include "rules/rule.hpp"
#include "text/file_content.hpp"

namespace gridaudit {

struct CaseworkSubcommands::Arguments {
    std::int64_t case_id = 0;
    std::int64_t version = 0;
    std::string facts, facts_file;
    std::string amount, paid_on, note;
    std::string kind, out, period;
    bool json = false;
};

namespace {

void print_view(const BackBillingView& view, bool json) {
    if (json) {
        fmt::print("{}\n", back_billing_view_json(view).dump(2));
        return;
    }
    const BackBillingRecord& r = view.record;
    fmt::print("Case {} (version {}, {}): {}\n  {}\n  {}\n", r.case_id, view.case_summary.version,
               case_state_name(view.case_summary.state), r.computation, r.title, r.article);
    if (r.energy_kwh) fmt::print("  energy: {:.4f} kWh\n", *r.energy_kwh);
    for (const auto& item : r.items)
        fmt::print("  {:<22} {:>20}   ({})\n", item.name, money_text(item.amount, money_currency), item.article);
    fmt::print("  {:<22} {:>20}\n", "total", money_text(r.total, money_currency));
    fmt::print("  notice: {}\n", r.notice_number.empty() ? "- (not approved)" : r.notice_number);
    fmt::print(
        "  paid {}, outstanding {}{}\n", money_text(view.paid, money_currency),
        money_text(view.outstanding, money_currency),
        view.overpaid.units() > 0 ? fmt::format(", overpaid {}", money_text(view.overpaid, money_currency)) : "");
}

Result<int> write_file(const std::string& path, const std::string& text, std::string_view what) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out) return user_error(fmt::format("{}: cannot write the {}", path, what));
    fmt::print("{} written to {}\n", what, path);
    return 0;
}

}  // namespace

CaseworkSubcommands::CaseworkSubcommands(CLI::App& cases) : args_(std::make_shared<Arguments>()) {
    back_billing_ = cases.add_subcommand(
        "back-billing", "Compute a concluded case's back-billing from its evidence and the facts found on site");
    back_billing_->add_option("case", args_->case_id, "Case id")->required();
    back_billing_->add_option("--version", args_->version, "The version you read")->required();
    back_billing_->add_option("--facts", args_->facts,
                              "The facts as a JSON object of calculator arguments ({\"capacity_kw\": \"3\", "
                              "\"price\": \"0.7625\"}; docs/cases.md)");
    back_billing_->add_option("--facts-file", args_->facts_file, "The same, from a file");
    back_billing_->add_flag("--json", args_->json, "One JSON document");

    approve_ = cases.add_subcommand("approve", "Approve a case's back-billing: assigns the notice number");
    approve_->add_option("case", args_->case_id, "Case id")->required();
    approve_->add_option("--version", args_->version, "The version you read")->required();
    approve_->add_flag("--json", args_->json, "One JSON document");

    pay_ = cases.add_subcommand("pay", "Record a payment against a case's back-billing notice");
    pay_->add_option("case", args_->case_id, "Case id")->required();
    pay_->add_option("--amount", args_->amount, "Amount paid, CNY")->required();
    pay_->add_option("--on", args_->paid_on, "Day paid, YYYY-MM-DD")->required();
    pay_->add_option("--note", args_->note, "Receipt or remark");
    pay_->add_flag("--json", args_->json, "One JSON document");

    payments_ = cases.add_subcommand("payments",
                                     "Record the imported payments (payments.csv notice_id) against their notices, then "
                                     "list every approved notice with its payments (imported and entered)");
    payments_->add_flag("--json", args_->json, "One JSON document");

    document_ = cases.add_subcommand("document", "Write a case's document as printable HTML (or PDF by Chromium)");
    document_->add_option("case", args_->case_id, "Case id")->required();
    document_->add_option("--kind", args_->kind, "notice, onsite, back-billing or feedback")->required();
    document_->add_option("--out", args_->out, "The file to write: FILE.html, or FILE.pdf printed by Chromium")
        ->required();

    feedback_ = cases.add_subcommand("feedback", "Write the month's feedback to the fee center as CSV");
    feedback_->add_option("--period", args_->period, "The month, YYYY-MM (cases concluded in it)")->required();
    feedback_->add_option("--out", args_->out, "The CSV file to write")->required();
}

std::optional<Result<int>> CaseworkSubcommands::run(Store& store, CaseWorkflow& workflow, const Policy& policy,
                                                    const Actor& actor, Instant now) {
    const bool chosen = back_billing_->parsed() || approve_->parsed() || pay_->parsed() || payments_->parsed() ||
                        document_->parsed() || feedback_->parsed();
    if (!chosen) return std::nullopt;
    return [&]() -> Result<int> {
        const Arguments& args = *args_;
        GA_ASSIGN_OR_RETURN(RecoveryPolicy recovery_policy, RecoveryPolicy::from(policy));
        CaseRecovery recovery(store, workflow, std::move(recovery_policy));
        if (back_billing_->parsed()) {
            std::string text = args.facts;
            if (!args.facts_file.empty()) {
                if (!text.empty()) return user_error("give --facts or --facts-file, not both");
                GA_ASSIGN_OR_RETURN(const FileContent content, FileContent::map(args.facts_file));
                text = std::string(content.bytes());
            }
            GA_ASSIGN_OR_RETURN(const BackBillingFacts facts, parse_back_billing_facts(text));
            GA_ASSIGN_OR_RETURN(const auto view, recovery.calculate(actor, args.case_id, args.version, facts, now));
            print_view(view, args.json);
            return 0;
        }
        if (approve_->parsed()) {
            GA_ASSIGN_OR_RETURN(const auto view, recovery.approve(actor, args.case_id, args.version, now));
            print_view(view, args.json);
            return 0;
        }
        if (pay_->parsed()) {
            const auto amount = Money::parse(args.amount);
            if (!amount) return user_error(fmt::format("--amount must be an amount such as 1234.56 ({})", args.amount));
            const auto paid_on = CivilDate::parse(args.paid_on);
            if (!paid_on) return user_error(fmt::format("--on must be a day YYYY-MM-DD ({})", args.paid_on));
            GA_ASSIGN_OR_RETURN(const auto outcome,
                                recovery.pay(actor, args.case_id, *amount, *paid_on, args.note, now));
            if (args.json) {
                fmt::print("{}\n", payment_outcome_json(outcome).dump(2));
                return 0;
            }
            fmt::print("Payment {} of {} against {}: paid {}, outstanding {}{}{}\n", outcome.payment.payment_id,
                       money_text(outcome.payment.amount, money_currency), outcome.payment.notice_number,
                       money_text(outcome.paid, money_currency), money_text(outcome.outstanding, money_currency),
                       outcome.overpaid.units() > 0
                           ? fmt::format(", overpaid {}", money_text(outcome.overpaid, money_currency))
                           : "",
                       outcome.closed_case ? "; recovered in full, case closed"
                       : outcome.recovered ? "; recovered in full"
                                           : "");
            return 0;
        }
        if (payments_->parsed()) {
            GA_ASSIGN_OR_RETURN(const auto report, recovery.match_imported_payments(actor, now));
            GA_ASSIGN_OR_RETURN(const auto notices, recovery.notices(actor));
            if (args.json) {
                nlohmann::json recorded = nlohmann::json::array();
                for (const auto& outcome : report.recorded) recorded.push_back(payment_outcome_json(outcome));
                nlohmann::json listed = nlohmann::json::array();
                for (const auto& view : notices) listed.push_back(back_billing_view_json(view));
                fmt::print("{}\n", nlohmann::json{{"recorded", recorded},
                                                  {"unmatched", report.unmatched},
                                                  {"notices", listed}}
                                        .dump(2));
                return 0;
            }
            for (const auto& outcome : report.recorded)
                fmt::print("{} {} against {}: outstanding {}{}\n", outcome.payment.reference,
                           money_text(outcome.payment.amount, money_currency), outcome.payment.notice_number,
                           money_text(outcome.outstanding, money_currency), outcome.closed_case ? ", case closed" : "");
            for (const auto& line : report.unmatched) fmt::print("not recorded: {}\n", line);
            fmt::print("{} payment(s) recorded, {} naming no approved notice\n", report.recorded.size(),
                       report.unmatched.size());
            for (const auto& view : notices) {
                fmt::print("\n{} (case {}): total {}, paid {}, outstanding {}{}: {}\n", view.record.notice_number,
                           view.record.case_id, money_text(view.record.total, money_currency),
                           money_text(view.paid, money_currency), money_text(view.outstanding, money_currency),
                           view.overpaid.units() > 0
                               ? fmt::format(", overpaid {}", money_text(view.overpaid, money_currency))
                               : "",
                           payment_state(view));
                for (const auto& p : view.payments)
                    fmt::print("  {} {:<12} {:>20}  {}\n", p.paid_on.to_string(),
                               p.reference.empty() ? p.source : p.reference, money_text(p.amount, money_currency),
                               p.source == "entered" ? fmt::format("entered by {}{}", p.recorded_by,
                                                                   p.note.empty() ? "" : ": " + p.note)
                                                     : p.source);
            }
            return 0;
        }
        GA_ASSIGN_OR_RETURN(const DocumentSettings settings, DocumentSettings::from(policy));
        CaseDocuments documents(store, workflow, recovery, settings);
        if (document_->parsed()) {
            const auto kind = parse_case_document_kind(args.kind);
            if (!kind)
                return user_error(
                    fmt::format("--kind must be notice, onsite, back-billing or feedback ({})", args.kind));
            const bool pdf = is_pdf_path(args.out);
            const auto chromium = pdf ? find_chromium() : std::nullopt;
            if (pdf && !chromium)
                return external_error("a PDF is printed by Debian's chromium, which is not installed (apt-get install "
                                      "chromium, or set GRIDAUDIT_CHROMIUM; or write .html)");
            GA_ASSIGN_OR_RETURN(const std::string html, documents.document(actor, args.case_id, *kind, now));
            const std::string what = fmt::format("The {} of case {}", args.kind, args.case_id);
            if (!pdf) return write_file(args.out, html, what);
            GA_TRY(print_html_to_pdf(html, args.out, PdfPrinting{*chromium}));
            fmt::print("{} printed to {}\n", what, args.out);
            return 0;
        }
        const auto period = Period::parse(args.period);
        if (!period) return user_error(fmt::format("--period must be a month YYYY-MM ({})", args.period));
        GA_ASSIGN_OR_RETURN(const auto rows, documents.feedback(actor, *period));
        return write_file(args.out, feedback_csv(rows),
                          fmt::format("The feedback of {} ({} case(s))", period->to_string(), rows.size()));
    }();
}

}  // namespace gridaudit
