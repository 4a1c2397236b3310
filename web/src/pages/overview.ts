// Overview (总览): the utility's supply, sales, line-loss rate and average price this month against
// last month and last year with their 13-month sparklines (GET /api/loss/trend) and the months as a
// table; each substation's loss rate against last month; findings by area code (PROC, METER, BILL, LOSS, SERV, SHARE) in my scope; open and
// overdue cases; money assessed and recovered this month (the KPIs); the worst areas by loss
// rate. Each chart with its table and CSV.
import { get, type Page } from '../api';
import { chart } from '../charts';
import { h } from '../dom';
import { money, number, percent, t, term } from '../i18n';
import { href } from '../router';
import { sparkline } from '../sparkline';
import { chartWithTable, csvButton, table, type Column } from '../table';
import { areaCodes } from './findings';
import { today, type CaseSummary } from './cases';
import { errorBox, type PageContext } from './shell';

// A row of GET /api/loss (docs/loss.md).
interface LossRow {
  node: string;
  name: string;
  unit: string;
  month: string;
  supply_kwh: number | null;
  sales_kwh: number | null;
  loss_rate: number | null;
  class: string;
  rate_change_month: number | null;
  rate_change_year: number | null;
  average_price: number | null;
}

// A month of GET /api/loss/trend (docs/api.md).
interface TrendMonth {
  month: string;
  supply_kwh: number | null;
  sales_kwh: number | null;
  loss_kwh: number | null;
  loss_rate: number | null;
  billed_kwh: number | null;
  revenue: number | null;
  average_price: number | null;
}

// This month against the month before and a year before: changes relative, a rate's in points.
interface Comparison {
  value: number | null;
  previous_month: number | null;
  previous_year: number | null;
  change_month: number | null;
  change_year: number | null;
}

type Figure = 'supply_kwh' | 'sales_kwh' | 'loss_rate' | 'average_price';

interface Trend {
  month: string;
  months: TrendMonth[];
  comparison: Record<Figure, Comparison>;
}

// A relative change, signed, in per cent.
function relative(change: number | null): string {
  return change === null ? '—' : `${change > 0 ? '+' : ''}${(change * 100).toFixed(1)}%`;
}

// The utility's tile of one figure: this month's value, its changes and the months' sparkline.
function trendTile(trend: Trend, figure: Figure, label: string, show: (value: number | null) => string): HTMLElement {
  const c = trend.comparison[figure];
  const change = figure === 'loss_rate' ? points : relative;
  const values = trend.months.map((m) => m[figure]);
  const first = trend.months[0]?.month ?? trend.month;
  return h(
    'div',
    { class: 'tile', 'data-testid': `trend-${figure}` },
    h('div', { class: 'tile-label' }, `${label} · ${trend.month}`),
    h(
      'div',
      { class: 'tile-trend' },
      h('div', { class: 'tile-value', 'data-testid': `trend-value-${figure}` }, show(c.value)),
      sparkline(values, `${label} ${first} – ${trend.month}: ${values.map(show).join(', ')}`, `sparkline-${figure}`),
    ),
    h(
      'div',
      { class: 'tile-detail' },
      `${t('overview.month_change')} ${change(c.change_month)} (${show(c.previous_month)}) · ${t('overview.year_change')} ${change(c.change_year)} (${show(c.previous_year)})`,
    ),
  );
}

// A change of rate in percentage points, signed.
function points(change: number | null): string {
  return change === null ? '—' : `${change > 0 ? '+' : ''}${(change * 100).toFixed(2)} pp`;
}

function tile(label: string, value: string, detail: string, testId: string, link?: string): HTMLElement {
  const body = [h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value', 'data-testid': testId }, value), h('div', { class: 'tile-detail' }, detail)];
  return link ? h('a', { class: 'tile', href: link, 'data-link': true }, body) : h('div', { class: 'tile' }, body);
}

async function overdueCount(): Promise<number> {
  let count = 0;
  const day = today();
  for (let page = 1; page <= 20; ++page) {
    const result = await get<Page<CaseSummary>>('/api/cases', { open: 'true', sort: 'due_on', page_size: 500, page });
    for (const item of result.items) if (item.due_on && item.due_on < day) ++count;
    const last = result.items[result.items.length - 1];
    if (result.items.length < 500 || (last?.due_on ?? '') >= day) break;
  }
  return count;
}

export async function overviewPage(root: HTMLElement, _context: PageContext): Promise<void> {
  const tiles = h('div', { class: 'tiles' });
  const utility = h('div', { class: 'tiles', 'data-testid': 'utility-tiles' });
  const areaHolder = h('section', { class: 'panel' }, h('h2', {}, t('overview.findings_by_area')));
  const worstHolder = h('section', { class: 'panel' }, h('h2', {}, t('overview.worst_units')));
  const trendHolder = h('section', { class: 'panel' }, h('h2', {}, t('overview.trend')));
  root.append(h('h1', {}, t('overview.title')), utility, tiles, h('div', { class: 'two' }, areaHolder, worstHolder), trendHolder);

  const month = new Date().toISOString().slice(0, 7);
  const [trend, stations, areas, byArea, open, overdue, kpis] = await Promise.allSettled([
    get<Trend>('/api/loss/trend'),
    get<{ rows: LossRow[] }>('/api/loss', { level: 'substation' }),
    get<{ rows: LossRow[] }>('/api/loss', { level: 'area' }),
    Promise.all(areaCodes.map((area) => get<Page<unknown>>('/api/findings', { area, page_size: 1 }).then((p) => p.total))),
    get<Page<CaseSummary>>('/api/cases', { open: 'true', page_size: 1 }),
    overdueCount(),
    get<{ total: { money_assessed: string; money_recovered: string; concluded: number; score: number | null } }>('/api/kpis', { period: month }),
  ]);

  if (trend.status === 'fulfilled') {
    const kwh = (value: number | null) => (value === null ? '—' : `${number(value)} kWh`);
    const price = (value: number | null) => (value === null ? '—' : `${number(value, 4)} CNY/kWh`);
    utility.append(
      trendTile(trend.value, 'supply_kwh', t('overview.supply'), kwh),
      trendTile(trend.value, 'sales_kwh', t('overview.sales'), kwh),
      trendTile(trend.value, 'loss_rate', t('overview.loss_rate'), (v) => percent(v)),
      trendTile(trend.value, 'average_price', t('overview.average_price'), price),
    );
    const months = trend.value.months;
    const columns: Column<TrendMonth>[] = [
      { label: t('field.period'), value: (m) => m.month },
      { label: t('field.supply'), value: (m) => m.supply_kwh, cell: (m) => number(m.supply_kwh), numeric: true },
      { label: t('field.sales'), value: (m) => m.sales_kwh, cell: (m) => number(m.sales_kwh), numeric: true },
      { label: t('field.loss_rate'), value: (m) => m.loss_rate, cell: (m) => percent(m.loss_rate), numeric: true },
      { label: `${t('overview.average_price')} (CNY/kWh)`, value: (m) => m.average_price, cell: (m) => number(m.average_price, 4), numeric: true },
    ];
    trendHolder.append(h('div', { class: 'toolbar' }, csvButton('monthly-trend.csv', columns, () => months)), table(columns, months, { testId: 'monthly-trend' }));
  } else {
    utility.append(errorBox(trend.reason));
    trendHolder.append(errorBox(trend.reason));
  }

  if (stations.status === 'fulfilled') {
    for (const row of stations.value.rows)
      tiles.append(
        tile(
          `${row.name} · ${row.month} · ${t('overview.loss_rate')}`,
          percent(row.loss_rate),
          `${t('overview.month_change')} ${points(row.rate_change_month)} · ${t('overview.year_change')} ${points(row.rate_change_year)} · ${t('overview.supply')} ${number(row.supply_kwh)} kWh · ${t('overview.sales')} ${number(row.sales_kwh)} kWh · ${t('overview.price')} ${number(row.average_price, 4)} CNY/kWh`,
          `loss-${row.node}`,
          '/line-loss',
        ),
      );
  } else {
    tiles.append(errorBox(stations.reason));
  }
  tiles.append(
    tile(t('overview.open_cases'), open.status === 'fulfilled' ? number(open.value.total) : '—', '', 'open-cases', href('/cases', { view: 'board' })),
    tile(t('overview.overdue_cases'), overdue.status === 'fulfilled' ? number(overdue.value) : '—', '', 'overdue-cases', href('/cases', { view: 'all' })),
  );
  if (kpis.status === 'fulfilled') {
    const total = kpis.value.total;
    tiles.append(
      tile(`${t('kpi.assessed')} · ${month}`, money(total.money_assessed), `${t('kpi.concluded')} ${number(total.concluded)}`, 'money-assessed', href('/kpis', { period: month })),
      tile(`${t('kpi.recovered')} · ${month}`, money(total.money_recovered), `${t('kpi.score')} ${number(total.score, 1)}`, 'money-recovered', href('/kpis', { period: month })),
    );
  }

  if (byArea.status === 'fulfilled') {
    const rows = areaCodes.map((area, i) => ({ area, count: byArea.value[i] }));
    const columns: Column<(typeof rows)[number]>[] = [
      { label: t('field.area'), value: (r) => r.area, cell: (r) => h('a', { href: href('/findings', { area: r.area }), 'data-link': true }, term('area', r.area)) },
      { label: t('findings.count'), value: (r) => r.count, cell: (r) => number(r.count), numeric: true },
    ];
    const element = h('div', { class: 'chart', 'data-testid': 'findings-by-area' });
    areaHolder.append(chartWithTable(element, () => table(columns, rows), [csvButton('findings-by-area.csv', columns, () => rows)]));
    chart(element, {
      tooltip: { trigger: 'axis' },
      grid: { left: 60, right: 20, top: 20, bottom: 40 },
      xAxis: { type: 'category', data: rows.map((r) => term('area', r.area)), axisLabel: { interval: 0 } },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: rows.map((r) => r.count), itemStyle: { color: '#1f6fb2' } }],
    });
  } else {
    areaHolder.append(errorBox(byArea.reason));
  }

  if (areas.status === 'fulfilled') {
    const rows = areas.value.rows
      .filter((row) => row.loss_rate !== null)
      .sort((a, b) => (b.loss_rate ?? 0) - (a.loss_rate ?? 0))
      .slice(0, 10);
    const columns: Column<LossRow>[] = [
      { label: t('field.node'), value: (r) => r.node, cell: (r) => h('a', { href: href('/line-loss', { area: r.node }), 'data-link': true }, `${r.name} (${r.node})`) },
      { label: t('field.loss_rate'), value: (r) => r.loss_rate, cell: (r) => percent(r.loss_rate), numeric: true },
      { label: t('field.loss_class'), value: (r) => r.class, cell: (r) => term('class', r.class) },
      { label: t('field.supply'), value: (r) => r.supply_kwh, cell: (r) => number(r.supply_kwh), numeric: true },
    ];
    worstHolder.append(h('div', { class: 'toolbar' }, csvButton('worst-areas.csv', columns, () => rows)), table(columns, rows, { testId: 'worst-areas' }));
  } else {
    worstHolder.append(errorBox(areas.reason));
  }
}
