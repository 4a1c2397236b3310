// The monthly report's charts as data: what a manager reads first (the distribution of the areas'
// loss rates by class, the areas as a map of their classes, supply, sales and loss by month,
// findings and money at risk by inspection area, money assessed and recovered by org unit), each
// a list of categories with named series of numbers taken from the report model. Format-free like
// the tables: the HTML page draws them with ECharts (report_html.hpp, the script of
// web/src/report/), the workbook as native Excel charts over a sheet of their numbers
// (report_xlsx.hpp). Thread safety: plain data, stateless functions.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "report/report_model.hpp"
#include "report/report_tables.hpp"

namespace gridaudit {

// How a chart is drawn: grouped bars (with lines where a series says so), bars stacked per
// category, or (HTML) a treemap of `leaves` whose workbook form is a pie of the series' values.
enum class ChartKind { bars, stacked_bars, treemap };

enum class ChartMark { bar, line };

struct ChartSeries {
    std::string name;
    ChartMark mark = ChartMark::bar;
    bool right_axis = false;                // on the second value axis (a rate beside kWh)
    CellFormat format = CellFormat::count;  // how its values are shown: count, kwh, rate or money
    std::vector<double> values;             // one per category; NaN: no value
    std::string colour;                     // "#rrggbb", or "" for the chart's palette
};

// One transformer area in the map of classes: sized by its supply, coloured by its class, grouped
// by the org unit responsible for it.
struct ChartLeaf {
    std::string group;  // org unit ("(none)" without one)
    std::string id, name, loss_class;
    double supply_kwh = 0;
    double loss_rate = 0;  // NaN when not computable
};

struct ReportChart {
    std::string id;     // the page's element id: "chart-" + id
    std::string title;  // with the Chinese term, as the tables' titles
    std::string note;   // what the numbers are, one sentence
    ChartKind kind = ChartKind::bars;
    std::string category_axis;  // the name of the category axis ("" for none)
    std::vector<std::string> categories;
    std::vector<ChartSeries> series;
    std::vector<ChartLeaf> leaves;  // treemap only
};

// The loss-rate bins of the distribution: below 0, 1-point bins from 0 to 12 %, 12 % and above,
// and the areas not computable; each area falls into exactly one.
[[nodiscard]] std::vector<std::string> loss_rate_bins();
// The bin of a rate (NaN: the last bin, not computable).
[[nodiscard]] std::size_t loss_rate_bin(double rate);

// The loss classes in the order the charts show them, with their colours (the dashboard's).
struct LossClassStyle {
    const char* loss_class;
    const char* label;
    const char* colour;
};
[[nodiscard]] std::span<const LossClassStyle> loss_class_styles();

// The charts, in order: loss-rate-distribution, area-classes, monthly-loss, findings-by-area, recovery.
[[nodiscard]] std::vector<ReportChart> report_charts(const ReportModel& model);

// {"charts": [{"id", "title", "note", "kind", "category_axis", "categories", "series": [{"name",
// "mark", "right_axis", "format", "values", "colour"}], "leaves": [{"group", "id", "name", "loss_class",
// "supply_kwh", "loss_rate"}]}], "classes": [{"loss_class", "label", "colour"}]}: NaN as null.
[[nodiscard]] nlohmann::json report_charts_json(const std::vector<ReportChart>& charts);

}  // namespace gridaudit
