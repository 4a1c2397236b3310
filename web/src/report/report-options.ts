// The monthly report's charts as ECharts options, from the chart data `gridaudit report` writes
// into the page (src/report/report_charts.hpp, report_charts_json): pure functions of that data,
// so the numbers drawn are exactly the report model's.
import type { EChartsCoreOption } from 'echarts/core';

export type ValueFormat = 'count' | 'kwh' | 'rate' | 'money';

export interface ChartSeriesData {
  name: string;
  mark: 'bar' | 'line';
  right_axis: boolean;
  format: ValueFormat;
  values: (number | null)[];
  colour: string;
}

export interface ChartLeafData {
  group: string;
  id: string;
  name: string;
  loss_class: string;
  supply_kwh: number | null;
  loss_rate: number | null;
}

export interface ChartData {
  id: string;
  title: string;
  note: string;
  kind: 'bars' | 'stacked_bars' | 'treemap';
  category_axis: string;
  categories: string[];
  series: ChartSeriesData[];
  leaves: ChartLeafData[];
}

export interface LossClassData {
  loss_class: string;
  label: string;
  colour: string;
}

export interface ReportChartsData {
  charts: ChartData[];
  classes: LossClassData[];
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const cents = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

// A value as the report's tables show it: kWh and counts grouped, rates in %, money in CNY.
export function formatValue(value: number | null | undefined, format: ValueFormat): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  switch (format) {
    case 'rate':
      return `${(value * 100).toFixed(2)}%`;
    case 'money':
      return `${cents.format(value)} CNY`;
    case 'kwh':
      return `${grouped.format(value)} kWh`;
    default:
      return grouped.format(value);
  }
}

// An axis label: short (k, M) for big numbers, % for rates.
function axisLabel(format: ValueFormat): (value: number) => string {
  if (format === 'rate') return (value) => `${(value * 100).toFixed(1)}%`;
  return (value) => {
    const size = Math.abs(value);
    if (size >= 1e9) return `${(value / 1e9).toFixed(1)}G`;
    if (size >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
    if (size >= 1e3) return `${(value / 1e3).toFixed(0)}k`;
    return String(value);
  };
}

function barsOption(chart: ChartData): EChartsCoreOption {
  const left = chart.series.find((s) => !s.right_axis);
  const right = chart.series.find((s) => s.right_axis);
  const axes = [left, right].filter((s): s is ChartSeriesData => s !== undefined);
  const stacked = chart.kind === 'stacked_bars';
  return {
    animation: false,
    legend: { top: 0 },
    grid: { left: 70, right: right ? 70 : 24, top: 40, bottom: 60 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (items: { seriesIndex: number; axisValueLabel: string; value: number | null; marker: string }[]) => {
        const lines = items.map((item) => {
          const series = chart.series[item.seriesIndex];
          return `${item.marker}${series.name}: ${formatValue(item.value, series.format)}`;
        });
        return [items[0]?.axisValueLabel ?? '', ...lines].join('<br>');
      },
    },
    xAxis: {
      type: 'category',
      name: chart.category_axis,
      nameLocation: 'middle',
      nameGap: 40,
      data: chart.categories,
      axisLabel: { interval: 0, rotate: chart.categories.length > 8 ? 30 : 0 },
    },
    yAxis: axes.map((s) => ({ type: 'value', axisLabel: { formatter: axisLabel(s.format) }, splitLine: { show: !s.right_axis } })),
    series: chart.series.map((s) => ({
      name: s.name,
      type: s.mark,
      yAxisIndex: s.right_axis && axes.length > 1 ? 1 : 0,
      stack: stacked && s.mark === 'bar' ? 'total' : undefined,
      data: s.values,
      itemStyle: s.colour ? { color: s.colour } : undefined,
      lineStyle: s.colour && s.mark === 'line' ? { color: s.colour } : undefined,
      connectNulls: false,
    })),
  };
}

// Areas grouped by unit, coloured by class; the classes' legend is written by the page (report_html.cpp).
function treemapOption(chart: ChartData, classes: LossClassData[]): EChartsCoreOption {
  const colour = new Map(classes.map((c) => [c.loss_class, c.colour]));
  const label = new Map(classes.map((c) => [c.loss_class, c.label]));
  const groups = new Map<string, ChartLeafData[]>();
  for (const leaf of chart.leaves) {
    const list = groups.get(leaf.group) ?? [];
    list.push(leaf);
    groups.set(leaf.group, list);
  }
  return {
    animation: false,
    tooltip: {
      formatter: (item: { data: { leaf?: ChartLeafData }; name: string }) => {
        const leaf = item.data.leaf;
        if (!leaf) return item.name;
        return [
          `${leaf.id} ${leaf.name}`,
          `${label.get(leaf.loss_class) ?? leaf.loss_class}`,
          `Loss rate: ${formatValue(leaf.loss_rate, 'rate')}`,
          `Supply: ${formatValue(leaf.supply_kwh, 'kwh')}`,
        ].join('<br>');
      },
    },
    series: [
      {
        type: 'treemap',
        top: 4,
        left: 4,
        right: 4,
        bottom: 4,
        roam: false,
        nodeClick: false,
        breadcrumb: { show: false },
        upperLabel: { show: true, height: 18, color: '#fff', formatter: '{b}' },
        label: { show: true, formatter: '{b}', fontSize: 10 },
        levels: [
          { itemStyle: { borderColor: '#fff', borderWidth: 0, gapWidth: 3 } },
          { itemStyle: { borderColor: '#555', borderWidth: 2, gapWidth: 1 }, upperLabel: { show: true } },
          { itemStyle: { borderColor: '#fff', borderWidth: 1, gapWidth: 1 } },
        ],
        data: [...groups].map(([group, leaves]) => ({
          name: group,
          children: leaves.map((leaf) => ({
            name: leaf.id,
            // A tile needs an area: an area without supply gets the smallest visible one.
            value: Math.max(leaf.supply_kwh ?? 0, 1),
            leaf,
            itemStyle: { color: colour.get(leaf.loss_class) ?? '#9aa0a6' },
          })),
        })),
      },
    ],
  };
}

export function chartOption(chart: ChartData, classes: LossClassData[]): EChartsCoreOption {
  return chart.kind === 'treemap' ? treemapOption(chart, classes) : barsOption(chart);
}
