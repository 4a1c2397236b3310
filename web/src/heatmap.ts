// The heat map of nodes x days drawn on a canvas of its own: one pixel per cell into an image the
// size of the matrix, scaled to the plot without smoothing. ECharts' heat map took 11 to 18 s for
// 1,000 areas x 365 days on the test machine (a shape per cell); this fills the image through a
// 32-bit view of its pixels from a table of 1,024 colours (no allocation per cell): a few
// milliseconds for 365,000 cells. Axes, a colour scale, a tooltip and a click on a row as ECharts
// would give them. The values come as one row-major Float32Array (NaN: no value), the form the
// server's compact encoding decodes to without a parse per number.
import { h } from './dom';

export interface HeatMapData {
  rows: string[]; // row labels (node ids), top to bottom
  columns: string[]; // column labels (dates)
  values: Float32Array; // rows x columns, row-major; NaN where there is no value
}

export interface HeatMapOptions {
  min: number;
  max: number;
  colours: string[]; // evenly spaced from min to max
  format: (value: number | null) => string;
  tooltip: (row: number, column: number) => string;
  onClick?: (row: number, column: number) => void;
}

function rgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

const lutSize = 1024;

// The scale's colours at lutSize + 1 evenly spaced values from min to max, as the 32-bit pixels of
// an ImageData on a little-endian machine (every browser the dashboard runs on): 0xAABBGGRR.
export function colourTable(colours: string[]): Uint32Array {
  const stops = colours.map(rgb);
  const table = new Uint32Array(lutSize + 1);
  for (let i = 0; i <= lutSize; ++i) {
    const position = (i / lutSize) * (stops.length - 1);
    const low = Math.floor(position);
    const high = Math.min(stops.length - 1, low + 1);
    const share = position - low;
    const channel = (k: number) => Math.round(stops[low][k] + (stops[high][k] - stops[low][k]) * share);
    table[i] = (255 << 24) | (channel(2) << 16) | (channel(1) << 8) | channel(0);
  }
  return table;
}

const noValue = (255 << 24) | (234 << 16) | (230 << 8) | 226; // grey: rgb(226, 230, 234)

// Fills `pixels` (one per value) with the colours of `values` clamped to [min, max].
export function fillPixels(pixels: Uint32Array, values: Float32Array, min: number, max: number, table: Uint32Array): void {
  const scale = lutSize / (max - min);
  for (let i = 0; i < values.length; ++i) {
    const value = values[i];
    if (value !== value) {
      pixels[i] = noValue; // NaN
      continue;
    }
    let at = Math.round((value - min) * scale);
    if (at < 0) at = 0;
    else if (at > lutSize) at = lutSize;
    pixels[i] = table[at];
  }
}

export function heatMap(element: HTMLElement, data: HeatMapData, options: HeatMapOptions): void {
  const margin = { left: data.rows.length <= 120 ? 70 : 20, right: 12, top: 8, bottom: 64 };
  const canvas = h('canvas', {});
  const tip = h('div', { class: 'heat-tip', hidden: true });
  element.classList.add('heat-map');
  element.replaceChildren(canvas, tip);

  // The matrix as an image, one pixel per cell.
  const image = document.createElement('canvas');
  image.width = Math.max(1, data.columns.length);
  image.height = Math.max(1, data.rows.length);
  const context = image.getContext('2d')!;
  const pixels = context.createImageData(image.width, image.height);
  if (data.values.length === data.rows.length * data.columns.length)
    fillPixels(new Uint32Array(pixels.data.buffer), data.values, options.min, options.max, colourTable(options.colours));
  context.putImageData(pixels, 0, 0);

  const draw = () => {
    const width = element.clientWidth;
    const height = element.clientHeight;
    if (width === 0 || height === 0) return; // hidden (the table shown instead)
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const g = canvas.getContext('2d')!;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const plotWidth = width - margin.left - margin.right;
    const plotHeight = height - margin.top - margin.bottom;
    g.imageSmoothingEnabled = false;
    g.drawImage(image, margin.left, margin.top, plotWidth, plotHeight);
    g.fillStyle = '#5f6b78';
    g.font = '10px system-ui, sans-serif';
    // Row labels when they fit, bottom row first as a chart's y axis reads.
    if (data.rows.length <= 120) {
      const step = Math.max(1, Math.ceil((12 * data.rows.length) / plotHeight));
      g.textAlign = 'right';
      g.textBaseline = 'middle';
      for (let r = 0; r < data.rows.length; r += step)
        g.fillText(data.rows[r], margin.left - 4, margin.top + ((r + 0.5) * plotHeight) / data.rows.length);
    }
    // Column labels, about one per 90 px.
    const every = Math.max(1, Math.ceil((90 * data.columns.length) / Math.max(plotWidth, 1)));
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (let c = 0; c < data.columns.length; c += every) {
      const x = margin.left + ((c + 0.5) * plotWidth) / data.columns.length;
      g.fillText(data.columns[c], Math.max(x, 32), margin.top + plotHeight + 4);
    }
    // The colour scale.
    const scaleWidth = Math.min(240, plotWidth);
    const scaleLeft = margin.left + (plotWidth - scaleWidth) / 2;
    const scaleTop = height - 26;
    const gradient = g.createLinearGradient(scaleLeft, 0, scaleLeft + scaleWidth, 0);
    options.colours.forEach((colour, i) => gradient.addColorStop(i / (options.colours.length - 1), colour));
    g.fillStyle = gradient;
    g.fillRect(scaleLeft, scaleTop, scaleWidth, 10);
    g.fillStyle = '#5f6b78';
    g.textAlign = 'right';
    g.fillText(options.format(options.min), scaleLeft - 4, scaleTop);
    g.textAlign = 'left';
    g.fillText(options.format(options.max), scaleLeft + scaleWidth + 4, scaleTop);
  };

  const cellAt = (event: MouseEvent): [number, number] | null => {
    const box = canvas.getBoundingClientRect();
    const x = event.clientX - box.left - margin.left;
    const y = event.clientY - box.top - margin.top;
    const plotWidth = box.width - margin.left - margin.right;
    const plotHeight = box.height - margin.top - margin.bottom;
    if (x < 0 || y < 0 || x >= plotWidth || y >= plotHeight) return null;
    return [Math.floor((y / plotHeight) * data.rows.length), Math.floor((x / plotWidth) * data.columns.length)];
  };
  canvas.addEventListener('mousemove', (event) => {
    const cell = cellAt(event);
    tip.hidden = !cell;
    if (!cell) return;
    tip.textContent = options.tooltip(cell[0], cell[1]);
    tip.style.left = `${event.offsetX + 12}px`;
    tip.style.top = `${event.offsetY + 12}px`;
  });
  canvas.addEventListener('mouseleave', () => {
    tip.hidden = true;
  });
  canvas.addEventListener('click', (event) => {
    const cell = cellAt(event);
    if (cell && options.onClick) options.onClick(cell[0], cell[1]);
  });
  draw();
  new ResizeObserver(() => draw()).observe(element);
  element.dataset.drawn = 'true';
}
