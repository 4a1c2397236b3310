// What every page shares: the header (navigation, the language switch, who is signed in), the
// refusal box that shows the server's own message, and the pager of a server-side list.
import { ApiError, post, type Page } from '../api';
import { h } from '../dom';
import { language, number, setLanguage, t, type Key } from '../i18n';
import { navigate, type Location } from '../router';
import { signOut, user } from '../session';

export interface PageContext {
  location: Location;
  rerender: () => void;
}

const navigation: [string, Key][] = [
  ['/', 'nav.overview'],
  ['/findings', 'nav.findings'],
  ['/line-loss', 'nav.lineloss'],
  ['/cases', 'nav.cases'],
  ['/kpis', 'nav.kpis'],
  ['/rules', 'nav.rules'],
];

export function header(context: PageContext): HTMLElement {
  const current = user();
  const path = context.location.path;
  const active = (target: string) => (target === '/' ? path === '/' : path.startsWith(target));
  const switcher = h(
    'button',
    {
      type: 'button',
      class: 'secondary language',
      'data-testid': 'language',
      onclick: () => {
        setLanguage(language() === 'en' ? 'zh' : 'en');
        context.rerender();
      },
    },
    language() === 'en' ? '中文' : 'English',
  );
  return h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '/', 'data-link': true }, t('app.title')),
    h(
      'nav',
      {},
      navigation.map(([target, key]) =>
        h('a', { href: target, 'data-link': true, class: active(target) ? 'active' : '' }, t(key)),
      ),
    ),
    h('div', { class: 'spacer' }),
    switcher,
    current
      ? h(
          'span',
          { class: 'who', 'data-testid': 'who' },
          `${current.username} · ${current.role}${current.unit_id ? ` · ${current.unit_id}` : ''}`,
        )
      : null,
    current
      ? h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: async () => {
              try {
                await post('/api/logout', undefined);
              } catch {
                // Signed out locally whatever the server says.
              }
              signOut();
              navigate('/login');
            },
          },
          t('nav.signout'),
        )
      : null,
  );
}

// The refusal as the server put it: "409 conflict: case 12 cannot go from new to concluded; ...".
export function errorBox(error: unknown): HTMLElement {
  const text =
    error instanceof ApiError
      ? `${error.status ? `${error.status} ${error.code}: ` : ''}${error.message}`
      : String(error);
  return h('div', { class: 'error', role: 'alert', 'data-testid': 'refusal' }, text);
}

export function pager<T>(page: Page<T>, go: (page: number) => void): HTMLElement {
  const pages = Math.max(1, Math.ceil(page.total / page.page_size));
  return h(
    'div',
    { class: 'pager' },
    h('button', { type: 'button', class: 'secondary', disabled: page.page <= 1, onclick: () => go(page.page - 1) }, t('common.previous')),
    h('span', {}, `${t('common.page')} ${page.page} ${t('common.of')} ${number(pages)} · ${number(page.total)} ${t('common.rows')}`),
    h('button', { type: 'button', class: 'secondary', disabled: page.page >= pages, onclick: () => go(page.page + 1) }, t('common.next')),
  );
}
