// The dashboard's entry: the pages by path, the login page when there is no session (coming back
// to the page asked for after signing in), the header with navigation and the language switch.
import './style.css';
import { whenUnauthenticated } from './api';
import { disposeCharts } from './charts';
import { clear, h } from './dom';
import { language, setLanguage } from './i18n';
import { casesPage } from './pages/cases';
import { customerPage } from './pages/customer';
import { findingsPage } from './pages/findings';
import { kpisPage } from './pages/kpis';
import { lineLossPage } from './pages/lineloss';
import { loginPage } from './pages/login';
import { overviewPage } from './pages/overview';
import { rulesPage } from './pages/rules';
import { errorBox, header, type PageContext } from './pages/shell';
import { current, href, navigate, onNavigate, type Location } from './router';
import { token } from './session';

const app = document.getElementById('app') as HTMLElement;
setLanguage(language());

async function render(location: Location): Promise<void> {
  disposeCharts();
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
    if (location.path === '/') await overviewPage(main, context);
    else if (location.path === '/findings') await findingsPage(main, context);
    else if (location.path === '/line-loss') await lineLossPage(main, context);
    else if (location.path === '/cases' || location.path.startsWith('/cases/')) await casesPage(main, context);
    else if (location.path.startsWith('/customers/')) await customerPage(main, context);
    else if (location.path === '/kpis') await kpisPage(main, context);
    else if (location.path === '/rules') await rulesPage(main, context);
    else main.append(h('h1', {}, '404'), h('p', {}, location.path));
  } catch (error) {
    main.append(errorBox(error));
  }
}

whenUnauthenticated(() => navigate(href('/login', { next: window.location.pathname + window.location.search }), true));
onNavigate((location) => void render(location));
void render(current());
