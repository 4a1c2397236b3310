// Line loss (线损): the network as a tree (substation > bus > feeder > area) coloured by each
// node's loss class for the month; the heat map of areas x days coloured by the daily loss rate;
// clicking an area (in either) draws its supply, sales and loss series, its ranked suspects and
// the findings on it (its loss and topology). Each chart has its table and CSV. The month and the
// chosen area are in the query string.
import { get, type Page } from '../api';
import { chart, lossClassColour } from '../charts';
import { heatMap } from '../heatmap';
import { h } from '../dom';
import { number, percent, t, term } from '../i18n';
import { href, setQuery } from '../router';
import { chartWithTable, csvButton, table, type Column } from '../table';
import type { Finding } from './findings';
import { errorBox, type PageContext } from './shell';

interface NetworkNode {
  id: string;
  name: string;
  kind: string;
  parent: string | null;
  unit_id: string;
  supply_kwh: number | null;
  sales_kwh: number | null;
  loss_kwh: number | null;
  loss_rate: number | null;
  loss_class: string;
}

// GET /api/loss/daily?encoding=f32: the rates as one base64 block of little-endian float32, row-major
// (NaN: no rate), decoded without a parse per number (docs/api.md).
interface DailyLoss {
  level: string;
  dates: string[];
  nodes: { id: string; name: string; unit_id: string }[];
  loss_rate_f32: string;
}

export function decodeFloat32(base64: string): Float32Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; ++i) bytes[i] = text.charCodeAt(i);
  return new Float32Array(bytes.buffer, 0, bytes.length >> 2);
}

// A float32 rate as the tooltip and table show it (to the 0.01 % the server rounds to).
function rateAt(values: Float32Array, at: number): number | null {
  const value = values[at];
  return Number.isNaN(value) ? null : Math.round(value * 1e4) / 1e4;
}

interface NodeSeries {
  node: { id: string; name: string; kind: string; unit_id: string };
  dates: string[];
  supply_kwh: (number | null)[];
  sales_kwh: (number | null)[];
  loss_kwh: (number | null)[];
  loss_rate: (number | null)[];
}

interface Suspect {
  rank: number;
  customer_id: string;
  name: string;
  unit_id: string;
  score: number | null;
  daily_correlation: number | null;
  loss_share: number | null;
  unmetered_kwh: number | null;
  deficit_days: number;
  first_deficit_day: string | null;
  anomalous_days: number;
  reason: string | null;
}

interface TreeItem {
  name: string;
  id: string;
  value: number | null;
  itemStyle: { color: string; borderColor: string };
  children?: TreeItem[];
  collapsed?: boolean;
}

function treeOf(nodes: NetworkNode[]): TreeItem[] {
  const items = new Map<string, TreeItem>();
  for (const node of nodes) {
    const colour = lossClassColour[node.loss_class] ?? lossClassColour.not_computable;
    items.set(node.id, {
      name: `${node.name} ${percent(node.loss_rate)}`,
      id: node.id,
      value: node.loss_rate,
      itemStyle: { color: colour, borderColor: colour },
      collapsed: node.kind === 'feeder',
    });
  }
  const roots: TreeItem[] = [];
  for (const node of nodes) {
    const item = items.get(node.id)!;
    const parent = node.parent ? items.get(node.parent) : undefined;
    if (parent) (parent.children ??= []).push(item);
    else roots.push(item);
  }
  return roots;
}

function classLegend(): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    Object.entries(lossClassColour).map(([name, colour]) =>
      h('span', {}, h('i', { style: `background:${colour}` }), term('class', name)),
    ),
  );
}

// The area's customers ranked as theft suspects, each a link to the customer's page.
function suspectsTable(node: string, suspects: Suspect[]): HTMLElement {
  const columns: Column<Suspect>[] = [
    { label: '#', value: (s) => s.rank, numeric: true },
    {
      label: t('suspects.customer'),
      value: (s) => s.customer_id,
      cell: (s) => h('a', { href: `/customers/${encodeURIComponent(s.customer_id)}`, 'data-link': true }, `${s.name} (${s.customer_id})`),
    },
    { label: t('suspects.score'), value: (s) => s.score, cell: (s) => number(s.score, 2), numeric: true },
    { label: t('suspects.correlation'), value: (s) => s.daily_correlation, cell: (s) => number(s.daily_correlation, 3), numeric: true },
    { label: t('suspects.unmetered'), value: (s) => s.unmetered_kwh, cell: (s) => number(s.unmetered_kwh, 0), numeric: true },
    { label: t('suspects.deficit_days'), value: (s) => s.deficit_days, numeric: true },
    { label: t('suspects.from'), value: (s) => s.first_deficit_day ?? '' },
    { label: t('suspects.reason'), value: (s) => s.reason ?? '', cell: (s) => (s.reason ? term('signal', s.reason) : '—') },
  ];
  return h(
    'div',
    { 'data-testid': 'suspects' },
    h('div', { class: 'toolbar' }, h('h3', {}, t('suspects.title')), csvButton(`${node}-suspects.csv`, columns, () => suspects)),
    suspects.length ? table(columns, suspects) : h('p', { class: 'hint' }, t('suspects.none')),
  );
}

// The findings on the area itself (its loss, its topology: LOSS-AREA-HIGH, LOSS-TOPOLOGY, ...).
function areaFindings(findings: Finding[]): HTMLElement {
  const columns: Column<Finding>[] = [
    { label: t('field.id'), value: (f) => f.id, cell: (f) => h('a', { href: href('/findings', { finding: f.id }), 'data-link': true }, `#${f.id}`) },
    { label: t('field.rule'), value: (f) => f.rule_id },
    { label: t('field.severity'), value: (f) => f.severity, cell: (f) => h('span', { class: `badge severity-${f.severity}` }, term('severity', f.severity)) },
    { label: t('field.period'), value: (f) => f.period },
    { label: t('field.summary'), value: (f) => f.summary },
  ];
  return h(
    'div',
    { 'data-testid': 'area-findings' },
    h('h3', {}, t('lineloss.findings')),
    findings.length ? table(columns, findings) : h('p', { class: 'hint' }, t('common.none')),
  );
}

// GET /api/nodes/{id}/intervals (docs/api.md): an area's 15-minute figures of one day.
interface NodeIntervals {
  date: string;
  has_intervals: boolean;
  gateway_meters_with_intervals: number;
  customers: number;
  customers_with_intervals: number;
  times: string[];
  supply_kwh: (number | null)[];
  sales_kwh: (number | null)[];
  loss_kwh: (number | null)[];
  loss_rate: (number | null)[];
}

// The area's day within the day, where its meters record intervals: supply and sales every 15
// minutes, and the loss when every customer has intervals.
async function drawIntervals(holder: HTMLElement, id: string, date?: string): Promise<void> {
  holder.replaceChildren(t('common.loading'));
  let day: NodeIntervals;
  try {
    day = await get<NodeIntervals>(`/api/nodes/${encodeURIComponent(id)}/intervals`, { date });
  } catch (error) {
    holder.replaceChildren(errorBox(error));
    return;
  }
  const dateInput = h('input', { type: 'date', name: 'date', value: day.date });
  dateInput.addEventListener('change', () => {
    if (dateInput.value) void drawIntervals(holder, id, dateInput.value);
  });
  const heading = h('h3', {}, `${t('lineloss.intervals')} · `, dateInput);
  if (!day.has_intervals) {
    holder.replaceChildren(heading, h('p', { class: 'hint', 'data-testid': 'no-intervals' }, t('lineloss.no_intervals')));
    return;
  }
  const rows = day.times.map((time, s) => ({ time, supply: day.supply_kwh[s], sales: day.sales_kwh[s], loss: day.loss_kwh[s], rate: day.loss_rate[s] }));
  type Row = (typeof rows)[number];
  const columns: Column<Row>[] = [
    { label: t('lineloss.time'), value: (r) => r.time },
    { label: t('field.supply'), value: (r) => r.supply, cell: (r) => number(r.supply, 2), numeric: true },
    { label: t('field.sales'), value: (r) => r.sales, cell: (r) => number(r.sales, 2), numeric: true },
    { label: t('field.loss'), value: (r) => r.loss, cell: (r) => number(r.loss, 2), numeric: true },
    { label: t('field.loss_rate'), value: (r) => r.rate, cell: (r) => percent(r.rate), numeric: true },
  ];
  const element = h('div', { class: 'chart', 'data-testid': 'area-intervals' });
  const complete = day.customers_with_intervals === day.customers && day.gateway_meters_with_intervals > 0;
  holder.replaceChildren(
    heading,
    h(
      'p',
      { class: 'hint' },
      `${t('lineloss.interval_coverage')}: ${number(day.customers_with_intervals)} / ${number(day.customers)}${complete ? '' : ` · ${t('lineloss.partial_sales')}`}`,
    ),
    chartWithTable(element, () => table(columns, rows), [csvButton(`${id}-${day.date}-intervals.csv`, columns, () => rows)]),
  );
  chart(element, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 70, right: 30, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: day.times, axisLabel: { interval: 7 } },
    yAxis: { type: 'value', name: 'kWh' },
    series: [
      { type: 'line', name: t('field.supply'), data: day.supply_kwh, showSymbol: false },
      { type: 'line', name: t('field.sales'), data: day.sales_kwh, showSymbol: false },
      ...(complete ? [{ type: 'bar', name: t('field.loss'), data: day.loss_kwh }] : []),
    ],
  });
}

async function drawSeries(holder: HTMLElement, id: string): Promise<void> {
  holder.replaceChildren(t('common.loading'));
  let series: NodeSeries;
  let suspects: { suspects: Suspect[] };
  let findings: Page<Finding>;
  try {
    [series, suspects, findings] = await Promise.all([
      get<NodeSeries>(`/api/nodes/${encodeURIComponent(id)}/series`),
      get<{ suspects: Suspect[] }>(`/api/nodes/${encodeURIComponent(id)}/suspects`, { top: 10 }),
      get<Page<Finding>>('/api/findings', { subject_kind: 'node', subject_id: id, page_size: 20 }),
    ]);
  } catch (error) {
    holder.replaceChildren(errorBox(error));
    return;
  }
  const element = h('div', { class: 'chart', 'data-testid': 'area-series' });
  const intervalHolder = h('div', { 'data-testid': 'intervals-panel' });
  const rows = series.dates.map((date, d) => ({
    date,
    supply: series.supply_kwh[d],
    sales: series.sales_kwh[d],
    loss: series.loss_kwh[d],
    rate: series.loss_rate[d],
  }));
  type Row = (typeof rows)[number];
  const columns: Column<Row>[] = [
    { label: t('field.date'), value: (r) => r.date },
    { label: t('field.supply'), value: (r) => r.supply, cell: (r) => number(r.supply, 1), numeric: true },
    { label: t('field.sales'), value: (r) => r.sales, cell: (r) => number(r.sales, 1), numeric: true },
    { label: t('field.loss'), value: (r) => r.loss, cell: (r) => number(r.loss, 1), numeric: true },
    { label: t('field.loss_rate'), value: (r) => r.rate, cell: (r) => percent(r.rate), numeric: true },
  ];
  holder.replaceChildren(
    h('h2', {}, `${t('lineloss.series')} ${series.node.name} (${series.node.id})`),
    chartWithTable(element, () => table(columns, rows), [csvButton(`${series.node.id}-series.csv`, columns, () => rows)]),
    intervalHolder,
    suspectsTable(series.node.id, suspects.suspects),
    areaFindings(findings.items),
  );
  const daily = chart(element, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 70, right: 70, top: 40, bottom: 60 },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 10 }],
    xAxis: { type: 'category', data: series.dates },
    yAxis: [
      { type: 'value', name: 'kWh' },
      { type: 'value', name: t('field.loss_rate'), axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(0)}%` } },
    ],
    series: [
      { type: 'line', name: t('field.supply'), data: series.supply_kwh, showSymbol: false },
      { type: 'line', name: t('field.sales'), data: series.sales_kwh, showSymbol: false },
      { type: 'bar', name: t('field.loss'), data: series.loss_kwh },
      { type: 'line', name: t('field.loss_rate'), data: series.loss_rate, yAxisIndex: 1, showSymbol: false },
    ],
  });
  // A day clicked on the daily chart shows that day's intervals; the last day to begin with.
  daily.on('click', (event) => {
    const date = series.dates[event.dataIndex];
    if (date) void drawIntervals(intervalHolder, series.node.id, date);
  });
  await drawIntervals(intervalHolder, series.node.id, series.dates[series.dates.length - 1]);
}

export async function lineLossPage(root: HTMLElement, context: PageContext): Promise<void> {
  const { query } = context.location;
  const period = query.get('period') ?? '';
  const selected = query.get('area') ?? '';
  const monthInput = h('input', { type: 'month', name: 'period', value: period });
  const form = h('form', { class: 'filters' }, h('label', {}, t('lineloss.month'), monthInput), h('button', { type: 'submit' }, t('common.apply')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setQuery({ period: monthInput.value, area: selected });
  });
  const treeHolder = h('section', { class: 'panel' }, t('common.loading'));
  const heatHolder = h('section', { class: 'panel' }, t('common.loading'));
  const seriesHolder = h('section', { class: 'panel', 'data-testid': 'series-panel' }, h('p', { class: 'hint' }, t('lineloss.pick')));
  root.append(h('h1', {}, t('lineloss.title')), form, h('div', { class: 'two' }, treeHolder, heatHolder), seriesHolder);

  // The chosen area goes in the URL (shareable) without drawing the tree and heat map again.
  const choose = (id: string) => {
    history.replaceState(null, '', href('/line-loss', { period, area: id }));
    void drawSeries(seriesHolder, id);
  };
  // The heat map draws as soon as its rates arrive, the tree as soon as the network does.
  const networkRequest = get<{ period: string | null; nodes: NetworkNode[] }>('/api/network', { period: period || undefined });
  const dailyRequest = get<DailyLoss>('/api/loss/daily', { level: 'area', encoding: 'f32' });
  const drawn = Promise.allSettled([networkRequest.then(drawTree, () => undefined), dailyRequest.then(drawHeat, () => undefined)]);
  const [network, daily] = await Promise.allSettled([networkRequest, dailyRequest]);
  await drawn;
  if (network.status === 'rejected') treeHolder.replaceChildren(errorBox(network.reason));
  if (daily.status === 'rejected') heatHolder.replaceChildren(errorBox(daily.reason));
  if (selected) await drawSeries(seriesHolder, selected);

  function drawTree(value: { period: string | null; nodes: NetworkNode[] }): void {
    const nodes = value.nodes;
    const element = h('div', { class: 'chart tall', 'data-testid': 'network-tree' });
    const columns: Column<NetworkNode>[] = [
      { label: t('field.node'), value: (n) => n.id },
      { label: t('field.summary'), value: (n) => n.name },
      { label: t('field.unit'), value: (n) => term('kind', n.kind) },
      { label: t('field.supply'), value: (n) => n.supply_kwh, cell: (n) => number(n.supply_kwh), numeric: true },
      { label: t('field.sales'), value: (n) => n.sales_kwh, cell: (n) => number(n.sales_kwh), numeric: true },
      { label: t('field.loss_rate'), value: (n) => n.loss_rate, cell: (n) => percent(n.loss_rate), numeric: true },
      { label: t('field.loss_class'), value: (n) => n.loss_class, cell: (n) => term('class', n.loss_class) },
    ];
    treeHolder.replaceChildren(
      h('h2', {}, `${t('lineloss.tree')} · ${value.period ?? ''}`),
      classLegend(),
      chartWithTable(element, () => table(columns, nodes), [csvButton(`network-${value.period}.csv`, columns, () => nodes)]),
    );
    const tree = chart(element, {
      tooltip: { trigger: 'item', triggerOn: 'mousemove' },
      series: [
        {
          type: 'tree',
          data: treeOf(nodes),
          top: 10,
          left: 200,
          bottom: 10,
          right: 160,
          symbolSize: 9,
          initialTreeDepth: 3,
          label: { position: 'left', verticalAlign: 'middle', align: 'right', fontSize: 11 },
          leaves: { label: { position: 'right', verticalAlign: 'middle', align: 'left' } },
          expandAndCollapse: true,
          animationDuration: 300,
        },
      ],
    });
    const kinds = new Map(nodes.map((node) => [node.id, node.kind]));
    tree.on('click', (event) => {
      const id = (event.data as { id?: string } | undefined)?.id;
      if (id && kinds.get(id) === 'area') choose(id);
    });
  }

  function drawHeat(heat: DailyLoss): void {
    const days = heat.dates.length;
    const values = decodeFloat32(heat.loss_rate_f32);
    const element = h('div', { class: 'chart tall', 'data-testid': 'heatmap' });
    type Row = { id: string; name: string; row: number };
    const rows: Row[] = heat.nodes.map((node, row) => ({ id: node.id, name: node.name, row }));
    const columns: Column<Row>[] = [
      { label: t('field.node'), value: (r) => r.id },
      ...heat.dates.map((date, d) => ({
        label: date,
        value: (r: Row) => rateAt(values, r.row * days + d),
        cell: (r: Row) => percent(rateAt(values, r.row * days + d), 1),
        numeric: true,
      })),
    ];
    heatHolder.replaceChildren(
      h('h2', {}, t('lineloss.heatmap')),
      chartWithTable(element, () => table(columns.slice(0, 1).concat(columns.slice(-14)), rows), [csvButton('area-daily-loss.csv', columns, () => rows)]),
    );
    // Rows top to bottom in the server's order (areas by station, feeder and number).
    heatMap(
      element,
      { rows: heat.nodes.map((node) => node.id), columns: heat.dates, values },
      {
        min: -0.05,
        max: 0.15,
        colours: ['#7a5cc2', '#3a9a5b', '#f2e394', '#e8a33d', '#d64545'],
        format: (value) => percent(value, 0),
        tooltip: (row, column) => `${heat.nodes[row].name} · ${heat.dates[column]}: ${percent(rateAt(values, row * days + column))}`,
        onClick: (row) => choose(heat.nodes[row].id),
      },
    );
  }
}
