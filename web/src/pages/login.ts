// Login: username and password to POST /api/login; the token and user kept for the tab's session.
import { post } from '../api';
import { h } from '../dom';
import { language, setLanguage, t } from '../i18n';
import { navigate } from '../router';
import { signIn, type User } from '../session';
import { errorBox, type PageContext } from './shell';

export function loginPage(root: HTMLElement, context: PageContext): void {
  const message = h('div', {});
  const form = h(
    'form',
    { class: 'login panel', 'data-testid': 'login' },
    h(
      'div',
      { class: 'panel-head' },
      h('h1', {}, t('app.title')),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'data-testid': 'language',
          onclick: () => {
            setLanguage(language() === 'en' ? 'zh' : 'en');
            context.rerender();
          },
        },
        language() === 'en' ? '中文' : 'English',
      ),
    ),
    h('h2', {}, t('login.title')),
    h('label', {}, t('login.username'), h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true })),
    h('label', {}, t('login.password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit' }, t('login.submit')),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      const answer = await post<{ token: string; user: User }>('/api/login', {
        username: String(data.get('username') ?? ''),
        password: String(data.get('password') ?? ''),
      });
      signIn(answer.token, answer.user);
      const next = context.location.query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
    } catch (error) {
      message.replaceChildren(errorBox(error));
    }
  });
  root.append(form);
}
