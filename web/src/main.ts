// The dashboard's entry: the pages by path, the login page when there is no session (coming back
// to the page asked for after signing in), the header with navigation and the language switch.
// The pages are loaded when first shown (dynamic imports: a chunk each, ECharts in a chunk of its
// own), so the login page from a cold start loads no chart library.
import './style.css';
import { whenUnauthenticated } from './api';
import { clear, h } from './dom';
import { language, setLanguage } from './i18n';
import { runPageCleanups } from './page-cleanup';
import { loginPage } from './pages/login';
import { errorBox, header, type PageContext } from './pages/shell';
import { current, href, navigate, onNavigate, type Location } from './router';
import { token } from './session';

const app = document.getElementById('app') as HTMLElement;

type PageFunction = (root: HTMLElement, context: PageContext) => Promise<void>;

// The page of a path, loaded on first use.
function pageOf(path: string): Promise<PageFunction> | null {
  if (path === '/') return import('./pages/overview').then((m) => m.overviewPage);
  if (path === '/findings') return import('./pages/findings').then((m) => m.findingsPage);
  if (path === '/line-loss') return import('./pages/lineloss').then((m) => m.lineLossPage);
  if (path === '/cases' || path.startsWith('/cases/')) return import('./pages/cases').then((m) => m.casesPage);
  if (path.startsWith('/customers/')) return import('./pages/customer').then((m) => m.customerPage);
  if (path === '/kpis') return import('./pages/kpis').then((m) => m.kpisPage);
  if (path === '/rules') return import('./pages/rules').then((m) => m.rulesPage);
  return null;
}
setLanguage(language());

async function render(location: Location): Promise<void> {
  runPageCleanups();
  clear(app);
  const context: PageContext = { location, rerender: () => void render(current()) };
  if (location.path === '/login') {
    loginPage(app, context);
    return;
  }
  if (!token()) {
    navigate(href('/login', { next: location.path + window.location.search }), true);
    return;
  }
  const main = h('main', { class: 'page' });
  app.append(header(context), main);
  try {
    const page = pageOf(location.path);
    if (page) await (await page)(main, context);
    else main.append(h('h1', {}, '404'), h('p', {}, location.path));
  } catch (error) {
    main.append(errorBox(error));
  }
}

whenUnauthenticated(() => navigate(href('/login', { next: window.location.pathname + window.location.search }), true));
onNavigate((location) => void render(location));
void render(current());
