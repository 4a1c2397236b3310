// The monthly report of one period (`gridaudit report`), as data: the quantity-price-loss analysis
// of every network level and org unit with exactly the figures of `gridaudit loss`, the average
// selling price by customer category, a summary of the audit's findings (count, kWh and money
// at risk by inspection area and by rule, the largest findings by money at risk), and the closed
// loop's KPIs of the month per unit, person and rule (cases/kpis, the figures of `gridaudit kpis`).
//
// The model knows nothing of output formats: report_tables.hpp lays it out as tables, and the
// xlsx and HTML writers render those. Thread safety: plain data; build_report uses one Store from
// one thread (the rules run in parallel inside).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/loss_table.hpp"
#include "cases/kpis.hpp"
#include "core/money.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "frame/billing_columns.hpp"
#include "model/finding.hpp"
#include "rules/catalogue.hpp"
#include "rules/policy.hpp"
#include "report/utility_months.hpp"
#include "store/store.hpp"

namespace gridaudit {

struct ReportOptions {
    std::optional<Period> period;       // default: the month of the last day with daily data
    std::optional<CivilDate> as_of;     // the audit's today; default: the last day with daily data
    double purchase_price_per_kwh = 0;  // 0: no purchase cost, margin or cost of the loss
    std::size_t top_findings = 50;      // how many findings the "top findings" table lists
    // The KPIs' "now": open and overdue cases are counted on the earlier of the period's last day
    // and this instant's local day; default: the end of the period.
    std::optional<Instant> now;
};

// The loss analysis of one network level: one row per node (loss_table's rows, in its order).
struct LevelLossTable {
    BalanceLevel level = BalanceLevel::area;
    std::vector<LossTableRow> rows;
};

// Count, energy and money at risk over a set of findings. kWh and money sum the findings that
// state them (with_kwh, with_money say how many did; a NaN kWh counts as not stated).
struct FindingTotals {
    std::size_t count = 0, with_kwh = 0, with_money = 0;
    double kwh_at_risk = 0;
    Money money_at_risk;
    void add(const Finding& finding);
};

struct AreaFindingTotals {
    InspectionArea area = InspectionArea::PROC;
    FindingTotals totals;
};

struct RuleFindingTotals {
    std::string rule_id, title;
    InspectionArea area = InspectionArea::PROC;
    FindingTotals totals;
};

struct TopFinding {
    std::size_t rank = 0;  // 1 = most money at risk
    Finding finding;
    std::string subject_name;  // the customer's or node's name (a meter: its customer's or node's); "" if none
};

struct FindingsSummary {
    FindingTotals total;
    std::vector<AreaFindingTotals> by_area;  // every inspection area, in DESIGN.md order
    std::vector<RuleFindingTotals> by_rule;  // every rule run, in catalogue order, then any other rule id seen
    std::vector<TopFinding> top;             // by money at risk, then kWh at risk, then rule and subject
};

struct ReportModel {
    Period period;
    CivilDate as_of;
    double purchase_price_per_kwh = 0;
    std::vector<LevelLossTable> levels;    // area, feeder, bus, substation
    std::vector<LossTableRow> units;       // loss_unit_table of each level, in the order above
    std::vector<CategoryPriceRow> prices;  // selling_price_by_category of the period
    // utility_months of the period and the 12 months before it (oldest first, from the first month
    // a substation is computable in; the period itself always).
    std::vector<MonthlyLoss> months;
    std::vector<std::string> rules_run;
    std::vector<Finding> audit_findings;  // every finding of the audit, sorted as evaluate_rules sorts them
    FindingsSummary findings;             // summarise_findings(audit_findings, ...)
    KpiReport kpis;                       // kpis_for the period over the whole utility (the operator's scope)

    [[nodiscard]] const LevelLossTable* level(BalanceLevel level) const;
};

// The levels of the report, finest first.
inline constexpr BalanceLevel report_levels[] = {BalanceLevel::area, BalanceLevel::feeder, BalanceLevel::bus,
                                                 BalanceLevel::substation};

// Summarises `findings` (totals by area and rule; the `top` largest by money at risk, named from
// `frames`). `rules_run` lists rules that appear in the by-rule table even without findings; titles
// come from `catalogue`.
[[nodiscard]] FindingsSummary summarise_findings(const std::vector<Finding>& findings,
                                                 std::span<const RegionFrame> frames, const Catalogue& catalogue,
                                                 const std::vector<std::string>& rules_run, std::size_t top);

// The loss part of the model from loaded frames: each level's table with that level's thresholds
// (loss_table_thresholds), the unit tables, the category prices of `period` and the monthly loss
// of the period and the 12 months before it.
// Leaves the findings, rules_run and as_of as they are.
void add_loss_analysis(std::span<const RegionFrame> frames, const Policy& policy, Period period,
                       double purchase_price_per_kwh, ReportModel& model);

// Loads the store into an AuditSession, runs the catalogue's enabled rules for the period (as
// `gridaudit audit --period` does, without recording a run), computes the period's KPIs (as
// `gridaudit kpis` does, with the policy's [cases] calendar and [kpis] weights) and builds the whole
// model. A period outside the data's months is a user error.
[[nodiscard]] Result<ReportModel> build_report(Store& store, const Catalogue& catalogue, const Policy& policy,
                                               const ReportOptions& options);

}  // namespace gridaudit
