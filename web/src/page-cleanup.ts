// What a page leaves behind when the next one replaces it (its charts), kept apart from the modules
// that make it so that the entry chunk loads no chart library: charts.ts registers its disposal
// here when a page first imports it, and main.ts runs every cleanup before rendering a page.
const cleanups = new Set<() => void>();

export function onPageChange(cleanup: () => void): void {
  cleanups.add(cleanup);
}

export function runPageCleanups(): void {
  for (const cleanup of cleanups) cleanup();
}
