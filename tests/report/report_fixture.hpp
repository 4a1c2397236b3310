// A small hand-made report model for the table and writer tests: one area, one feeder, a unit,
// a price row, and findings whose figures and names are known (a customer named `Li <&> "Co"`).
#pragma once

#include <cmath>

#include "report/report_model.hpp"

namespace gridaudit {

inline LossTableRow fixture_row(std::string id, std::string level) {
    LossTableRow row;
    row.node_id = std::move(id);
    row.node_name = "Node " + row.node_id;
    row.unit_id = "U01";
    row.level = std::move(level);
    row.month = "2026-10";
    row.supply_kwh = 1234567.6;
    row.sales_kwh = 1200000;
    row.loss_kwh = 34567.6;
    row.loss_rate = 0.028;
    row.coverage = 0.975;
    row.loss_class = "qualified";
    row.rate_change_month = -0.0056;
    row.rate_change_year = std::nan("");
    row.loss_cost = 15555.42;
    row.billed_kwh = 1190000;
    row.revenue = 790123.4567;
    row.average_price = 790123.4567 / 1190000;
    row.purchase_cost = 555555.42;
    row.margin = 790123.4567 - 555555.42;
    return row;
}

inline Finding fixture_finding(std::string rule, InspectionArea area, std::string subject, const char* money,
                               double kwh) {
    Finding f;
    f.rule_id = std::move(rule);
    f.area = area;
    f.subject_kind = "customer";
    f.subject_id = std::move(subject);
    f.period = "2026-10";
    f.severity = Severity::high;
    f.summary = "bill <b>wrong</b> & late";
    f.kwh_at_risk = kwh;
    f.money_at_risk = Money::parse(money);
    return f;
}

inline ReportModel fixture_model() {
    ReportModel model;
    model.period = Period::from_year_month(2026, 10);
    model.as_of = CivilDate::from_ymd(2026, 10, 31);
    model.purchase_price_per_kwh = 0.45;
    model.levels.push_back({BalanceLevel::area, {fixture_row("A1", "area")}});
    model.levels.push_back({BalanceLevel::feeder, {fixture_row("F1", "feeder")}});
    model.levels.push_back({BalanceLevel::bus, {}});
    model.levels.push_back({BalanceLevel::substation, {fixture_row("S1", "substation")}});
    model.units.push_back(fixture_row("U01", "area"));
    model.prices.push_back({"residential", "2026-10", 3, 600, 331.5, 331.5 / 600});
    model.rules_run = {"BILL-RECOMPUTE", "LOSS-SUSPECT"};
    model.audit_findings = {fixture_finding("BILL-RECOMPUTE", InspectionArea::BILL, "C1", "1234.565", 10),
                            fixture_finding("LOSS-SUSPECT", InspectionArea::LOSS, "C2", "99.99", 500)};
    for (const auto& f : model.audit_findings) model.findings.total.add(f);
    model.findings.by_area = {{InspectionArea::BILL, {}}, {InspectionArea::LOSS, {}}};
    model.findings.by_area[0].totals.add(model.audit_findings[0]);
    model.findings.by_area[1].totals.add(model.audit_findings[1]);
    model.findings.by_rule = {{"BILL-RECOMPUTE", "Bill recomputed", InspectionArea::BILL, {}}};
    model.findings.by_rule[0].totals.add(model.audit_findings[0]);
    model.findings.top = {{1, model.audit_findings[0], "Li <&> \"Co\""}, {2, model.audit_findings[1], "Wang"}};
    return model;
}

}  // namespace gridaudit
