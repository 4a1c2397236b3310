// The case documents as HTML pages and the fee center's feedback CSV.
#include "cases/case_documents.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "access/permission.hpp"
#include "model/import_contract.hpp"
#include "model/rows.hpp"
#include "core/money_text.hpp"
#include "rules/rule.hpp"
#include "text/html_text.hpp"

namespace gridaudit {
namespace {

// The report's page style (report/report_html.cpp), with a print layout for A4.
constexpr std::string_view style =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1d2733;max-width:900px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:22px 0 4px}
p.note{color:#555;font-size:13px;margin:2px 0 8px}
table{border-collapse:collapse;font-size:13px;margin:4px 0 8px}
th{background:#dde4ee;text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid #889}
td{padding:3px 6px;border-bottom:1px solid #e3e6ea;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:bold;border-top:2px solid #889}
.draft{color:#b00020;font-weight:bold}
.sign{margin-top:36px;display:flex;gap:64px}.sign div{border-top:1px solid #1d2733;padding-top:4px;min-width:200px}
@media print{body{margin:0}@page{size:A4;margin:18mm}}
)";

class Page {
public:
    Page(std::string_view title, std::string_view subtitle) {
        html_ = fmt::format(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{0}</title>\n"
            "<style>\n{1}</style>\n</head>\n<body>\n<h1>{0}</h1>\n<p class=\"note\">{2}</p>\n",
            html_escape(title), style, html_escape(subtitle));
    }
    void heading(std::string_view text) { html_ += fmt::format("<h2>{}</h2>\n", html_escape(text)); }
    void paragraph(std::string_view text, std::string_view css_class = "") {
        html_ += css_class.empty() ? fmt::format("<p>{}</p>\n", html_escape(text))
                                   : fmt::format("<p class=\"{}\">{}</p>\n", css_class, html_escape(text));
    }
    // A two-column table of fields.
    void fields(const std::vector<std::pair<std::string, std::string>>& rows) {
        html_ += "<table>\n";
        for (const auto& [name, value] : rows)
            html_ += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", html_escape(name), html_escape(value));
        html_ += "</table>\n";
    }
    // A table with a header; columns listed in `numeric` are right-aligned; a last row marked total.
    void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
               std::vector<bool> numeric = {}, bool last_is_total = false) {
        numeric.resize(header.size(), false);
        html_ += "<table>\n<thead><tr>";
        for (const auto& h : header) html_ += fmt::format("<th>{}</th>", html_escape(h));
        html_ += "</tr></thead>\n<tbody>\n";
        for (std::size_t r = 0; r < rows.size(); ++r) {
            html_ += last_is_total && r + 1 == rows.size() ? "<tr class=\"total\">" : "<tr>";
            for (std::size_t c = 0; c < rows[r].size(); ++c)
                html_ += fmt::format("<td{}>{}</td>", c < numeric.size() && numeric[c] ? " class=\"n\"" : "",
                                     html_escape(rows[r][c]));
            html_ += "</tr>\n";
        }
        html_ += "</tbody></table>\n";
    }
    void signatures(const std::vector<std::string>& who) {
        html_ += "<div class=\"sign\">";
        for (const auto& w : who) html_ += fmt::format("<div>{}</div>", html_escape(w));
        html_ += "</div>\n";
    }
    std::string finish() { return html_ + "</body>\n</html>\n"; }

private:
    std::string html_;
};

std::string subject_text(const Case& c) {
    return fmt::format("{} {}", subject_kind_name(c.subject_kind), c.subject_id);
}

std::vector<std::pair<std::string, std::string>> case_fields(const Case& c, std::string_view subject_name) {
    return {{"Case (案件编号)", std::to_string(c.case_id)},
            {"Subject (对象)", subject_text(c)},
            {"Name (户名)", subject_name.empty() ? "-" : std::string(subject_name)},
            {"Unit (单位)", c.unit_id.empty() ? "-" : c.unit_id},
            {"Cause (原因)", c.cause},
            {"Source (来源)", std::string(case_source_name(c.source))},
            {"Opened (立案)", c.opened_at},
            {"State (状态)", std::string(case_state_name(c.state))},
            {"Assignee (稽查人员)", c.assignee.empty() ? "-" : c.assignee},
            {"Conclusion (结论)", c.conclusion ? std::string(conclusion_name(*c.conclusion)) : "-"},
            {"Summary (摘要)", c.summary}};
}

void evidence_table(Page& page, const CaseDetail& detail) {
    page.heading("Evidence (证据)");
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : detail.evidence)
        rows.push_back({std::to_string(e.finding_id), e.finding.rule_id, std::string(severity_name(e.finding.severity)),
                        e.finding.period.empty() ? "-" : e.finding.period, e.finding.summary,
                        e.finding.money_at_risk ? money_text(*e.finding.money_at_risk, money_currency) : "-"});
    for (const auto& a : detail.anomalies)
        rows.push_back({fmt::format("anomaly {}", a.anomaly_id), a.kind, "-", a.found_on.to_string(), a.description,
                        money_text(a.amount, money_currency)});
    if (rows.empty())
        page.paragraph("No findings or fee-center anomalies are linked to this case.", "note");
    else
        page.table({"finding", "rule or kind", "severity", "period", "what was found", "at stake (涉及金额)"}, rows,
                   {false, false, false, false, false, true});
}

void items_table(Page& page, const BackBillingRecord& record) {
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < record.items.size(); ++i) {
        const auto& item = record.items[i];
        rows.push_back(
            {std::to_string(i + 1), item.name, item.article, item.exact, money_text(item.amount, money_currency)});
    }
    rows.push_back({"", "total (合计)", "", "", money_text(record.total, money_currency)});
    page.table({"item", "amount", "article (依据条款)", "exact", "amount (金额)"}, rows,
               {false, false, false, true, true}, true);
}

void arguments_table(Page& page, const BackBillingRecord& record) {
    const auto arguments = nlohmann::json::parse(record.arguments_json, nullptr, false);
    const auto sources = nlohmann::json::parse(record.sources_json, nullptr, false);
    std::vector<std::vector<std::string>> rows;
    if (arguments.is_object())
        for (const auto& [key, value] : arguments.items()) {
            const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
            const std::string source = sources.is_object() && sources.contains(key) && sources[key].is_string()
                                           ? sources[key].get<std::string>()
                                           : "";
            rows.push_back({key, text, source});
        }
    page.table({"input", "value", "from"}, rows);
    if (sources.is_object() && sources.contains("notes") && sources["notes"].is_array())
        for (const auto& note : sources["notes"])
            if (note.is_string()) page.paragraph(note.get<std::string>(), "note");
}

void steps_table(Page& page, const BackBillingRecord& record) {
    const auto recovery = nlohmann::json::parse(record.recovery_json, nullptr, false);
    if (!recovery.is_object() || !recovery.contains("steps")) return;
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : recovery["steps"])
        rows.push_back({s.value("name", ""), s.value("formula", ""), s.value("value", ""), s.value("unit", "")});
    page.table({"step", "formula", "value", "unit"}, rows, {false, false, true, false});
    if (recovery.contains("notes"))
        for (const auto& note : recovery["notes"])
            if (note.is_string()) page.paragraph(note.get<std::string>(), "note");
}

std::string notice_document(const CaseDocumentInput& input, const CasePolicy& policy, const DocumentSettings& settings,
                            Instant now) {
    const Case& c = input.detail.summary;
    const CivilDate today = policy.local_date(now);
    const CivilDate deadline = policy.add_working_days(today, settings.rectification_working_days);
    Page page("Inspection notice (稽查通知单)", fmt::format("{}, issued {}", settings.issuer, today.to_string()));
    page.fields(case_fields(c, input.subject_name));
    evidence_table(page, input.detail);
    page.heading("Rectification (整改要求)");
    page.paragraph(fmt::format(
        "The customer is notified of the inspection of {} {} and must rectify what it finds by "
        "{} ({} working days, 个工作日), and keep the metering installation and seals as they "
        "are until the inspection is completed.",
        subject_kind_name(c.subject_kind), c.subject_id, deadline.to_string(), settings.rectification_working_days));
    page.fields({{"Rectification deadline (整改期限)", deadline.to_string()}});
    page.signatures({"Inspector (稽查人员)", "Customer (用户签收)", "Date (日期)"});
    return page.finish();
}

std::string onsite_document(const CaseDocumentInput& input, const CasePolicy& policy, Instant now) {
    const Case& c = input.detail.summary;
    Page page("On-site inspection record (现场稽查记录)",
              fmt::format("Case {}, printed {}", c.case_id, policy.local_date(now).to_string()));
    page.fields(case_fields(c, input.subject_name));
    evidence_table(page, input.detail);
    page.heading("History (处理经过)");
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : input.detail.events)
        rows.push_back(
            {e.at, e.actor, e.kind,
             e.from_state.empty() && e.to_state.empty() ? "" : fmt::format("{} -> {}", e.from_state, e.to_state),
             e.note});
    page.table({"at", "by", "what", "state", "note"}, rows);
    page.heading("Facts found on site (现场核实情况)");
    if (input.billing) {
        const BackBillingRecord& record = input.billing->record;
        page.fields({{"Computation (计算方法)", fmt::format("{}: {}", record.computation, record.title)},
                     {"Regulation (依据)", record.article}});
        arguments_table(page, record);
    } else {
        page.paragraph("No back-billing facts are recorded yet.", "note");
    }
    page.signatures({"Inspector (稽查人员)", "Second inspector (陪同人员)", "Customer (用户签字)"});
    return page.finish();
}

std::string back_billing_document(const CaseDocumentInput& input, const CasePolicy& policy, Instant now) {
    const Case& c = input.detail.summary;
    const BackBillingView& billing = *input.billing;
    const BackBillingRecord& record = billing.record;
    const bool approved = !record.notice_number.empty();
    Page page("Back-billing notice (追补电费通知单)",
              approved ? fmt::format("Notice {}, approved by {} at {}", record.notice_number, record.approved_by,
                                     record.approved_at)
                       : fmt::format("Case {}, printed {}", c.case_id, policy.local_date(now).to_string()));
    if (!approved) page.paragraph("DRAFT: not approved; no notice number is assigned yet.", "draft");
    page.fields({{"Notice number (通知单号)", approved ? record.notice_number : "-"},
                 {"Case (案件编号)", std::to_string(c.case_id)},
                 {"Subject (对象)", subject_text(c)},
                 {"Name (户名)", input.subject_name.empty() ? "-" : input.subject_name},
                 {"Conclusion (结论)", c.conclusion ? std::string(conclusion_name(*c.conclusion)) : "-"},
                 {"Computation (计算方法)", fmt::format("{}: {}", record.computation, record.title)},
                 {"Regulation (依据)", record.article},
                 {"Back-billed energy (追补电量)",
                  record.energy_kwh ? fmt::format("{:.4f} kWh", *record.energy_kwh) : std::string("-")},
                 {"Pay by (缴费期限)", approved && c.due_on ? c.due_on->to_string() : "-"}});
    page.heading("Amounts (追补电费及违约使用电费)");
    items_table(page, record);
    page.heading("Inputs (计算依据)");
    arguments_table(page, record);
    page.heading("Computation (计算过程)");
    steps_table(page, record);
    page.heading("Payments (缴费情况)");
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : billing.payments)
        rows.push_back({p.paid_on.to_string(), p.reference.empty() ? p.source : p.reference,
                        money_text(p.amount, money_currency)});
    rows.push_back({"", "paid (已缴)", money_text(billing.paid, money_currency)});
    page.table({"paid on", "payment", "amount"}, rows, {false, false, true}, true);
    page.fields({{"Outstanding (未缴)", money_text(billing.outstanding, money_currency)},
                 {"Overpaid (多缴)", money_text(billing.overpaid, money_currency)}});
    page.signatures({"Approved by (审批)", "Customer (用户签收)", "Date (日期)"});
    return page.finish();
}

std::string feedback_document(const CaseDocumentInput& input, const CasePolicy& policy,
                              const DocumentSettings& settings, Instant now) {
    const Case& c = input.detail.summary;
    Page page("Inspection result feedback (稽查结果反馈单)",
              fmt::format("From {} to the fee-management center (电费管理中心), {}", settings.issuer,
                          policy.local_date(now).to_string()));
    page.fields(case_fields(c, input.subject_name));
    evidence_table(page, input.detail);
    page.heading("Result (稽查结果)");
    if (input.billing) {
        const auto& b = *input.billing;
        page.fields(
            {{"Notice number (通知单号)", b.record.notice_number.empty() ? "- (not approved)" : b.record.notice_number},
             {"Back-billed (追补金额)", money_text(b.record.total, money_currency)},
             {"Paid (已缴)", money_text(b.paid, money_currency)},
             {"Outstanding (未缴)", money_text(b.outstanding, money_currency)},
             {"Recovered on (结清日期)", b.record.recovered_on ? b.record.recovered_on->to_string() : "-"}});
        items_table(page, b.record);
    } else {
        page.paragraph(c.conclusion
                           ? fmt::format("Concluded {}: nothing is back-billed.", conclusion_name(*c.conclusion))
                           : "Not concluded yet.");
    }
    page.signatures({"Inspection team (稽查队)", "Fee-management center (电费管理中心)"});
    return page.finish();
}

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

// The text of column `column` of the row of `file` whose column `key_column` is `key`; "" when none.
Result<std::string> stored_text(Store& store, std::string_view file, std::string_view key_column,
                                std::string_view key, std::string_view column) {
    const TableSpec* table = find_table_by_file(file);
    if (!table) return internal_error(fmt::format("the import contract has no {}", file));
    const int key_index = table->column_index(key_column), value_index = table->column_index(column);
    if (key_index < 0 || value_index < 0)
        return internal_error(fmt::format("{} has no column {} or {}", file, key_column, column));
    GA_ASSIGN_OR_RETURN(const auto rows, store.read_rows(*table));
    for (const Row& row : rows) {
        const auto* id = std::get_if<std::string>(&row.values.at(static_cast<std::size_t>(key_index)));
        if (!id || *id != key) continue;
        const auto* value = std::get_if<std::string>(&row.values.at(static_cast<std::size_t>(value_index)));
        return value ? *value : std::string();
    }
    return std::string();
}

}  // namespace

Result<std::string> case_subject_name(Store& store, SubjectKind kind, std::string_view subject_id) {
    switch (kind) {
        case SubjectKind::customer:
            return stored_text(store, "customers.csv", "customer_id", subject_id, "name");
        case SubjectKind::node:
            return stored_text(store, "network.csv", "node_id", subject_id, "name");
        case SubjectKind::meter: {
            GA_ASSIGN_OR_RETURN(const std::string customer,
                                stored_text(store, "meters.csv", "meter_id", subject_id, "customer_id"));
            if (!customer.empty()) return stored_text(store, "customers.csv", "customer_id", customer, "name");
            GA_ASSIGN_OR_RETURN(const std::string node,
                                stored_text(store, "meters.csv", "meter_id", subject_id, "node_id"));
            if (!node.empty()) return stored_text(store, "network.csv", "node_id", node, "name");
            return std::string();
        }
    }
    return std::string();
}

std::string_view case_document_kind_name(CaseDocumentKind kind) {
    switch (kind) {
        case CaseDocumentKind::notice:
            return "notice";
        case CaseDocumentKind::onsite:
            return "onsite";
        case CaseDocumentKind::back_billing:
            return "back-billing";
        case CaseDocumentKind::feedback:
            return "feedback";
    }
    return "";
}

std::optional<CaseDocumentKind> parse_case_document_kind(std::string_view name) {
    for (const auto kind : {CaseDocumentKind::notice, CaseDocumentKind::onsite, CaseDocumentKind::back_billing,
                            CaseDocumentKind::feedback})
        if (case_document_kind_name(kind) == name) return kind;
    return std::nullopt;
}

Result<DocumentSettings> DocumentSettings::from(const Policy& policy) {
    DocumentSettings settings;
    const auto found = policy.values().find("documents");
    if (found == policy.values().end()) return settings;
    for (const auto& [key, value] : found->second) {
        if (key == "rectification_working_days") {
            const double* days = std::get_if<double>(&value);
            if (!days || *days < 1 || *days > 250 || *days != static_cast<double>(static_cast<int>(*days)))
                return user_error("[documents] rectification_working_days: a whole number of working days, 1 to 250");
            settings.rectification_working_days = static_cast<int>(*days);
        } else if (key == "issuer") {
            const std::string* issuer = std::get_if<std::string>(&value);
            if (!issuer || issuer->empty() || issuer->size() > 200)
                return user_error("[documents] issuer: a name of 1 to 200 characters");
            settings.issuer = *issuer;
        } else {
            return user_error(
                fmt::format("[documents] {}: unknown key (rectification_working_days, issuer; docs/cases.md)", key));
        }
    }
    return settings;
}

std::string render_case_document(CaseDocumentKind kind, const CaseDocumentInput& input, const CasePolicy& policy,
                                 const DocumentSettings& settings, Instant now) {
    switch (kind) {
        case CaseDocumentKind::notice:
            return notice_document(input, policy, settings, now);
        case CaseDocumentKind::onsite:
            return onsite_document(input, policy, now);
        case CaseDocumentKind::back_billing:
            return back_billing_document(input, policy, now);
        case CaseDocumentKind::feedback:
            return feedback_document(input, policy, settings, now);
    }
    return {};
}

const std::vector<std::string_view>& feedback_csv_columns() {
    static const std::vector<std::string_view> columns{"case_id",         "subject_kind",
                                                       "subject_id",      "unit_id",
                                                       "cause",           "source",
                                                       "anomaly_ids",     "opened_on",
                                                       "concluded_on",    "conclusion",
                                                       "state",           "notice_number",
                                                       "back_billed_kwh", "back_billed_amount",
                                                       "paid_amount",     "outstanding_amount",
                                                       "recovered_on",    "summary"};
    return columns;
}

std::string feedback_csv(const std::vector<FeedbackRow>& rows) {
    std::string out = fmt::format("{}\n", fmt::join(feedback_csv_columns(), ","));
    for (const auto& row : rows) {
        const Case& c = row.c;
        std::vector<std::string> fields{std::to_string(c.case_id),
                                        std::string(subject_kind_name(c.subject_kind)),
                                        c.subject_id,
                                        c.unit_id,
                                        c.cause,
                                        std::string(case_source_name(c.source)),
                                        fmt::format("{}", fmt::join(row.anomaly_ids, ";")),
                                        c.opened_at.substr(0, 10),
                                        row.concluded_on,
                                        c.conclusion ? std::string(conclusion_name(*c.conclusion)) : "",
                                        std::string(case_state_name(c.state))};
        if (row.billing) {
            const auto& b = *row.billing;
            fields.push_back(b.record.notice_number);
            fields.push_back(b.record.energy_kwh ? fmt::format("{:.4f}", *b.record.energy_kwh) : "");
            fields.push_back(b.record.total.to_string(2));
            fields.push_back(b.paid.to_string(2));
            fields.push_back(b.outstanding.to_string(2));
            fields.push_back(b.record.recovered_on ? b.record.recovered_on->to_string() : "");
        } else {
            for (int i = 0; i < 6; ++i) fields.emplace_back();
        }
        fields.push_back(c.summary);
        for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
        out += '\n';
    }
    return out;
}

Result<std::string> CaseDocuments::document(const Actor& actor, std::int64_t case_id, CaseDocumentKind kind,
                                            Instant now) {
    CaseDocumentInput input;
    GA_ASSIGN_OR_RETURN(input.detail, workflow_->show(actor, case_id));
    GA_ASSIGN_OR_RETURN(input.subject_name,
                        case_subject_name(*store_, input.detail.summary.subject_kind, input.detail.summary.subject_id));
    GA_ASSIGN_OR_RETURN(const auto record, store_->casework().back_billing(case_id));
    if (record) {
        GA_ASSIGN_OR_RETURN(input.billing, recovery_->show(actor, case_id));
    }
    if (kind == CaseDocumentKind::back_billing && !input.billing)
        return refusal_error(
            Refusal::not_found,
            fmt::format("case {} has no back-billing: compute it first (gridaudit cases back-billing)", case_id));
    return render_case_document(kind, input, workflow_->policy(), settings_, now);
}

Result<std::vector<FeedbackRow>> CaseDocuments::feedback(const Actor& actor, Period period) {
    GA_TRY(require_permission(actor, Permission::read_cases));
    GA_ASSIGN_OR_RETURN(const auto cases, workflow_->list(actor, CaseFilter{}));
    GA_ASSIGN_OR_RETURN(const auto moves, store_->casework().case_moves());
    std::map<std::int64_t, std::string> concluded_at;
    for (const auto& m : moves)
        if (m.to_state == "concluded" && m.from_state != m.to_state) concluded_at[m.case_id] = m.at;
    std::vector<FeedbackRow> rows;
    for (const Case& c : cases) {
        const auto at = concluded_at.find(c.case_id);
        if (!c.conclusion || at == concluded_at.end()) continue;
        const auto instant = Instant::parse(at->second);
        if (!instant) continue;
        const CivilDate day = workflow_->policy().local_date(*instant);
        if (Period::of(day) != period) continue;
        FeedbackRow row;
        row.c = c;
        row.concluded_on = day.to_string();
        GA_ASSIGN_OR_RETURN(const auto anomalies, store_->cases().case_anomalies(c.case_id));
        for (const auto& a : anomalies) row.anomaly_ids.push_back(a.anomaly_id);
        GA_ASSIGN_OR_RETURN(const auto record, store_->casework().back_billing(c.case_id));
        if (record) {
            GA_ASSIGN_OR_RETURN(row.billing, recovery_->show(actor, c.case_id));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace gridaudit
