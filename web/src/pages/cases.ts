// Cases (工单): my queue (open cases assigned to me, soonest due first), a board by state, the list
// of every case in scope with its filters, and the case page: its facts, the evidence rendered for
// people, the timeline of events, and the moves my role allows (the server decides: a refusal is
// shown with its reason, as the server gives it).
import { get, getText, post, postText, type Page } from '../api';
import { h } from '../dom';
import { renderEvidence } from '../evidence';
import { money, number, t, term } from '../i18n';
import { href, navigate, setQuery } from '../router';
import { may, user } from '../session';
import { csvButton, table, type Column } from '../table';
import { caseworkPanel, moveIsCasework } from './casework';
import { subjectLink } from './findings';
import { errorBox, pager, type PageContext } from './shell';

export interface CaseSummary {
  case_id: number;
  subject_kind: string;
  subject_id: string;
  cause: string;
  unit_id: string;
  state: string;
  conclusion: string | null;
  assignee: string;
  source: string;
  opened_at: string;
  state_entered_at: string;
  due_on: string | null;
  version: number;
  summary: string;
  kwh_at_risk: number | null;
  money_at_risk: string | null;
}

interface CaseEvent {
  event_id: number;
  at: string;
  actor: string;
  kind: string;
  from_state: string;
  to_state: string;
  note: string;
}

interface CaseEvidence {
  finding_id: number;
  rule_id: string;
  area: string;
  subject_kind: string;
  subject_id: string;
  period: string;
  severity: string;
  summary: string;
  evidence: unknown;
  money_at_risk: string | null;
  active: boolean;
}

interface CaseDetail extends CaseSummary {
  events: CaseEvent[];
  evidence: CaseEvidence[];
  next_states: string[];
}

export const caseStates = ['new', 'assigned', 'online_check', 'onsite_check', 'concluded', 'back_billing', 'recovery', 'closed'];
const conclusions = ['confirmed_theft', 'confirmed_violation', 'billing_error', 'metering_fault', 'master_data_error', 'no_problem'];

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function overdue(c: CaseSummary): boolean {
  return c.state !== 'closed' && !!c.due_on && c.due_on < today();
}

function caseColumns(): Column<CaseSummary>[] {
  return [
    { label: t('field.id'), value: (c) => c.case_id, cell: (c) => h('a', { href: `/cases/${c.case_id}`, 'data-link': true }, `#${c.case_id}`), sort: 'id', numeric: true },
    { label: t('field.state'), value: (c) => c.state, cell: (c) => h('span', { class: `badge state-${c.state}` }, term('state', c.state)), sort: 'state' },
    { label: t('field.subject'), value: (c) => `${c.subject_kind} ${c.subject_id}` },
    { label: t('field.cause'), value: (c) => c.cause },
    { label: t('field.unit'), value: (c) => c.unit_id },
    { label: t('field.assignee'), value: (c) => c.assignee },
    { label: t('field.due_on'), value: (c) => c.due_on, cell: (c) => h('span', { class: overdue(c) ? 'overdue' : '' }, c.due_on ?? '—'), sort: 'due_on' },
    { label: t('field.summary'), value: (c) => c.summary },
    { label: t('field.money_at_risk'), value: (c) => c.money_at_risk, cell: (c) => money(c.money_at_risk), sort: 'money_at_risk', numeric: true },
  ];
}

function tabs(view: string): HTMLElement {
  const tab = (name: string, key: Parameters<typeof t>[0]) =>
    h('a', { href: href('/cases', { view: name }), 'data-link': true, class: view === name ? 'tab active' : 'tab' }, t(key));
  return h('nav', { class: 'tabs' }, tab('queue', 'cases.queue'), tab('board', 'cases.board'), tab('all', 'cases.all'));
}

async function caseList(root: HTMLElement, context: PageContext, view: string): Promise<void> {
  const { query } = context.location;
  const me = user();
  const sort = query.get('sort') ?? (view === 'queue' ? 'due_on' : 'id');
  const page = Number(query.get('page') ?? 1);
  const state = query.get('state') ?? '';
  const request: Record<string, string | number | undefined> = { sort, page, page_size: 50 };
  if (view === 'queue') {
    request.assignee = me?.username;
    request.open = 'true';
  } else if (state) {
    request.state = state;
  }
  const holder = h('div', {}, t('common.loading'));
  if (view === 'all') {
    const stateSelect = h(
      'select',
      { name: 'state', 'data-testid': 'filter-state' },
      h('option', { value: '' }, t('common.all')),
      caseStates.map((s) => h('option', { value: s, selected: s === state }, term('state', s))),
    );
    stateSelect.addEventListener('change', () => setQuery({ view, state: stateSelect.value, sort }));
    root.append(h('div', { class: 'filters' }, h('label', {}, t('field.state'), stateSelect)));
  }
  root.append(holder);
  try {
    const result = await get<Page<CaseSummary>>('/api/cases', request);
    const columns = caseColumns();
    holder.replaceChildren(
      h('div', { class: 'toolbar' }, h('span', { 'data-testid': 'cases-total' }, `${number(result.total)} ${t('common.rows')}`), csvButton(`cases-${view}.csv`, columns, () => result.items)),
      result.items.length
        ? table(columns, result.items, {
            sort,
            testId: 'cases-table',
            onSort: (field) => setQuery({ view, state, sort: field }),
          })
        : h('p', { class: 'hint' }, t('cases.empty')),
      pager(result, (next) => setQuery({ view, state, sort, page: next })),
    );
  } catch (error) {
    holder.replaceChildren(errorBox(error));
  }
}

async function caseBoard(root: HTMLElement): Promise<void> {
  const board = h('div', { class: 'board', 'data-testid': 'case-board' });
  root.append(board);
  const columns = await Promise.all(
    caseStates.map(async (state) => {
      try {
        return { state, page: await get<Page<CaseSummary>>('/api/cases', { state, sort: 'due_on', page_size: 12 }) };
      } catch (error) {
        return { state, error };
      }
    }),
  );
  for (const column of columns) {
    const body =
      'error' in column
        ? errorBox(column.error)
        : column.page!.items.map((c) =>
            h(
              'a',
              { class: `card${overdue(c) ? ' overdue' : ''}`, href: `/cases/${c.case_id}`, 'data-link': true },
              h('strong', {}, `#${c.case_id} `),
              `${c.subject_kind} ${c.subject_id}`,
              h('small', {}, `${c.cause} · ${c.assignee || '—'} · ${c.due_on ?? ''}`),
            ),
          );
    board.append(
      h(
        'section',
        { class: 'column' },
        h('h3', {}, `${term('state', column.state)} `, h('span', { class: 'count' }, 'page' in column ? number(column.page!.total) : '')),
        body,
      ),
    );
  }
}

// The permission a move needs (docs/cases.md's state machine; the server checks it again).
function permissionFor(from: string, to: string): Parameters<typeof may>[0] {
  if (to === 'concluded') return 'conclude_case';
  if (from === 'concluded' && to === 'onsite_check') return 'return_conclusion';
  if (from === 'concluded' && to === 'closed') return 'conclude_case';
  if (to === 'recovery') return 'approve_back_billing';
  if (to === 'closed') return 'record_payment';
  if (to === 'assigned') return 'assign_case';
  return 'work_case';
}

function actions(detail: CaseDetail, redraw: () => void): HTMLElement {
  const message = h('div', { 'data-testid': 'case-message' });
  const note = h('input', { name: 'note', placeholder: t('common.note'), size: 40, 'data-testid': 'case-note' });
  const conclusion = h(
    'select',
    { name: 'conclusion', 'data-testid': 'case-conclusion' },
    conclusions.map((c) => h('option', { value: c }, term('conclusion', c))),
  );
  const act = async (write: () => Promise<unknown>) => {
    message.replaceChildren();
    try {
      await write();
      redraw();
    } catch (error) {
      message.replaceChildren(errorBox(error));
    }
  };
  const moves = detail.next_states
    .filter((to) => to !== 'assigned' && !moveIsCasework(detail.state, to) && may(permissionFor(detail.state, to)))
    .map((to) =>
      h(
        'button',
        {
          type: 'button',
          'data-testid': `move-${to}`,
          onclick: () =>
            act(() =>
              post(`/api/cases/${detail.case_id}/transitions`, {
                to,
                version: detail.version,
                note: note.value || undefined,
                conclusion: to === 'concluded' ? conclusion.value : undefined,
              }),
            ),
        },
        `${t('cases.move_to')} ${term('state', to)}`,
      ),
    );
  const assignee = h('input', { name: 'assignee', placeholder: 'inspector', size: 14, 'data-testid': 'case-assignee' });
  const assign =
    may('assign_case') && detail.state !== 'closed'
      ? h(
          'span',
          { class: 'inline' },
          assignee,
          h(
            'button',
            {
              type: 'button',
              'data-testid': 'assign',
              onclick: () =>
                act(() =>
                  post(`/api/cases/${detail.case_id}/assign`, {
                    assignee: assignee.value,
                    version: detail.version,
                    note: note.value || undefined,
                  }),
                ),
            },
            t('cases.assign'),
          ),
        )
      : null;
  const comment = may('work_case')
    ? h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'data-testid': 'comment',
          onclick: () => act(() => post(`/api/cases/${detail.case_id}/comments`, { note: note.value })),
        },
        t('cases.comment'),
      )
    : null;
  const needsConclusion = detail.next_states.includes('concluded') && may('conclude_case');
  return h(
    'section',
    { class: 'panel' },
    h('h2', {}, t('cases.actions')),
    h('div', { class: 'actions' }, note, needsConclusion ? h('label', {}, t('field.conclusion'), conclusion) : null, comment),
    h('div', { class: 'actions' }, moves, assign),
    message,
  );
}

async function casePage(root: HTMLElement, id: number): Promise<void> {
  const holder = h('div', { 'data-testid': 'case-page' }, t('common.loading'));
  root.append(holder);
  let detail: CaseDetail;
  try {
    detail = await get<CaseDetail>(`/api/cases/${id}`);
  } catch (error) {
    holder.replaceChildren(errorBox(error));
    return;
  }
  const redraw = () => navigate(`/cases/${id}`, true);
  const events: Column<CaseEvent>[] = [
    { label: t('field.time'), value: (e) => e.at },
    { label: t('field.actor'), value: (e) => e.actor },
    { label: t('field.event'), value: (e) => e.kind },
    { label: t('field.state'), value: (e) => (e.from_state || e.to_state ? `${term('state', e.from_state)} → ${term('state', e.to_state)}` : '') },
    { label: t('common.note'), value: (e) => e.note },
  ];
  const work = await caseworkPanel(detail, redraw);
  holder.replaceChildren(
    h(
      'div',
      { class: 'panel-head' },
      h('h1', {}, `${t('cases.case')} #${detail.case_id} `, h('span', { class: `badge state-${detail.state}`, 'data-testid': 'case-state' }, term('state', detail.state))),
      h('a', { href: '/cases', 'data-link': true }, t('cases.title')),
    ),
    h('p', {}, detail.summary),
    h(
      'dl',
      { class: 'facts' },
      [
        [t('field.subject'), subjectLink(detail.subject_kind, detail.subject_id)],
        [t('field.cause'), detail.cause],
        [t('field.unit'), detail.unit_id || '—'],
        [t('field.assignee'), detail.assignee || '—'],
        [t('field.due_on'), detail.due_on ?? '—'],
        [t('field.conclusion'), detail.conclusion ? term('conclusion', detail.conclusion) : '—'],
        [t('field.opened_at'), detail.opened_at],
        [t('field.version'), String(detail.version)],
        [t('field.kwh_at_risk'), number(detail.kwh_at_risk)],
        [t('field.money_at_risk'), money(detail.money_at_risk)],
      ].map(([label, value]) => [h('dt', {}, label as string), h('dd', {}, value)]),
    ),
    actions(detail, redraw),
    ...(work ? [work] : []),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, t('cases.evidence')),
      detail.evidence.map((item) =>
        h(
          'article',
          { class: 'evidence-item' },
          h('h3', {}, h('a', { href: href('/findings', { finding: item.finding_id }), 'data-link': true }, `#${item.finding_id}`), ` ${item.rule_id} · `, h('span', { class: `badge severity-${item.severity}` }, term('severity', item.severity))),
          h('p', {}, item.summary),
          renderEvidence(item.evidence),
        ),
      ),
    ),
    h('section', { class: 'panel' }, h('h2', {}, t('cases.timeline')), table(events, detail.events, { testId: 'case-timeline' })),
  );
}

// The fee center's side of the loop: its anomaly CSV imported as cases (open_case), and the month's
// feedback CSV of concluded cases downloaded (GET /api/feedback).
function feeCenter(): HTMLElement {
  const message = h('div', { 'data-testid': 'fee-center-message' });
  const file = h('input', { type: 'file', accept: '.csv,text/csv', 'data-testid': 'anomaly-file' });
  const month = h('input', { type: 'month', value: new Date().toISOString().slice(0, 7), 'data-testid': 'feedback-month' });
  const upload = async () => {
    message.replaceChildren();
    const chosen = file.files?.[0];
    if (!chosen) return;
    try {
      const report = await postText<{ opened: number; attached: number; case_ids: number[] }>(
        '/api/cases/import',
        await chosen.text(),
        'text/csv',
      );
      message.append(`${t('findings.cases_opened')}: ${report.opened}, ${t('findings.cases_joined')}: ${report.attached}`);
    } catch (error) {
      message.append(errorBox(error));
    }
  };
  const download = async () => {
    message.replaceChildren();
    try {
      const text = await getText(`/api/feedback?period=${encodeURIComponent(month.value)}`);
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      const link = h('a', { href: url, download: `feedback-${month.value}.csv` });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) {
      message.append(errorBox(error));
    }
  };
  return h(
    'section',
    { class: 'panel' },
    h('h2', {}, t('fee.title')),
    h(
      'div',
      { class: 'actions' },
      may('open_case')
        ? [
            h('label', {}, t('fee.import'), file),
            h('button', { type: 'button', 'data-testid': 'import-anomalies', onclick: upload }, t('fee.upload')),
          ]
        : null,
      h('label', {}, t('fee.feedback'), month),
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'download-feedback', onclick: download }, t('common.csv')),
    ),
    message,
  );
}

export async function casesPage(root: HTMLElement, context: PageContext): Promise<void> {
  const match = /^\/cases\/(\d+)$/.exec(context.location.path);
  if (match) {
    await casePage(root, Number(match[1]));
    return;
  }
  const view = context.location.query.get('view') ?? 'queue';
  root.append(h('h1', {}, t('cases.title')), tabs(view));
  if (view === 'board') await caseBoard(root);
  else await caseList(root, context, view);
  if (view === 'all') root.append(feeCenter());
}
