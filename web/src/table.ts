// A table of what a page shows, and the same rows as a CSV download: every chart's numbers are one
// click away, and every list exports what is on the screen.
import { h } from './dom';
import { t } from './i18n';

export interface Column<T> {
  label: string;
  value: (row: T) => string | number | null | undefined; // the CSV's value (and the cell's text)
  cell?: (row: T) => Node | string; // the cell when it is more than text (a link, a badge)
  numeric?: boolean;
  sort?: string; // the server's sort field, when the column sorts
}

export function table<T>(
  columns: Column<T>[],
  rows: T[],
  options: { sort?: string; onSort?: (field: string) => void; onRow?: (row: T) => void; testId?: string } = {},
): HTMLTableElement {
  const head = h(
    'tr',
    {},
    columns.map((column) => {
      if (!column.sort || !options.onSort) return h('th', { class: column.numeric ? 'num' : '' }, column.label);
      const active = options.sort === column.sort ? ' ▲' : options.sort === `-${column.sort}` ? ' ▼' : '';
      const next = options.sort === `-${column.sort}` ? column.sort : `-${column.sort}`;
      return h(
        'th',
        { class: `sortable${column.numeric ? ' num' : ''}`, onclick: () => options.onSort?.(next) },
        column.label + active,
      );
    }),
  );
  const body = rows.map((row) =>
    h(
      'tr',
      { class: options.onRow ? 'clickable' : '', onclick: options.onRow ? () => options.onRow?.(row) : undefined },
      columns.map((column) => {
        const content = column.cell ? column.cell(row) : column.value(row) ?? '';
        return h('td', { class: column.numeric ? 'num' : '' }, content);
      }),
    ),
  );
  return h('table', { class: 'grid', 'data-testid': options.testId }, h('thead', {}, head), h('tbody', {}, body));
}

function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText<T>(columns: Column<T>[], rows: T[]): string {
  const lines = [columns.map((column) => csvField(column.label)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvField(column.value(row))).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`; // the BOM: Excel opens the Chinese labels as UTF-8
}

export function csvButton<T>(fileName: string, columns: Column<T>[], rows: () => T[]): HTMLButtonElement {
  return h(
    'button',
    {
      class: 'secondary',
      type: 'button',
      onclick: () => {
        const blob = new Blob([csvText(columns, rows())], { type: 'text/csv;charset=utf-8' });
        const url = URL.createObjectURL(blob);
        const link = h('a', { href: url, download: fileName });
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      },
    },
    t('common.csv'),
  );
}

// A chart with its numbers one click away: a Chart / Table switch above both.
export function chartWithTable(chartElement: HTMLElement, tableElement: () => Node, extra: Node[] = []): HTMLElement {
  const holder = h('div', { class: 'table-view', hidden: true });
  const toggle = h('button', { class: 'secondary', type: 'button' }, t('common.table'));
  toggle.addEventListener('click', () => {
    const showTable = holder.hidden;
    if (showTable && !holder.firstChild) holder.appendChild(tableElement());
    holder.hidden = !showTable;
    chartElement.hidden = showTable;
    toggle.textContent = showTable ? t('common.chart') : t('common.table');
  });
  return h('div', { class: 'chart-block' }, h('div', { class: 'toolbar' }, toggle, extra), chartElement, holder);
}
