// ECharts, imported per chart type (echarts/core with only the charts and components used here),
// so the bundle carries what the pages draw and no more. (The heat map is drawn by heatmap.ts.)
import { BarChart, LineChart, TreeChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { onPageChange } from './page-cleanup';

echarts.use([
  BarChart,
  LineChart,
  TreeChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type Chart = echarts.ECharts;
export type ChartOption = echarts.EChartsCoreOption;

const live = new Set<Chart>();

// A chart in `element`, resized with the window; disposed by disposeCharts() when the page changes.
export function chart(element: HTMLElement, option: ChartOption): Chart {
  const instance = echarts.init(element, undefined, { renderer: 'canvas' });
  // No animation: the numbers are there at once (and a screenshot shows them).
  // data-drawn marks the element once every series is drawn (a progressive heat map takes frames).
  instance.on('finished', () => {
    element.dataset.drawn = 'true';
  });
  instance.setOption({ animation: false, ...option });
  live.add(instance);
  return instance;
}

export function disposeCharts(): void {
  for (const instance of live) instance.dispose();
  live.clear();
}
onPageChange(disposeCharts);

window.addEventListener('resize', () => {
  for (const instance of live) instance.resize();
});

// The colours of the loss classes (docs/loss.md), shared by the tree and the legend.
export const lossClassColour: Record<string, string> = {
  qualified: '#3a9a5b',
  high: '#e8a33d',
  very_high: '#d64545',
  negative: '#7a5cc2',
  not_computable: '#9aa0a6',
};
