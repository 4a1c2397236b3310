// A small router over the History API: a page per path, its filters in the query string, so a URL
// is shareable (a colleague opening it sees the same filtered page). Links with data-link are
// followed without reloading.
export interface Location {
  path: string;
  query: URLSearchParams;
}

type Listener = (location: Location) => void;
let listener: Listener = () => {};

export function current(): Location {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

export function onNavigate(callback: Listener): void {
  listener = callback;
  window.addEventListener('popstate', () => listener(current()));
  document.addEventListener('click', (event) => {
    const anchor = (event.target as Element | null)?.closest?.('a[data-link]') as HTMLAnchorElement | null;
    if (!anchor || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    navigate(anchor.getAttribute('href') ?? '/');
  });
}

export function navigate(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listener(current());
}

// The URL of `path` with the non-empty parameters of `query`.
export function href(path: string, query: Record<string, string | number | undefined | null> = {}): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') parameters.set(name, String(value));
  }
  const search = parameters.toString();
  return search ? `${path}?${search}` : path;
}

// Replaces the query of the current page (a filter changed) and renders it again.
export function setQuery(query: Record<string, string | number | undefined | null>, replace = false): void {
  navigate(href(window.location.pathname, query), replace);
}
