// The casework of a case page (GET|POST /api/cases/{id}/back-billing, .../approve, .../payments,
// .../documents/{kind}; docs/api.md): the back-billing computed from the evidence and the facts
// found on site, itemised with the Supply Business Rules' articles; its approval (the notice
// number; the case to recovery); the payments against the notice (the case closes when they reach
// the total); and the printable documents. Buttons only for the roles that may; the server decides.
import { get, getText, post } from '../api';
import { h } from '../dom';
import { money, t, type Key } from '../i18n';
import { may } from '../session';
import { table, type Column } from '../table';
import { errorBox } from './shell';

interface Item {
  name: string;
  amount: string;
  article: string;
}

interface BackBilling {
  case_id: number;
  version: number;
  computation: string;
  article: string;
  title: string;
  energy_kwh: number | null;
  items: Item[];
  total: string;
  notice_number: string | null;
  paid: string;
  outstanding: string;
}

interface Payment {
  payment_id: number;
  amount: string;
  paid_on: string;
  reference: string;
  recorded_by: string;
}

const billable = ['confirmed_theft', 'confirmed_violation', 'billing_error', 'metering_fault'];
const documentKinds = ['notice', 'onsite', 'back-billing', 'feedback'];
// The recovery calculator's keys an inspector most often records (docs/recovery.md, docs/cases.md).
const factKeys = ['computation', 'capacity_kw', 'price', 'start', 'end', 'days', 'hours_per_day', 'found', 'load',
  'billed_total', 'recomputed_total', 'cause', 'right_ratio', 'billed_ratio', 'recorded_kwh', 'last_test'];

export interface CaseFacts {
  case_id: number;
  state: string;
  conclusion: string | null;
  version: number;
}

// The moves the casework panel makes (not plain transitions): to back-billing by computing it, to
// recovery by approving it, from recovery to closed by the payments.
export function moveIsCasework(from: string, to: string): boolean {
  return to === 'back_billing' || to === 'recovery' || (from === 'recovery' && to === 'closed');
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function caseworkPanel(detail: CaseFacts, redraw: () => void): Promise<HTMLElement | null> {
  const { case_id: id, state } = detail;
  const computable = (state === 'concluded' && billable.includes(detail.conclusion ?? '')) || state === 'back_billing';
  const hasBill = ['back_billing', 'recovery', 'closed'].includes(state);
  if (!computable && !hasBill && state === 'new') return null;
  const message = h('div', { 'data-testid': 'casework-message' });
  const act = async (write: () => Promise<unknown>) => {
    message.replaceChildren();
    try {
      await write();
      redraw();
    } catch (error) {
      message.replaceChildren(errorBox(error));
    }
  };
  const panel = h('section', { class: 'panel', 'data-testid': 'casework' }, h('h2', {}, t('bb.title')));

  let bill: BackBilling | null = null;
  if (hasBill) {
    try {
      bill = await get<BackBilling>(`/api/cases/${id}/back-billing`);
    } catch {
      bill = null; // none computed (a case concluded without anything to bill)
    }
  }
  if (bill) {
    const columns: Column<Item>[] = [
      { label: t('bb.item'), value: (i) => i.name },
      { label: t('bb.article'), value: (i) => i.article },
      { label: t('bb.amount'), value: (i) => i.amount, cell: (i) => money(i.amount), numeric: true },
    ];
    panel.append(
      h('p', {}, `${bill.title} (${bill.article})${bill.notice_number ? ` · ${t('bb.notice')} ${bill.notice_number}` : ''}`),
      table(columns, bill.items, { testId: 'back-billing-items' }),
      h(
        'p',
        { class: 'total' },
        h('strong', { 'data-testid': 'back-billing-total' }, `${t('bb.total')} ${money(bill.total)}`),
        ` · ${t('bb.paid')} ${money(bill.paid)} · ${t('bb.outstanding')} ${money(bill.outstanding)}`,
      ),
    );
  }
  if (computable && may('work_case')) {
    // The on-site record: the facts found, as the calculator's keys and their values (text, kept
    // exact; "null" strikes the evidence's argument out), docs/cases.md.
    const rows = h('div', { class: 'facts-rows', 'data-testid': 'facts' });
    const addRow = () =>
      rows.append(
        h(
          'div',
          { class: 'inline' },
          h('input', { name: 'fact', list: 'fact-keys', placeholder: 'capacity_kw', size: 18 }),
          h('input', { name: 'value', placeholder: '3', size: 14 }),
        ),
      );
    for (let i = 0; i < 3; ++i) addRow();
    const facts = (): Record<string, string | null> => {
      const found: Record<string, string | null> = {};
      for (const row of rows.querySelectorAll('div')) {
        const [key, value] = [...row.querySelectorAll('input')].map((input) => input.value.trim());
        if (key) found[key] = value === 'null' ? null : value;
      }
      return found;
    };
    panel.append(
      h('datalist', { id: 'fact-keys' }, factKeys.map((key) => h('option', { value: key }))),
      h('h3', {}, t('bb.facts')),
      rows,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: addRow }, t('bb.add_fact')),
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'compute-back-billing',
            onclick: () => act(() => post(`/api/cases/${id}/back-billing`, { version: detail.version, facts: facts() })),
          },
          t('bb.compute'),
        ),
      ),
    );
  }
  if (state === 'back_billing' && bill && may('approve_back_billing')) {
    panel.append(
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'approve-back-billing',
          onclick: () => act(() => post(`/api/cases/${id}/back-billing/approve`, { version: detail.version })),
        },
        t('bb.approve'),
      ),
    );
  }
  if ((state === 'recovery' || state === 'closed') && bill) {
    try {
      const payments = await get<{ payments: Payment[] }>(`/api/cases/${id}/payments`);
      const columns: Column<Payment>[] = [
        { label: t('bb.paid_on'), value: (p) => p.paid_on },
        { label: t('bb.amount'), value: (p) => p.amount, cell: (p) => money(p.amount), numeric: true },
        { label: t('bb.reference'), value: (p) => p.reference },
        { label: t('field.actor'), value: (p) => p.recorded_by },
      ];
      panel.append(h('h3', {}, t('bb.payments')), table(columns, payments.payments, { testId: 'payments' }));
    } catch (error) {
      panel.append(errorBox(error));
    }
  }
  if (state === 'recovery' && may('record_payment')) {
    const amount = h('input', { name: 'amount', placeholder: bill?.outstanding ?? '0.00', size: 12, 'data-testid': 'payment-amount' });
    const paidOn = h('input', { name: 'paid_on', type: 'date', value: today(), 'data-testid': 'payment-day' });
    const reference = h('input', { name: 'reference', size: 16, 'data-testid': 'payment-reference' });
    panel.append(
      h(
        'div',
        { class: 'actions' },
        h('label', {}, t('bb.amount'), amount),
        h('label', {}, t('bb.paid_on'), paidOn),
        h('label', {}, t('bb.reference'), reference),
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'record-payment',
            onclick: () =>
              act(() =>
                post(`/api/cases/${id}/payments`, {
                  amount: amount.value.trim(),
                  paid_on: paidOn.value,
                  reference: reference.value || undefined,
                }),
              ),
          },
          t('bb.pay'),
        ),
      ),
    );
  }
  panel.append(
    h(
      'div',
      { class: 'actions' },
      h('span', { class: 'hint' }, `${t('bb.documents')}:`),
      documentKinds.map((kind) =>
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'data-testid': `document-${kind}`,
            onclick: async () => {
              message.replaceChildren();
              try {
                const html = await getText(`/api/cases/${id}/documents/${kind}`);
                const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
                window.open(url, '_blank', 'noopener');
                setTimeout(() => URL.revokeObjectURL(url), 60_000);
              } catch (error) {
                message.replaceChildren(errorBox(error));
              }
            },
          },
          t(`doc.${kind}` as Key),
        ),
      ),
    ),
    message,
  );
  return panel;
}
