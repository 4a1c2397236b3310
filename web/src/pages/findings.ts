// Findings: filters (area code, rule, unit, severity, period, active) in the query string, server-
// side paging and sorting, a finding's evidence rendered for people beside the list, the page as a
// table and as CSV, and a case opened from a finding where the role may.
import { ApiError, get, post, type Page } from '../api';
import { h } from '../dom';
import { money, number, t, term } from '../i18n';
import { href, setQuery } from '../router';
import { may } from '../session';
import { csvButton, table, type Column } from '../table';
import { renderEvidence } from '../evidence';
import { errorBox, pager, type PageContext } from './shell';

export interface Finding {
  id: number;
  rule_id: string;
  area: string;
  subject_kind: string;
  subject_id: string;
  unit_id: string;
  period: string;
  severity: string;
  summary: string;
  evidence: unknown;
  kwh_at_risk: number | null;
  money_at_risk: string | null;
  active: boolean;
}

interface Rule {
  id: string;
  area?: string;
}

export const areaCodes = ['PROC', 'METER', 'BILL', 'LOSS', 'SERV', 'SHARE'];
const severities = ['critical', 'high', 'medium', 'low', 'info'];
const filterNames = ['area', 'rule', 'unit', 'severity', 'period', 'active'] as const;

let rulesCache: Promise<Rule[]> | null = null;
function rules(): Promise<Rule[]> {
  rulesCache ??= get<unknown>('/api/rules').then((document) => {
    const list = Array.isArray(document) ? document : (document as { rules?: Rule[] }).rules ?? [];
    return (list as Rule[]).filter((rule) => typeof rule.id === 'string');
  });
  return rulesCache;
}

function select(name: string, value: string, options: [string, string][]): HTMLSelectElement {
  return h(
    'select',
    { name, 'data-testid': `filter-${name}` },
    h('option', { value: '' }, t('common.all')),
    options.map(([option, text]) => h('option', { value: option, selected: option === value }, text)),
  );
}

export function subjectLink(kind: string, id: string): Node | string {
  if (kind === 'customer') return h('a', { href: `/customers/${encodeURIComponent(id)}`, 'data-link': true }, `${kind} ${id}`);
  return `${kind} ${id}`;
}

function findingDetail(finding: Finding, context: PageContext): HTMLElement {
  const message = h('div', { class: 'message', role: 'status' });
  const openCase = may('open_case')
    ? h(
        'button',
        {
          type: 'button',
          'data-testid': 'open-case',
          onclick: async () => {
            message.textContent = '';
            try {
              const report = await post<{ case_ids: number[] }>('/api/cases', { findings: [finding.id] });
              const id = report.case_ids?.[0];
              message.append(
                `${t('findings.case_opened')}: `,
                id ? h('a', { href: `/cases/${id}`, 'data-link': true }, `#${id}`) : '—',
              );
            } catch (error) {
              message.replaceWith(errorBox(error));
            }
          },
        },
        t('findings.open_case'),
      )
    : null;
  return h(
    'section',
    { class: 'panel detail', 'data-testid': 'finding-detail' },
    h(
      'div',
      { class: 'panel-head' },
      h('h2', {}, `#${finding.id} ${finding.rule_id}`),
      h('a', { href: href('/findings', { ...Object.fromEntries(context.location.query), finding: undefined }), 'data-link': true }, t('common.close')),
    ),
    h('p', {}, finding.summary),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('field.subject')),
      h('dd', {}, subjectLink(finding.subject_kind, finding.subject_id)),
      h('dt', {}, t('field.severity')),
      h('dd', {}, h('span', { class: `badge severity-${finding.severity}` }, term('severity', finding.severity))),
      h('dt', {}, t('field.unit')),
      h('dd', {}, finding.unit_id || '—'),
      h('dt', {}, t('field.period')),
      h('dd', {}, finding.period || '—'),
      h('dt', {}, t('field.kwh_at_risk')),
      h('dd', {}, number(finding.kwh_at_risk, 0)),
      h('dt', {}, t('field.money_at_risk')),
      h('dd', {}, money(finding.money_at_risk)),
    ),
    h('h3', {}, t('findings.evidence')),
    renderEvidence(finding.evidence),
    openCase,
    message,
  );
}

export async function findingsPage(root: HTMLElement, context: PageContext): Promise<void> {
  const { query } = context.location;
  const value = (name: string): string => query.get(name) ?? '';
  const sort = value('sort') || '-severity,-money_at_risk,id';
  const page = Number(value('page') || 1);
  const pageSize = Number(value('page_size') || 50);

  const form = h('form', { class: 'filters', 'data-testid': 'findings-filters' });
  const ruleSelect = select('rule', value('rule'), []);
  form.append(
    h('label', {}, t('field.area'), select('area', value('area'), areaCodes.map((code) => [code, term('area', code)]))),
    h('label', {}, t('field.rule'), ruleSelect),
    h('label', {}, t('field.unit'), h('input', { name: 'unit', value: value('unit'), size: 12, placeholder: 'U0101' })),
    h('label', {}, t('field.severity'), select('severity', value('severity'), severities.map((s) => [s, term('severity', s)]))),
    h('label', {}, t('field.period'), h('input', { name: 'period', type: 'month', value: value('period') })),
    h('button', { type: 'submit' }, t('common.apply')),
    h('a', { href: '/findings', 'data-link': true, class: 'button secondary' }, t('common.reset')),
  );
  void rules().then((list) => {
    for (const rule of list)
      ruleSelect.append(h('option', { value: rule.id, selected: rule.id === value('rule') }, rule.id));
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next: Record<string, string> = { sort };
    for (const name of filterNames) {
      const entry = data.get(name);
      if (typeof entry === 'string' && entry) next[name] = entry.trim();
    }
    if (value('subject')) next.subject = value('subject');
    setQuery(next);
  });

  const listArea = h('div', { class: 'list' }, t('common.loading'));
  const detailArea = h('div', { class: 'side' });
  root.append(
    h('h1', {}, t('findings.title')),
    form,
    h('div', { class: query.get('finding') ? 'split' : '' }, listArea, detailArea),
  );

  const request: Record<string, string | number | undefined> = { sort, page, page_size: pageSize };
  for (const name of filterNames) request[name] = value(name) || undefined;
  if (value('subject')) request.subject_id = value('subject');
  let result: Page<Finding>;
  try {
    result = await get<Page<Finding>>('/api/findings', request);
  } catch (error) {
    listArea.replaceChildren(errorBox(error));
    return;
  }
  // Bulk actions over the checked findings of the page: open (or join) cases, dismiss with a reason.
  const checked = new Set<number>();
  const bulkMessage = h('div', { class: 'message', 'data-testid': 'bulk-message' });
  const bulk = async (write: () => Promise<Node | string>) => {
    bulkMessage.replaceChildren();
    if (checked.size === 0) {
      bulkMessage.append(t('findings.none_checked'));
      return;
    }
    try {
      bulkMessage.append(await write());
    } catch (error) {
      bulkMessage.append(errorBox(error));
    }
  };
  const reason = h('input', { name: 'reason', placeholder: t('findings.reason'), size: 24, 'data-testid': 'dismiss-reason' });
  const bulkBar = h(
    'div',
    { class: 'toolbar' },
    may('open_case')
      ? h(
          'button',
          {
            type: 'button',
            'data-testid': 'bulk-open',
            onclick: () =>
              bulk(async () => {
                const report = await post<{ opened: number; attached: number; case_ids: number[] }>('/api/cases', { findings: [...checked] });
                return h(
                  'span',
                  {},
                  `${t('findings.cases_opened')}: ${report.opened}, ${t('findings.cases_joined')}: ${report.attached} · `,
                  report.case_ids.map((id) => [h('a', { href: `/cases/${id}`, 'data-link': true }, `#${id}`), ' ']),
                );
              }),
          },
          t('findings.open_cases_checked'),
        )
      : null,
    may('dismiss_finding')
      ? [
          reason,
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'data-testid': 'bulk-dismiss',
              onclick: () =>
                bulk(async () => {
                  for (const id of checked) await post(`/api/findings/${id}/dismissal`, { reason: reason.value });
                  return `${t('findings.dismissed')}: ${checked.size}`;
                }),
            },
            t('findings.dismiss_checked'),
          ),
        ]
      : null,
  );
  const columns: Column<Finding>[] = [
    {
      label: '✓',
      value: () => '',
      cell: (f) => {
        const box = h('input', { type: 'checkbox', 'aria-label': `#${f.id}`, 'data-testid': `check-${f.id}` });
        box.addEventListener('click', (event) => {
          event.stopPropagation();
          if (box.checked) checked.add(f.id);
          else checked.delete(f.id);
        });
        return box;
      },
    },
    { label: t('field.id'), value: (f) => f.id, sort: 'id', numeric: true },
    { label: t('field.rule'), value: (f) => f.rule_id, sort: 'rule_id' },
    { label: t('field.area'), value: (f) => f.area, sort: 'area' },
    {
      label: t('field.severity'),
      value: (f) => f.severity,
      cell: (f) => h('span', { class: `badge severity-${f.severity}` }, term('severity', f.severity)),
      sort: 'severity',
    },
    { label: t('field.subject'), value: (f) => `${f.subject_kind} ${f.subject_id}`, sort: 'subject_id' },
    { label: t('field.unit'), value: (f) => f.unit_id, sort: 'unit_id' },
    { label: t('field.period'), value: (f) => f.period, sort: 'period' },
    { label: t('field.summary'), value: (f) => f.summary, cell: (f) => h('span', { class: 'summary' }, f.summary) },
    { label: t('field.kwh_at_risk'), value: (f) => f.kwh_at_risk, cell: (f) => number(f.kwh_at_risk), sort: 'kwh_at_risk', numeric: true },
    { label: t('field.money_at_risk'), value: (f) => f.money_at_risk, cell: (f) => money(f.money_at_risk), sort: 'money_at_risk', numeric: true },
  ];
  const currentQuery = Object.fromEntries(query);
  listArea.replaceChildren(
    h(
      'div',
      { class: 'toolbar' },
      h('span', { 'data-testid': 'findings-total' }, `${number(result.total)} ${t('findings.count')}`),
      csvButton(`findings-page-${page}.csv`, columns.slice(1), () => result.items),
    ),
    bulkBar,
    bulkMessage,
    table(columns, result.items, {
      sort,
      testId: 'findings-table',
      onSort: (field) => setQuery({ ...currentQuery, sort: field, page: 1 }),
      onRow: (finding) => setQuery({ ...currentQuery, finding: finding.id }),
    }),
    pager(result, (next) => setQuery({ ...currentQuery, page: next })),
  );

  const selected = Number(value('finding'));
  if (selected) {
    const inPage = result.items.find((finding) => finding.id === selected);
    try {
      const finding = inPage ?? (await get<Finding>(`/api/findings/${selected}`));
      detailArea.replaceChildren(findingDetail(finding, context));
    } catch (error) {
      detailArea.replaceChildren(errorBox(error instanceof ApiError ? error : new ApiError(0, 'client', String(error))));
    }
  }
}
