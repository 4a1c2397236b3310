// KPIs (稽查考核): the month's figures of the closed loop per org unit (rolled up the tree) and per
// person, the assessment score ranking, and each rule's confirmed rate (its measured precision),
// from GET /api/kpis (docs/kpis.md; scores 0 to 100). The month and the unit are in the query string.
import { get } from '../api';
import { chart } from '../charts';
import { h } from '../dom';
import { money, number, percent, t } from '../i18n';
import { setQuery } from '../router';
import { chartWithTable, csvButton, table, type Column } from '../table';
import { errorBox, type PageContext } from './shell';

interface Figures {
  findings: number;
  cases_opened: number;
  concluded: number;
  within_deadline_share: number | null;
  confirmed: number;
  confirmed_rate: number | null;
  money_assessed: string;
  money_recovered: string;
  recovery_rate: number | null;
  mean_days_to_conclusion: number | null;
  open_at_end: number;
  overdue: number;
  on_time_share: number | null;
}

interface KpiReport {
  period: string;
  as_of: string;
  total: Figures & { score: number | null };
  units: (Figures & { unit_id: string; parent_id: string; score: number | null })[];
  people: (Figures & { username: string })[];
  rules: { rule_id: string; concluded: number; confirmed: number; precision: number | null }[];
}

function figureColumns<T extends Figures>(): Column<T>[] {
  return [
    { label: t('kpi.findings'), value: (r) => r.findings, numeric: true },
    { label: t('kpi.opened'), value: (r) => r.cases_opened, numeric: true },
    { label: t('kpi.concluded'), value: (r) => r.concluded, numeric: true },
    { label: t('kpi.within_deadline'), value: (r) => r.within_deadline_share, cell: (r) => percent(r.within_deadline_share, 1), numeric: true },
    { label: t('kpi.confirmed_rate'), value: (r) => r.confirmed_rate, cell: (r) => percent(r.confirmed_rate, 1), numeric: true },
    { label: t('kpi.assessed'), value: (r) => r.money_assessed, cell: (r) => money(r.money_assessed), numeric: true },
    { label: t('kpi.recovered'), value: (r) => r.money_recovered, cell: (r) => money(r.money_recovered), numeric: true },
    { label: t('kpi.recovery_rate'), value: (r) => r.recovery_rate, cell: (r) => percent(r.recovery_rate, 1), numeric: true },
    { label: t('kpi.days'), value: (r) => r.mean_days_to_conclusion, cell: (r) => number(r.mean_days_to_conclusion, 1), numeric: true },
    { label: t('overview.open_cases'), value: (r) => r.open_at_end, numeric: true },
    { label: t('overview.overdue_cases'), value: (r) => r.overdue, numeric: true },
  ];
}

function lastMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

export async function kpisPage(root: HTMLElement, context: PageContext): Promise<void> {
  const { query } = context.location;
  const period = query.get('period') || lastMonth();
  const unit = query.get('unit') ?? '';
  const monthInput = h('input', { type: 'month', name: 'period', value: period, 'data-testid': 'kpi-period' });
  const unitInput = h('input', { name: 'unit', value: unit, size: 12, placeholder: 'U0101' });
  const form = h(
    'form',
    { class: 'filters' },
    h('label', {}, t('lineloss.month'), monthInput),
    h('label', {}, t('field.unit'), unitInput),
    h('button', { type: 'submit' }, t('common.apply')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setQuery({ period: monthInput.value, unit: unitInput.value.trim() });
  });
  root.append(h('h1', {}, t('kpi.title')), form);
  let report: KpiReport;
  try {
    report = await get<KpiReport>('/api/kpis', { period, unit: unit || undefined });
  } catch (error) {
    root.append(errorBox(error));
    return;
  }
  const units = [...report.units].sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
  type UnitRow = KpiReport['units'][number];
  const unitColumns: Column<UnitRow>[] = [
    { label: t('field.unit'), value: (r) => r.unit_id || '—' },
    { label: t('kpi.score'), value: (r) => r.score, cell: (r) => number(r.score, 1), numeric: true },
    ...figureColumns<UnitRow>(),
  ];
  type PersonRow = KpiReport['people'][number];
  const personColumns: Column<PersonRow>[] = [{ label: t('kpi.person'), value: (r) => r.username }, ...figureColumns<PersonRow>()];
  type RuleRow = KpiReport['rules'][number];
  const ruleColumns: Column<RuleRow>[] = [
    { label: t('field.rule'), value: (r) => r.rule_id },
    { label: t('kpi.concluded'), value: (r) => r.concluded, numeric: true },
    { label: t('kpi.confirmed'), value: (r) => r.confirmed, numeric: true },
    { label: t('kpi.confirmed_rate'), value: (r) => r.precision, cell: (r) => percent(r.precision, 1), numeric: true },
  ];
  const scoreChart = h('div', { class: 'chart', 'data-testid': 'kpi-scores' });
  root.append(
    h(
      'div',
      { class: 'tiles' },
      [
        [t('kpi.score'), number(report.total.score, 1)],
        [t('kpi.concluded'), number(report.total.concluded)],
        [t('kpi.assessed'), money(report.total.money_assessed)],
        [t('kpi.recovered'), money(report.total.money_recovered)],
      ].map(([label, value]) =>
        h('div', { class: 'tile' }, h('div', { class: 'tile-label' }, `${label} · ${report.period}`), h('div', { class: 'tile-value' }, value)),
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('kpi.ranking')),
      chartWithTable(scoreChart, () => table(unitColumns, units), [csvButton(`kpis-units-${report.period}.csv`, unitColumns, () => units)]),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('kpi.people')),
      h('div', { class: 'toolbar' }, csvButton(`kpis-people-${report.period}.csv`, personColumns, () => report.people)),
      h('div', { class: 'list' }, table(personColumns, report.people, { testId: 'kpi-people' })),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('kpi.rules')),
      h('div', { class: 'toolbar' }, csvButton(`kpis-rules-${report.period}.csv`, ruleColumns, () => report.rules)),
      table(ruleColumns, report.rules, { testId: 'kpi-rules' }),
    ),
  );
  const scored = units.filter((u) => u.score !== null);
  chart(scoreChart, {
    tooltip: { trigger: 'axis' },
    grid: { left: 110, right: 30, top: 10, bottom: 30 },
    xAxis: { type: 'value', max: 100 },
    yAxis: { type: 'category', data: scored.map((u) => u.unit_id || '—').reverse() },
    series: [{ type: 'bar', data: scored.map((u) => Math.round((u.score ?? 0) * 10) / 10).reverse(), itemStyle: { color: '#1f6fb2' } }],
  });
}
