// Customer (客户): master data, meters with their multipliers and dates, the daily usage with the
// transformer area's loss rate overlaid and the meters' events marked on the time axis, and the
// findings on the customer and its meters. From GET /api/customers/{id} and its series.
import { get } from '../api';
import { chart } from '../charts';
import { h } from '../dom';
import { number, percent, t, term } from '../i18n';
import { href } from '../router';
import { chartWithTable, csvButton, table, type Column } from '../table';
import { errorBox, type PageContext } from './shell';

interface Customer {
  id: string;
  name: string;
  address: string;
  unit_id: string;
  node: { id: string; name: string; kind: string } | null;
  category: string;
  industry: string;
  voltage_kv: number;
  contracted_kva: number;
  tariff_id: string;
  status: string;
  supply_start: string;
  supply_end: string | null;
  meters: { id: string; model: string; multiplier: number; installed_on: string; removed_on: string | null }[];
  findings: { id: number; rule_id: string; period: string; severity: string; summary: string; active: boolean }[];
}

interface CustomerSeries {
  dates: string[];
  usage_kwh: (number | null)[];
  area: { loss_rate: (number | null)[] };
  events: { meter_id: string; at: string; day: string; code: string }[];
}

export async function customerPage(root: HTMLElement, context: PageContext): Promise<void> {
  const id = decodeURIComponent(context.location.path.slice('/customers/'.length));
  let customer: Customer;
  let series: CustomerSeries;
  try {
    [customer, series] = await Promise.all([
      get<Customer>(`/api/customers/${encodeURIComponent(id)}`),
      get<CustomerSeries>(`/api/customers/${encodeURIComponent(id)}/series`),
    ]);
  } catch (error) {
    root.append(errorBox(error));
    return;
  }
  const facts: [string, string | Node][] = [
    [t('customer.address'), customer.address || '—'],
    [t('field.unit'), customer.unit_id || '—'],
    [
      t('field.node'),
      customer.node
        ? h('a', { href: href('/line-loss', { area: customer.node.id }), 'data-link': true }, `${customer.node.name} (${customer.node.id})`)
        : '—',
    ],
    [t('customer.category'), `${customer.category} · ${customer.industry || '—'}`],
    [t('customer.voltage'), `${number(customer.voltage_kv, 2)} kV · ${number(customer.contracted_kva)} kVA`],
    [t('customer.tariff'), customer.tariff_id],
    [t('customer.status'), `${customer.status} · ${customer.supply_start} – ${customer.supply_end ?? ''}`],
  ];
  const element = h('div', { class: 'chart', 'data-testid': 'customer-series' });
  const rows = series.dates.map((date, d) => ({ date, usage: series.usage_kwh[d], rate: series.area.loss_rate[d] }));
  type Row = (typeof rows)[number];
  const columns: Column<Row>[] = [
    { label: t('field.date'), value: (r) => r.date },
    { label: t('customer.usage'), value: (r) => r.usage, cell: (r) => number(r.usage, 1), numeric: true },
    { label: t('field.loss_rate'), value: (r) => r.rate, cell: (r) => percent(r.rate), numeric: true },
  ];
  root.append(
    h('h1', {}, `${customer.name} (${customer.id})`),
    h('section', { class: 'panel' }, h('dl', { class: 'facts' }, facts.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]))),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('customer.meters')),
      table(
        [
          { label: t('field.id'), value: (m: Customer['meters'][number]) => m.id },
          { label: t('customer.model'), value: (m) => m.model },
          { label: t('customer.multiplier'), value: (m) => m.multiplier, numeric: true },
          { label: t('customer.installed'), value: (m) => m.installed_on },
          { label: t('customer.removed'), value: (m) => m.removed_on ?? '' },
        ],
        customer.meters,
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('customer.usage_and_loss')),
      chartWithTable(element, () => table(columns, rows), [csvButton(`${customer.id}-usage.csv`, columns, () => rows)]),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('findings.title')),
      table(
        [
          {
            label: t('field.id'),
            value: (f: Customer['findings'][number]) => f.id,
            cell: (f) => h('a', { href: href('/findings', { finding: f.id }), 'data-link': true }, `#${f.id}`),
          },
          { label: t('field.rule'), value: (f) => f.rule_id },
          { label: t('field.severity'), value: (f) => f.severity, cell: (f) => h('span', { class: `badge severity-${f.severity}` }, term('severity', f.severity)) },
          { label: t('field.period'), value: (f) => f.period },
          { label: t('field.summary'), value: (f) => f.summary },
        ],
        customer.findings,
      ),
    ),
  );
  const eventDays = new Map<string, string[]>();
  for (const event of series.events) eventDays.set(event.day, [...(eventDays.get(event.day) ?? []), `${event.meter_id} ${event.code}`]);
  chart(element, {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 70, right: 70, top: 40, bottom: 60 },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 10 }],
    xAxis: { type: 'category', data: series.dates },
    yAxis: [
      { type: 'value', name: 'kWh' },
      { type: 'value', name: t('field.loss_rate'), axisLabel: { formatter: (v: number) => `${(v * 100).toFixed(1)}%` } },
    ],
    series: [
      {
        type: 'bar',
        name: t('customer.usage'),
        data: series.usage_kwh,
        markLine: {
          symbol: 'none',
          label: { formatter: (p: { name: string }) => p.name, fontSize: 9 },
          lineStyle: { color: '#c0392b', type: 'dashed' },
          data: [...eventDays.entries()].map(([day, codes]) => ({ xAxis: day, name: codes.join(', ') })),
        },
      },
      { type: 'line', name: `${t('field.loss_rate')} (${t('kind.area')})`, data: series.area.loss_rate, yAxisIndex: 1, showSymbol: false },
    ],
  });
}
