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

interface DailyLoss {
  level: string;
  dates: string[];
  nodes: { id: string; name: string; unit_id: string }[];
  loss_rate: (number | null)[][];
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
    suspectsTable(series.node.id, suspects.suspects),
    areaFindings(findings.items),
  );
  chart(element, {
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
  const [network, daily] = await Promise.allSettled([
    get<{ period: string | null; nodes: NetworkNode[] }>('/api/network', { period: period || undefined }),
    get<DailyLoss>('/api/loss/daily', { level: 'area' }),
  ]);

  if (network.status === 'rejected') {
    treeHolder.replaceChildren(errorBox(network.reason));
  } else {
    const nodes = network.value.nodes;
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
      h('h2', {}, `${t('lineloss.tree')} · ${network.value.period ?? ''}`),
      classLegend(),
      chartWithTable(element, () => table(columns, nodes), [csvButton(`network-${network.value.period}.csv`, columns, () => nodes)]),
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

  if (daily.status === 'rejected') {
    heatHolder.replaceChildren(errorBox(daily.reason));
  } else {
    const heat = daily.value;
    const element = h('div', { class: 'chart tall', 'data-testid': 'heatmap' });
    type Row = { id: string; name: string; values: (number | null)[] };
    const rows: Row[] = heat.nodes.map((node, y) => ({ id: node.id, name: node.name, values: heat.loss_rate[y] }));
    const columns: Column<Row>[] = [
      { label: t('field.node'), value: (r) => r.id },
      ...heat.dates.map((date, d) => ({ label: date, value: (r: Row) => r.values[d], cell: (r: Row) => percent(r.values[d], 1), numeric: true })),
    ];
    heatHolder.replaceChildren(
      h('h2', {}, t('lineloss.heatmap')),
      chartWithTable(element, () => table(columns.slice(0, 1).concat(columns.slice(-14)), rows), [csvButton('area-daily-loss.csv', columns, () => rows)]),
    );
    // Rows top to bottom in the server's order (areas by station, feeder and number).
    heatMap(
      element,
      { rows: heat.nodes.map((node) => node.id), columns: heat.dates, values: heat.loss_rate },
      {
        min: -0.05,
        max: 0.15,
        colours: ['#7a5cc2', '#3a9a5b', '#f2e394', '#e8a33d', '#d64545'],
        format: (value) => percent(value, 0),
        tooltip: (row, column) => `${heat.nodes[row].name} · ${heat.dates[column]}: ${percent(heat.loss_rate[row][column])}`,
        onClick: (row) => choose(heat.nodes[row].id),
      },
    );
  }

  if (selected) await drawSeries(seriesHolder, selected);
}
