// The script `gridaudit report --out FILE.html` inlines into the page (built by `npm run
// build:report` into src/report/report_charts.bundle.js, embedded in the binary): ECharts with only
// the chart types the report draws, drawing each chart of the page's
// <script type="application/json" id="report-chart-data"> into its <div id="chart-ID">. No network.
import { BarChart, LineChart, TreemapChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { chartOption, type ReportChartsData } from './report-options';

echarts.use([BarChart, LineChart, TreemapChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

function draw(): void {
  const source = document.getElementById('report-chart-data');
  if (!source?.textContent) return;
  const data = JSON.parse(source.textContent) as ReportChartsData;
  const drawn: echarts.ECharts[] = [];
  for (const chart of data.charts) {
    const element = document.getElementById(`chart-${chart.id}`);
    if (!element) continue;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    instance.setOption(chartOption(chart, data.classes));
    element.dataset.drawn = 'true';
    drawn.push(instance);
  }
  window.addEventListener('resize', () => {
    for (const instance of drawn) instance.resize();
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
else draw();
