// A sparkline: a month-by-month trend drawn small inside a tile, as an inline SVG polyline (no
// chart library: a few points need no canvas, and the tile draws at once). Gaps (null) break the
// line; the last point is marked. sparklinePoints is pure (testable without a browser).
const svgNamespace = 'http://www.w3.org/2000/svg';

// The polylines' points ("x,y x,y") of `values` in a width x height box with `pad` pixels inside
// the edges, one polyline per run of non-null values; the y axis spans the values' own range.
export function sparklinePoints(values: (number | null)[], width: number, height: number, pad = 2): string[] {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return [];
  const low = Math.min(...known);
  const high = Math.max(...known);
  const span = high - low || 1;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const runs: string[] = [];
  let run: string[] = [];
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      if (run.length) runs.push(run.join(' '));
      run = [];
      return;
    }
    const x = pad + i * step;
    const y = height - pad - ((value - low) / span) * (height - 2 * pad);
    run.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(' '));
  return runs;
}

export function sparkline(values: (number | null)[], label: string, testId: string): SVGSVGElement {
  const width = 120;
  const height = 32;
  const svg = document.createElementNS(svgNamespace, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('data-testid', testId);
  const title = document.createElementNS(svgNamespace, 'title');
  title.textContent = label;
  svg.appendChild(title);
  for (const points of sparklinePoints(values, width, height)) {
    const line = document.createElementNS(svgNamespace, 'polyline');
    line.setAttribute('points', points);
    svg.appendChild(line);
  }
  const runs = sparklinePoints(values, width, height);
  const last = runs[runs.length - 1]?.split(' ').pop();
  if (last && values[values.length - 1] !== null) {
    const [x, y] = last.split(',');
    const dot = document.createElementNS(svgNamespace, 'circle');
    dot.setAttribute('cx', x);
    dot.setAttribute('cy', y);
    dot.setAttribute('r', '2.5');
    svg.appendChild(dot);
  }
  return svg;
}
