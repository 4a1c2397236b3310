// The script the report's HTML page inlines to draw its charts: ECharts (bar, line and treemap
// charts, the canvas renderer) and the drawing of report_charts_json's data, built from
// web/src/report/ by `npm run build:report` into src/report/report_charts.bundle.js and embedded
// in the binary at build time, so `gridaudit report` needs no file beside it and the page no network.
// Thread safety: immutable data.
#pragma once

#include <string_view>

namespace gridaudit {

// The script's text (UTF-8 JavaScript), without "</script" (the page would end it early).
[[nodiscard]] std::string_view report_chart_script();

}  // namespace gridaudit
