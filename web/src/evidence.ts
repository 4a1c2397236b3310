// A finding's evidence rendered for people rather than as JSON: named values in a list (numbers
// grouped, dates as they are), a series of numbers as a small chart, a list of records (a bill's
// lines, the days of a run) as a table. The field names are the rule's (docs/rules.md), shown with
// their underscores as spaces.
import { chart } from './charts';
import { h } from './dom';
import { number } from './i18n';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function label(name: string): string {
  return name.replace(/_/g, ' ');
}

function scalar(value: Json): string {
  if (value === null) return '—';
  if (typeof value === 'number') return number(value, Number.isInteger(value) ? 0 : 2);
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  return String(value);
}

function isScalar(value: Json): boolean {
  return value === null || typeof value !== 'object';
}

function seriesChart(name: string, values: (number | null)[]): HTMLElement {
  const element = h('div', { class: 'evidence-chart' });
  requestAnimationFrame(() =>
    chart(element, {
      grid: { left: 50, right: 10, top: 10, bottom: 25 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: values.map((_, i) => i + 1) },
      yAxis: { type: 'value', scale: true },
      series: [{ type: 'line', name: label(name), data: values, showSymbol: false }],
    }),
  );
  return element;
}

function recordsTable(records: { [key: string]: Json }[]): HTMLElement {
  const names = [...new Set(records.flatMap((record) => Object.keys(record)))];
  return h(
    'table',
    { class: 'grid compact' },
    h('thead', {}, h('tr', {}, names.map((name) => h('th', {}, label(name))))),
    h(
      'tbody',
      {},
      records.map((record) =>
        h(
          'tr',
          {},
          names.map((name) => {
            const value = record[name] ?? null;
            return h('td', { class: typeof value === 'number' ? 'num' : '' }, isScalar(value) ? scalar(value) : JSON.stringify(value));
          }),
        ),
      ),
    ),
  );
}

// An object whose values are all records of scalars (a bill's registers: {"peak": {"billed",
// "read", "difference"}, ...}) reads best as one table: a row per key, the billed and recomputed
// figures side by side.
function recordsByKey(value: { [key: string]: Json }): HTMLElement | null {
  const entries = Object.entries(value);
  if (entries.length < 2) return null;
  const records = entries.map(([, record]) => record);
  if (!records.every((record) => record !== null && typeof record === 'object' && !Array.isArray(record))) return null;
  if (!records.every((record) => Object.values(record as object).every((item) => isScalar(item as Json)))) return null;
  return recordsTable(entries.map(([key, record]) => ({ '': key, ...(record as { [key: string]: Json }) })));
}

function valueNode(name: string, value: Json): Node | string {
  if (isScalar(value)) return scalar(value);
  if (Array.isArray(value)) {
    if (value.length > 3 && value.every((item) => item === null || typeof item === 'number'))
      return seriesChart(name, value as (number | null)[]);
    if (value.every((item) => isScalar(item))) return value.map(scalar).join(', ');
    if (value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item)))
      return recordsTable(value as { [key: string]: Json }[]);
    return JSON.stringify(value);
  }
  return recordsByKey(value as { [key: string]: Json }) ?? evidenceList(value as { [key: string]: Json });
}

function evidenceList(evidence: { [key: string]: Json }): HTMLElement {
  return h(
    'dl',
    { class: 'evidence' },
    Object.entries(evidence).map(([name, value]) => [h('dt', {}, label(name)), h('dd', {}, valueNode(name, value))]),
  );
}

export function renderEvidence(evidence: unknown): HTMLElement {
  if (evidence === null || typeof evidence !== 'object' || Array.isArray(evidence))
    return h('p', {}, scalar(evidence as Json));
  return evidenceList(evidence as { [key: string]: Json });
}
