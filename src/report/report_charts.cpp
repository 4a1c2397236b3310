// The report's charts from the model (see report_charts.hpp).
#include "report/report_charts.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

namespace gridaudit {
namespace {

constexpr int top_bin_percent = 12;
constexpr double no_value = std::numeric_limits<double>::quiet_NaN();

constexpr std::array<LossClassStyle, 5> class_styles{{
    {"qualified", "Qualified (合格)", "#3a9a5b"},
    {"high", "High (高损)", "#e8a33d"},
    {"very_high", "Very high (严重高损)", "#d64545"},
    {"negative", "Negative (负损)", "#7a5cc2"},
    {"not_computable", "Not computable (不可计算)", "#9aa0a6"},
}};

// The number a money cell shows: Money's two-decimal text, read back (as the workbook stores it).
double money_value(const Money& money) {
    return std::strtod(money.to_string(2).c_str(), nullptr);
}

double count_value(std::size_t n) {
    return static_cast<double>(n);
}

ReportChart loss_rate_distribution(const ReportModel& model) {
    ReportChart chart{"loss-rate-distribution",
                      "Transformer areas by loss rate (台区线损率分布)",
                      "How many areas have each month's loss rate, in 1-point bins, stacked by their class under "
                      "LOSS-AREA-HIGH's thresholds.",
                      ChartKind::stacked_bars,
                      "Loss rate (线损率)",
                      loss_rate_bins(),
                      {},
                      {}};
    std::map<std::string, std::size_t> series_of_class;
    for (const LossClassStyle& style : class_styles) {
        series_of_class[style.loss_class] = chart.series.size();
        chart.series.push_back({style.label, ChartMark::bar, false, CellFormat::count,
                                std::vector<double>(chart.categories.size(), 0.0), style.colour});
    }
    if (const auto* areas = model.level(BalanceLevel::area))
        for (const LossTableRow& row : areas->rows) {
            const auto it = series_of_class.find(row.loss_class);
            if (it == series_of_class.end()) continue;
            chart.series[it->second].values[loss_rate_bin(row.loss_rate)] += 1;
        }
    return chart;
}

ReportChart area_classes(const ReportModel& model) {
    ReportChart chart{"area-classes",
                      "Transformer areas by class (台区线损分类)",
                      "Each area a tile sized by its supply and coloured by its class, grouped by the org unit "
                      "responsible for it; the workbook shows the count of areas of each class.",
                      ChartKind::treemap,
                      "",
                      {},
                      {{"Areas (台区数)", ChartMark::bar, false, CellFormat::count, {}, ""}},
                      {}};
    std::map<std::string, std::size_t> count;
    if (const auto* areas = model.level(BalanceLevel::area))
        for (const LossTableRow& row : areas->rows) {
            ++count[row.loss_class];
            chart.leaves.push_back({row.unit_id.empty() ? "(none)" : row.unit_id, row.node_id, row.node_name,
                                    row.loss_class, std::isfinite(row.supply_kwh) ? row.supply_kwh : 0.0,
                                    row.loss_rate});
        }
    for (const LossClassStyle& style : class_styles) {
        chart.categories.emplace_back(style.label);
        chart.series[0].values.push_back(count_value(count[style.loss_class]));
    }
    return chart;
}

ReportChart monthly_loss(const ReportModel& model) {
    ReportChart chart{"monthly-loss",
                      "Supply, sales and loss by month (月度供售损)",
                      "The utility's supply, sales and loss summed over the substations computable each month, "
                      "and the loss rate of those sums.",
                      ChartKind::bars,
                      "Month (月份)",
                      {},
                      {{"Supply kWh (供电量)", ChartMark::bar, false, CellFormat::kwh, {}, "#4a78b5"},
                       {"Sales kWh (售电量)", ChartMark::bar, false, CellFormat::kwh, {}, "#7fb3d5"},
                       {"Loss kWh (损失电量)", ChartMark::bar, false, CellFormat::kwh, {}, "#e8a33d"},
                       {"Loss rate (线损率)", ChartMark::line, true, CellFormat::rate, {}, "#d64545"}},
                      {}};
    for (const MonthlyLoss& month : model.months) {
        const bool computable = month.substations > month.not_computable;
        chart.categories.push_back(month.month.to_string());
        chart.series[0].values.push_back(computable ? month.supply_kwh : no_value);
        chart.series[1].values.push_back(computable ? month.sales_kwh : no_value);
        chart.series[2].values.push_back(computable ? month.loss_kwh : no_value);
        chart.series[3].values.push_back(month.loss_rate);
    }
    return chart;
}

ReportChart findings_by_area(const ReportModel& model) {
    ReportChart chart{"findings-by-area",
                      "Findings and money at risk by inspection area (稽查发现)",
                      "The audit's findings of the month by area code, and the money at risk they state (an upper "
                      "bound: the rules overlap).",
                      ChartKind::bars,
                      "Inspection area (稽查领域)",
                      {},
                      {{"Findings (稽查发现)", ChartMark::bar, false, CellFormat::count, {}, "#4a78b5"},
                       {"Money at risk, CNY (涉及金额)", ChartMark::bar, true, CellFormat::money, {}, "#d64545"}},
                      {}};
    for (const AreaFindingTotals& area : model.findings.by_area) {
        chart.categories.emplace_back(inspection_area_code(area.area));
        chart.series[0].values.push_back(count_value(area.totals.count));
        chart.series[1].values.push_back(money_value(area.totals.money_at_risk));
    }
    return chart;
}

ReportChart recovery(const ReportModel& model) {
    ReportChart chart{"recovery",
                      "Back-billing assessed and recovered by org unit (追补与回收)",
                      "Money assessed (back-billings approved in the month) and recovered (payments of the month) "
                      "by org unit, each counting the units below it, and the recovery rate.",
                      ChartKind::bars,
                      "Org unit (供电单位)",
                      {},
                      {{"Assessed, CNY (追补)", ChartMark::bar, false, CellFormat::money, {}, "#4a78b5"},
                       {"Recovered, CNY (回收)", ChartMark::bar, false, CellFormat::money, {}, "#3a9a5b"},
                       {"Recovery rate (回收率)", ChartMark::line, true, CellFormat::rate, {}, "#d64545"}},
                      {}};
    for (const UnitKpis& unit : model.kpis.units) {
        chart.categories.push_back(unit.unit_id);
        chart.series[0].values.push_back(money_value(unit.figures.money_assessed));
        chart.series[1].values.push_back(money_value(unit.figures.money_recovered));
        chart.series[2].values.push_back(unit.figures.recovery_rate().value_or(no_value));
    }
    return chart;
}

const char* kind_name(ChartKind kind) {
    switch (kind) {
        case ChartKind::bars:
            return "bars";
        case ChartKind::stacked_bars:
            return "stacked_bars";
        case ChartKind::treemap:
            return "treemap";
    }
    return "bars";
}

const char* format_name(CellFormat format) {
    switch (format) {
        case CellFormat::kwh:
            return "kwh";
        case CellFormat::rate:
            return "rate";
        case CellFormat::money:
            return "money";
        default:
            return "count";
    }
}

nlohmann::json number_or_null(double x) {
    return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

}  // namespace

std::vector<std::string> loss_rate_bins() {
    std::vector<std::string> bins{"< 0%"};
    for (int p = 0; p < top_bin_percent; ++p) bins.push_back(fmt::format("{}-{}%", p, p + 1));
    bins.push_back(fmt::format(">= {}%", top_bin_percent));
    bins.emplace_back("not computable");
    return bins;
}

std::size_t loss_rate_bin(double rate) {
    if (std::isnan(rate)) return top_bin_percent + 2;
    if (rate < 0) return 0;
    const double percent = rate * 100;
    if (percent >= top_bin_percent) return top_bin_percent + 1;
    return static_cast<std::size_t>(std::floor(percent)) + 1;
}

std::span<const LossClassStyle> loss_class_styles() {
    return class_styles;
}

std::vector<ReportChart> report_charts(const ReportModel& model) {
    return {loss_rate_distribution(model), area_classes(model), monthly_loss(model), findings_by_area(model),
            recovery(model)};
}

nlohmann::json report_charts_json(const std::vector<ReportChart>& charts) {
    nlohmann::json list = nlohmann::json::array();
    for (const ReportChart& chart : charts) {
        nlohmann::json series = nlohmann::json::array();
        for (const ChartSeries& s : chart.series) {
            nlohmann::json values = nlohmann::json::array();
            for (const double v : s.values) values.push_back(number_or_null(v));
            series.push_back({{"name", s.name},
                              {"mark", s.mark == ChartMark::line ? "line" : "bar"},
                              {"right_axis", s.right_axis},
                              {"format", format_name(s.format)},
                              {"values", std::move(values)},
                              {"colour", s.colour}});
        }
        nlohmann::json leaves = nlohmann::json::array();
        for (const ChartLeaf& leaf : chart.leaves)
            leaves.push_back({{"group", leaf.group},
                              {"id", leaf.id},
                              {"name", leaf.name},
                              {"loss_class", leaf.loss_class},
                              {"supply_kwh", number_or_null(leaf.supply_kwh)},
                              {"loss_rate", number_or_null(leaf.loss_rate)}});
        list.push_back({{"id", chart.id},
                        {"title", chart.title},
                        {"note", chart.note},
                        {"kind", kind_name(chart.kind)},
                        {"category_axis", chart.category_axis},
                        {"categories", chart.categories},
                        {"series", std::move(series)},
                        {"leaves", std::move(leaves)}});
    }
    nlohmann::json classes = nlohmann::json::array();
    for (const LossClassStyle& style : class_styles)
        classes.push_back({{"loss_class", style.loss_class}, {"label", style.label}, {"colour", style.colour}});
    return {{"charts", std::move(list)}, {"classes", std::move(classes)}};
}

}  // namespace gridaudit
