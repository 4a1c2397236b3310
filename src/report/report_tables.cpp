// The report's tables: columns, headings with units and Chinese terms, typed cells (see
// report_tables.hpp).
#include "report/report_tables.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>

#include "core/money_text.hpp"

namespace gridaudit {

ReportCell ReportCell::number(double x, std::optional<CellFormat> format) {
    if (!std::isfinite(x)) return {std::monostate{}, format, CellEmphasis::none};
    return {x, format, CellEmphasis::none};
}

std::optional<Money> money_from_figure(double amount) {
    if (!std::isfinite(amount)) return std::nullopt;
    // Half-up away from zero at the 0.0001 unit, as Money::rounded does.
    const double units = amount * static_cast<double>(Money::units_per_currency);
    return Money::from_units(
        static_cast<std::int64_t>(units < 0 ? -std::floor(-units + 0.5) : std::floor(units + 0.5)));
}

namespace {

ReportCell money_cell(double amount) {
    const auto money = money_from_figure(amount);
    return money ? ReportCell::money(*money) : ReportCell::empty();
}

ReportCell money_difference(double a, double b) {
    const auto x = money_from_figure(a), y = money_from_figure(b);
    return x && y ? ReportCell::money(*x - *y) : ReportCell::empty();
}

std::vector<ReportColumn> metric_columns() {
    return {
        {"Supply kWh (供电量)", CellFormat::kwh},
        {"Sales kWh (售电量)", CellFormat::kwh},
        {"Loss kWh (损失电量)", CellFormat::kwh},
        {"Loss rate (线损率)", CellFormat::rate},
        {"Month-on-month change, pt (环比)", CellFormat::rate_change},
        {"Year-on-year change, pt (同比)", CellFormat::rate_change},
        {"Data coverage (采集覆盖率)", CellFormat::share},
        {"Class", CellFormat::text},
        {"Cost of loss, CNY (损失电量成本)", CellFormat::money},
        {"Billed kWh (计费电量)", CellFormat::kwh},
        {"Revenue, CNY (售电收入)", CellFormat::money},
        {"Average selling price, CNY/kWh (售电均价)", CellFormat::price},
        {"Purchase cost, CNY (购电成本)", CellFormat::money},
        {"Margin, CNY (购销差)", CellFormat::money},
    };
}

void add_metric_cells(const LossTableRow& r, std::vector<ReportCell>& cells) {
    cells.push_back(ReportCell::number(r.supply_kwh));
    cells.push_back(ReportCell::number(r.sales_kwh));
    cells.push_back(ReportCell::number(r.loss_kwh));
    cells.push_back(ReportCell::number(r.loss_rate));
    cells.push_back(ReportCell::number(r.rate_change_month));
    cells.push_back(ReportCell::number(r.rate_change_year));
    cells.push_back(ReportCell::number(r.coverage));
    const CellEmphasis emphasis = r.loss_class == "high"                                      ? CellEmphasis::warning
                                  : r.loss_class == "very_high" || r.loss_class == "negative" ? CellEmphasis::alert
                                                                                              : CellEmphasis::none;
    cells.push_back(ReportCell::text(r.loss_class, emphasis));
    cells.push_back(money_cell(r.loss_cost));
    cells.push_back(ReportCell::number(r.billed_kwh));
    cells.push_back(money_cell(r.revenue));
    cells.push_back(ReportCell::number(r.average_price));
    cells.push_back(money_cell(r.purchase_cost));
    // Revenue - purchase cost in fixed point, so the three money columns agree to the unit.
    cells.push_back(money_difference(r.revenue, r.purchase_cost));
}

const char* level_sheet(BalanceLevel level) {
    switch (level) {
        case BalanceLevel::area:
            return "Areas";
        case BalanceLevel::feeder:
            return "Feeders";
        case BalanceLevel::bus:
            return "Buses";
        case BalanceLevel::substation:
            return "Substations";
    }
    return "Nodes";
}

const char* level_title(BalanceLevel level) {
    switch (level) {
        case BalanceLevel::area:
            return "Transformer areas (台区)";
        case BalanceLevel::feeder:
            return "Feeders (线路)";
        case BalanceLevel::bus:
            return "Buses (母线)";
        case BalanceLevel::substation:
            return "Substations (变电站)";
    }
    return "Nodes";
}

const char* area_name(InspectionArea area) {
    switch (area) {
        case InspectionArea::PROC:
            return "customer-service process (业扩报装与变更)";
        case InspectionArea::METER:
            return "metering devices (计量装置)";
        case InspectionArea::BILL:
            return "electricity charges (电费电价)";
        case InspectionArea::LOSS:
            return "energy analysis and anti-theft (线损与反窃电)";
        case InspectionArea::SERV:
            return "service quality and meter reading (供电服务与抄表)";
        case InspectionArea::SHARE:
            return "information sharing, closed loop (信息共享与闭环)";
    }
    return "";
}

constexpr const char* loss_note =
    "Supply = gateway meters (import - export) x multiplier; sales = customers' usage plus the supply of child "
    "nodes; loss rate = loss / supply over the month's computable days. Changes compare the rate with the month "
    "before and the same month a year earlier, in percentage points. Revenue = energy, basic, power-factor and "
    "fixed charges of the month's bills of the customers below the node; purchase cost = supply x purchase "
    "price; margin = revenue - purchase cost. Empty: not computable.";

ReportTable summary_table(const ReportModel& model) {
    ReportTable table{"Summary",
                      fmt::format("GridAudit monthly analysis {} (月度量价损分析)", model.period.to_string()),
                      "Utility totals: loss over the substations computable this month; bills of every customer; "
                      "findings of the audit of the period.",
                      {{"Item", CellFormat::text}, {"Value", CellFormat::text}},
                      {}};
    const auto add = [&](std::string item, ReportCell value) {
        table.rows.push_back({ReportCell::text(std::move(item)), std::move(value)});
    };
    add("Period (月份)", ReportCell::text(model.period.to_string()));
    add("Audit as of", ReportCell::text(model.as_of.to_string()));
    add("Purchase price, CNY/kWh (购电价格)", model.purchase_price_per_kwh > 0
                                                 ? ReportCell::number(model.purchase_price_per_kwh, CellFormat::price)
                                                 : ReportCell::text("not set (--purchase-price)"));

    double supply = 0, sales = 0, purchase_cost = 0;
    std::size_t substations = 0, not_computable = 0;
    bool has_cost = false;
    if (const auto* top = model.level(BalanceLevel::substation)) {
        for (const auto& r : top->rows) {
            ++substations;
            if (std::isfinite(r.loss_rate))
                supply += r.supply_kwh, sales += r.sales_kwh;
            else
                ++not_computable;
            if (std::isfinite(r.purchase_cost)) purchase_cost += r.purchase_cost, has_cost = true;
        }
    }
    const bool computable = substations > not_computable;
    add("Supply kWh (供电量)", computable ? ReportCell::number(supply, CellFormat::kwh) : ReportCell::empty());
    add("Sales kWh (售电量)", computable ? ReportCell::number(sales, CellFormat::kwh) : ReportCell::empty());
    add("Loss kWh (损失电量)", computable ? ReportCell::number(supply - sales, CellFormat::kwh) : ReportCell::empty());
    add("Loss rate (综合线损率)", computable && supply > 0
                                      ? ReportCell::number((supply - sales) / supply, CellFormat::rate)
                                      : ReportCell::empty());
    add("Substations not computable", ReportCell::number(static_cast<double>(not_computable), CellFormat::count));

    std::size_t areas = 0, qualified = 0, high = 0, very_high = 0, negative = 0, areas_not_computable = 0;
    if (const auto* table_of_areas = model.level(BalanceLevel::area)) {
        for (const auto& r : table_of_areas->rows) {
            ++areas;
            qualified += r.loss_class == "qualified";
            high += r.loss_class == "high";
            very_high += r.loss_class == "very_high";
            negative += r.loss_class == "negative";
            areas_not_computable += r.loss_class == "not_computable";
        }
    }
    const auto count = [](std::size_t n) { return ReportCell::number(static_cast<double>(n), CellFormat::count); };
    add("Transformer areas (台区)", count(areas));
    add("Areas qualified (合格)", count(qualified));
    add("Areas high loss (高损)", count(high));
    add("Areas very high loss", count(very_high));
    add("Areas negative loss (负损)", count(negative));
    add("Areas not computable", count(areas_not_computable));
    add("Area qualification rate (台区线损合格率)",
        areas > 0 ? ReportCell::number(static_cast<double>(qualified) / static_cast<double>(areas), CellFormat::rate)
                  : ReportCell::empty());

    double billed = 0, revenue = 0;
    std::size_t bills = 0;
    for (const auto& p : model.prices) billed += p.billed_kwh, revenue += p.revenue, bills += p.bills;
    add("Bills", count(bills));
    add("Billed kWh (计费电量)", bills > 0 ? ReportCell::number(billed, CellFormat::kwh) : ReportCell::empty());
    add("Revenue, CNY (售电收入)", bills > 0 ? money_cell(revenue) : ReportCell::empty());
    add("Average selling price, CNY/kWh (售电均价)",
        billed > 0 ? ReportCell::number(revenue / billed, CellFormat::price) : ReportCell::empty());
    add("Purchase cost, CNY (购电成本)", has_cost ? money_cell(purchase_cost) : ReportCell::empty());
    add("Margin, CNY (购销差)", has_cost && bills > 0 ? money_difference(revenue, purchase_cost) : ReportCell::empty());

    const FindingTotals& total = model.findings.total;
    add("Findings (稽查发现)", count(total.count));
    add("kWh at risk", ReportCell::number(total.kwh_at_risk, CellFormat::kwh));
    add("Money at risk, CNY (涉及金额)", ReportCell::money(total.money_at_risk));
    add("Rules run", count(model.rules_run.size()));
    return table;
}

ReportTable level_table(const LevelLossTable& level) {
    ReportTable table{
        level_sheet(level.level),
        level_title(level.level),
        loss_note,
        {{"Node", CellFormat::text}, {"Name", CellFormat::text}, {"Org unit (供电单位)", CellFormat::text}},
        {}};
    for (auto& column : metric_columns()) table.columns.push_back(std::move(column));
    for (const auto& r : level.rows) {
        std::vector<ReportCell> cells{ReportCell::text(r.node_id), ReportCell::text(r.node_name),
                                      ReportCell::text(r.unit_id)};
        add_metric_cells(r, cells);
        table.rows.push_back(std::move(cells));
    }
    return table;
}

ReportTable unit_table(const ReportModel& model) {
    ReportTable table{"Org units",
                      "By org unit and level (按供电单位)",
                      "Each unit's nodes of a level summed: supply, sales and loss over its nodes computable this "
                      "month; coverage is the mean of its nodes'; the class is that of the summed rate.",
                      {{"Level", CellFormat::text},
                       {"Org unit (供电单位)", CellFormat::text},
                       {"Nodes", CellFormat::count},
                       {"Nodes not computable", CellFormat::count}},
                      {}};
    for (auto& column : metric_columns()) table.columns.push_back(std::move(column));
    for (const auto& r : model.units) {
        std::vector<ReportCell> cells{ReportCell::text(r.level),
                                      ReportCell::text(r.unit_id.empty() ? "(none)" : r.unit_id),
                                      ReportCell::number(static_cast<double>(r.nodes)),
                                      ReportCell::number(static_cast<double>(r.nodes_not_computable))};
        add_metric_cells(r, cells);
        table.rows.push_back(std::move(cells));
    }
    return table;
}

ReportTable price_table(const ReportModel& model) {
    ReportTable table{"Prices by category",
                      "Average selling price by customer category (分类售电均价)",
                      "Revenue (energy, basic, power-factor and fixed charges) / kWh billed, over the month's bills.",
                      {{"Customer category (用电类别)", CellFormat::text},
                       {"Bills", CellFormat::count},
                       {"Billed kWh (计费电量)", CellFormat::kwh},
                       {"Revenue, CNY (售电收入)", CellFormat::money},
                       {"Average selling price, CNY/kWh (售电均价)", CellFormat::price}},
                      {}};
    for (const auto& p : model.prices)
        table.rows.push_back({ReportCell::text(p.category), ReportCell::number(static_cast<double>(p.bills)),
                              ReportCell::number(p.billed_kwh), money_cell(p.revenue),
                              ReportCell::number(p.average_price)});
    return table;
}

std::vector<ReportCell> totals_cells(const FindingTotals& t) {
    return {ReportCell::number(static_cast<double>(t.count)), ReportCell::number(static_cast<double>(t.with_kwh)),
            ReportCell::number(t.kwh_at_risk), ReportCell::number(static_cast<double>(t.with_money)),
            ReportCell::money(t.money_at_risk)};
}

std::vector<ReportColumn> totals_columns() {
    return {{"Findings", CellFormat::count},
            {"Findings with kWh", CellFormat::count},
            {"kWh at risk", CellFormat::kwh},
            {"Findings with money", CellFormat::count},
            {"Money at risk, CNY (涉及金额)", CellFormat::money}};
}

ReportTable area_findings_table(const ReportModel& model) {
    ReportTable table{"Findings by area",
                      "Findings by inspection area (稽查领域)",
                      "kWh and money at risk summed over the findings that state them.",
                      {{"Area", CellFormat::text}, {"Inspection area", CellFormat::text}},
                      {}};
    for (auto& column : totals_columns()) table.columns.push_back(std::move(column));
    for (const auto& a : model.findings.by_area) {
        std::vector<ReportCell> cells{ReportCell::text(std::string(inspection_area_code(a.area))),
                                      ReportCell::text(area_name(a.area))};
        for (auto& cell : totals_cells(a.totals)) cells.push_back(std::move(cell));
        table.rows.push_back(std::move(cells));
    }
    std::vector<ReportCell> total{ReportCell::text("Total"), ReportCell::text("")};
    for (auto& cell : totals_cells(model.findings.total)) total.push_back(std::move(cell));
    table.rows.push_back(std::move(total));
    return table;
}

ReportTable rule_findings_table(const ReportModel& model) {
    ReportTable table{"Findings by rule",
                      "Findings by rule (稽查规则)",
                      "Every rule the audit ran, with or without findings (see docs/rules.md).",
                      {{"Rule", CellFormat::text}, {"Area", CellFormat::text}, {"Title", CellFormat::text}},
                      {}};
    for (auto& column : totals_columns()) table.columns.push_back(std::move(column));
    for (const auto& r : model.findings.by_rule) {
        std::vector<ReportCell> cells{ReportCell::text(r.rule_id),
                                      ReportCell::text(std::string(inspection_area_code(r.area))),
                                      ReportCell::text(r.title)};
        for (auto& cell : totals_cells(r.totals)) cells.push_back(std::move(cell));
        table.rows.push_back(std::move(cells));
    }
    return table;
}

ReportTable top_findings_table(const ReportModel& model) {
    ReportTable table{"Top findings",
                      "Largest findings by money at risk (重点稽查线索)",
                      "Findings stating money or kWh at risk, most money first, then most kWh.",
                      {{"Rank", CellFormat::count},
                       {"Rule", CellFormat::text},
                       {"Area", CellFormat::text},
                       {"Severity", CellFormat::text},
                       {"Subject kind", CellFormat::text},
                       {"Subject", CellFormat::text},
                       {"Name", CellFormat::text},
                       {"Period", CellFormat::text},
                       {"kWh at risk", CellFormat::kwh},
                       {"Money at risk, CNY (涉及金额)", CellFormat::money},
                       {"Summary", CellFormat::text}},
                      {}};
    for (const auto& t : model.findings.top) {
        const Finding& f = t.finding;
        table.rows.push_back(
            {ReportCell::number(static_cast<double>(t.rank)), ReportCell::text(f.rule_id),
             ReportCell::text(std::string(inspection_area_code(f.area))),
             ReportCell::text(std::string(severity_name(f.severity))), ReportCell::text(f.subject_kind),
             ReportCell::text(f.subject_id), ReportCell::text(t.subject_name), ReportCell::text(f.period),
             f.kwh_at_risk ? ReportCell::number(*f.kwh_at_risk) : ReportCell::empty(),
             f.money_at_risk ? ReportCell::money(*f.money_at_risk) : ReportCell::empty(), ReportCell::text(f.summary)});
    }
    return table;
}

// The closed loop's KPIs (cases/kpis.hpp, docs/kpis.md): the figures of `gridaudit kpis`.
constexpr const char* kpi_title = "Inspection and recovery KPIs (稽查考核)";

std::vector<ReportColumn> kpi_columns() {
    return {{"Findings (稽查发现)", CellFormat::count},
            {"Cases opened (立案)", CellFormat::count},
            {"Concluded (办结)", CellFormat::count},
            {"Verified within deadline (按期核查率)", CellFormat::share},
            {"Confirmed rate (查实率)", CellFormat::share},
            {"kWh assessed (追补电量)", CellFormat::kwh},
            {"Money assessed, CNY (追补金额)", CellFormat::money},
            {"kWh recovered", CellFormat::kwh},
            {"Money recovered, CNY (回收金额)", CellFormat::money},
            {"Recovery rate (回收率)", CellFormat::share},
            {"Mean days to conclusion", CellFormat::tenths},
            {"Mean days to recovery", CellFormat::tenths},
            {"Open at month end", CellFormat::count},
            {"Overdue (超期)", CellFormat::count},
            {"On time (按期率)", CellFormat::share}};
}

ReportCell optional_cell(std::optional<double> x) {
    return x ? ReportCell::number(*x) : ReportCell::empty();
}

void add_kpi_cells(const KpiFigures& f, std::vector<ReportCell>& cells) {
    const auto count = [](std::size_t n) { return ReportCell::number(static_cast<double>(n)); };
    cells.push_back(count(f.findings));
    cells.push_back(count(f.cases_opened));
    cells.push_back(count(f.concluded));
    cells.push_back(optional_cell(f.within_deadline_share()));
    cells.push_back(optional_cell(f.confirmed_rate()));
    cells.push_back(ReportCell::number(f.kwh_assessed));
    cells.push_back(ReportCell::money(f.money_assessed));
    cells.push_back(ReportCell::number(f.kwh_recovered));
    cells.push_back(ReportCell::money(f.money_recovered));
    cells.push_back(optional_cell(f.recovery_rate()));
    cells.push_back(optional_cell(f.mean_days_to_conclusion()));
    cells.push_back(optional_cell(f.mean_days_to_recovery()));
    cells.push_back(count(f.open_at_end));
    cells.push_back(count(f.overdue));
    cells.push_back(optional_cell(f.on_time_share()));
}

ReportTable kpi_unit_table(const ReportModel& model) {
    const KpiReport& kpis = model.kpis;
    const KpiWeights& w = kpis.weights;
    ReportTable table{
        "KPIs by unit",
        fmt::format("{}: by org unit, with the assessment score and rank", kpi_title),
        fmt::format("Each unit counts its own cases and findings and those of the units below; open and overdue "
                    "cases as of {}. Score = 100 x the weighted mean of the within-deadline share ({}), the "
                    "confirmed rate ({}), the recovery rate ({}) and the on-time share ({}) over the components "
                    "with data; rank 1 is the highest score. See docs/kpis.md.",
                    kpis.as_of.to_string(), w.within_deadline, w.confirmed_rate, w.recovery_rate, w.on_time),
        {{"Org unit (供电单位)", CellFormat::text},
         {"Parent unit", CellFormat::text},
         {"Assessment score (考核得分)", CellFormat::tenths},
         {"Rank (排名)", CellFormat::count}},
        {}};
    for (auto& column : kpi_columns()) table.columns.push_back(std::move(column));
    // Competition ranking over the scored units: equal scores share a rank, the next rank skips.
    const auto rank_of = [&](double score) {
        std::size_t higher = 0;
        for (const auto& u : kpis.units) higher += u.score && *u.score > score;
        return higher + 1;
    };
    std::vector<ReportCell> total{ReportCell::text("(all units)"), ReportCell::text(""),
                                  optional_cell(kpis.total_score), ReportCell::empty()};
    add_kpi_cells(kpis.total, total);
    table.rows.push_back(std::move(total));
    for (const auto& u : kpis.units) {
        std::vector<ReportCell> cells{
            ReportCell::text(u.unit_id), ReportCell::text(u.parent_id), optional_cell(u.score),
            u.score ? ReportCell::number(static_cast<double>(rank_of(*u.score))) : ReportCell::empty()};
        add_kpi_cells(u.figures, cells);
        table.rows.push_back(std::move(cells));
    }
    return table;
}

ReportTable kpi_person_table(const ReportModel& model) {
    ReportTable table{"KPIs by person",
                      fmt::format("{}: by person", kpi_title),
                      "The cases assigned to each person now (a person has no findings of their own).",
                      {{"Person (责任人)", CellFormat::text}},
                      {}};
    for (auto& column : kpi_columns()) table.columns.push_back(std::move(column));
    for (const auto& p : model.kpis.people) {
        std::vector<ReportCell> cells{ReportCell::text(p.username)};
        add_kpi_cells(p.figures, cells);
        table.rows.push_back(std::move(cells));
    }
    return table;
}

ReportTable kpi_rule_table(const ReportModel& model) {
    ReportTable table{"KPIs by rule",
                      fmt::format("{}: confirmed rate by rule (measured precision)", kpi_title),
                      "Over the cases concluded in the month, the share not concluded no_problem among the cases "
                      "each rule's findings are evidence of.",
                      {{"Rule", CellFormat::text},
                       {"Concluded (办结)", CellFormat::count},
                       {"Confirmed (查实)", CellFormat::count},
                       {"Confirmed rate (查实率)", CellFormat::share}},
                      {}};
    for (const auto& r : model.kpis.rules)
        table.rows.push_back({ReportCell::text(r.rule_id), ReportCell::number(static_cast<double>(r.concluded)),
                              ReportCell::number(static_cast<double>(r.confirmed)), ReportCell::number(r.precision())});
    return table;
}

}  // namespace

std::vector<ReportTable> report_tables(const ReportModel& model) {
    std::vector<ReportTable> tables{summary_table(model)};
    for (const auto& level : model.levels) tables.push_back(level_table(level));
    tables.push_back(unit_table(model));
    tables.push_back(price_table(model));
    tables.push_back(area_findings_table(model));
    tables.push_back(rule_findings_table(model));
    tables.push_back(top_findings_table(model));
    tables.push_back(kpi_unit_table(model));
    tables.push_back(kpi_person_table(model));
    tables.push_back(kpi_rule_table(model));
    return tables;
}

std::string cell_text(const ReportCell& cell, CellFormat column_format) {
    const CellFormat format = cell.format.value_or(column_format);
    if (const auto* text = std::get_if<std::string>(&cell.value)) return *text;
    if (const auto* money = std::get_if<Money>(&cell.value)) return group_thousands(money->to_string(2));
    const auto* number = std::get_if<double>(&cell.value);
    if (!number) return "";
    const double x = *number;
    switch (format) {
        case CellFormat::count:
        case CellFormat::kwh: {
            const double rounded = std::round(x);
            return group_thousands(fmt::format("{:.0f}", rounded == 0 ? 0.0 : rounded));
        }
        case CellFormat::rate:
            return fmt::format("{:.2f}%", x * 100);
        case CellFormat::rate_change: {
            const double points = std::round(x * 10000) / 100;  // no "-0.00 pt" for a change that rounds to nothing
            return fmt::format("{:+.2f} pt", points == 0 ? 0.0 : points);
        }
        case CellFormat::share:
            return fmt::format("{:.1f}%", x * 100);
        case CellFormat::price:
            return fmt::format("{:.4f}", x);
        case CellFormat::money:
            return group_thousands(fmt::format("{:.2f}", x));
        case CellFormat::tenths:
            return fmt::format("{:.1f}", x);
        case CellFormat::text:
            return fmt::format("{}", x);
    }
    return "";
}

}  // namespace gridaudit
