// Rules and policy (规则): the inspection catalogue (GET /api/rules, docs/rules.md) with each
// rule's area code, what it finds, whether the server's policy switches it off, its parameters as
// the policy in force sets them (those the policy sets marked, with their defaults) and units, and its measured
// precision: of the cases it led to that were concluded in the month, the share confirmed
// (GET /api/kpis). Filter by area code in the query string.
import { get } from '../api';
import { h } from '../dom';
import { number, percent, t, term } from '../i18n';
import { href } from '../router';
import { csvButton, table, type Column } from '../table';
import { areaCodes } from './findings';
import { errorBox, type PageContext } from './shell';

interface Parameter {
  name: string;
  default: unknown;
  value: unknown;
  from_policy: boolean;
  unit: string;
  description: string;
}

interface Rule {
  id: string;
  area: string;
  description: string;
  enabled: boolean;
  parameters: Parameter[];
}

interface RulePrecision {
  rule_id: string;
  concluded: number;
  confirmed: number;
  precision: number | null;
}

function valueText(value: unknown): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

// "high_rate = 0.08 (policy; default 0.1)" for a value the policy sets, "high_rate = 0.1" otherwise.
function parameterText(parameter: Parameter): string {
  const unit = parameter.unit ? ` ${parameter.unit}` : '';
  const source = parameter.from_policy ? ` (${t('rules.from_policy')}; ${t('rules.default')} ${valueText(parameter.default)})` : '';
  return `${parameter.name} = ${valueText(parameter.value)}${unit}${source}`;
}

export async function rulesPage(root: HTMLElement, context: PageContext): Promise<void> {
  const area = context.location.query.get('area') ?? '';
  const month = new Date().toISOString().slice(0, 7);
  root.append(
    h('h1', {}, t('rules.title')),
    h(
      'nav',
      { class: 'tabs' },
      h('a', { href: '/rules', 'data-link': true, class: area ? 'tab' : 'tab active' }, t('common.all')),
      areaCodes.map((code) =>
        h('a', { href: href('/rules', { area: code }), 'data-link': true, class: area === code ? 'tab active' : 'tab' }, term('area', code)),
      ),
    ),
  );
  const [catalogue, kpis] = await Promise.allSettled([
    get<{ rules: Rule[] }>('/api/rules'),
    get<{ rules: RulePrecision[] }>('/api/kpis', { period: month }),
  ]);
  if (catalogue.status === 'rejected') {
    root.append(errorBox(catalogue.reason));
    return;
  }
  const precision = new Map((kpis.status === 'fulfilled' ? kpis.value.rules : []).map((r) => [r.rule_id, r]));
  const rules = catalogue.value.rules.filter((rule) => !area || rule.area === area);
  const columns: Column<Rule>[] = [
    { label: t('field.rule'), value: (r) => r.id, cell: (r) => h('a', { href: href('/findings', { rule: r.id }), 'data-link': true }, r.id) },
    { label: t('field.area'), value: (r) => r.area },
    {
      label: t('rules.state'),
      value: (r) => (r.enabled ? t('rules.enabled') : t('rules.disabled')),
      cell: (r) => h('span', { class: r.enabled ? 'rule-on' : 'rule-off', 'data-testid': `rule-state-${r.id}` }, r.enabled ? t('rules.enabled') : t('rules.disabled')),
    },
    { label: t('rules.what'), value: (r) => r.description, cell: (r) => h('span', { class: 'summary' }, r.description) },
    {
      label: t('rules.parameters'),
      value: (r) => r.parameters.map(parameterText).join('; '),
      cell: (r) =>
        h(
          'ul',
          { class: 'parameters' },
          r.parameters.map((p) => h('li', { title: p.description, class: p.from_policy ? 'from-policy' : '' }, parameterText(p))),
        ),
    },
    { label: `${t('kpi.concluded')} · ${month}`, value: (r) => precision.get(r.id)?.concluded ?? 0, numeric: true },
    {
      label: t('rules.precision'),
      value: (r) => precision.get(r.id)?.precision ?? null,
      cell: (r) => percent(precision.get(r.id)?.precision ?? null, 1),
      numeric: true,
    },
  ];
  root.append(
    h('div', { class: 'toolbar' }, h('span', {}, `${number(rules.length)} ${t('rules.count')}`), csvButton('rules.csv', columns, () => rules)),
    table(columns, rules, { testId: 'rules-table' }),
  );
}
