/**
 * A dependency-free SVG line chart for docs/BENCHMARKS.md: several series, "nice" axis ticks, a
 * legend, a title, and optional reference lines (goals). GitHub shows committed SVGs through <img>
 * in light and dark themes alike, so the chart paints its own white background and uses the
 * Okabe–Ito palette (distinguishable with the common colour-vision deficiencies).
 */

export interface Series {
  name: string;
  points: readonly (readonly [x: number, y: number])[];
  /** Draw as a staircase (empirical CDFs), not straight segments. */
  step?: boolean;
}

export interface RefLine {
  axis: 'x' | 'y';
  value: number;
  label: string;
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  refLines?: readonly RefLine[];
  width?: number;
  height?: number;
  /** Axis bounds; by default they come from the data (and y starts at 0 for non-negative data). */
  x?: { min?: number; max?: number };
  y?: { min?: number; max?: number };
  /** Tick label formatters; the default shortens thousands to "k". */
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
}

const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const FONT = 'font-family="-apple-system,Segoe UI,Helvetica,Arial,sans-serif"';
/** Rough width of one character at 12 px, to lay out the legend without measuring text. */
const CHAR_PX = 6.8;
/** Series with more points than this are drawn without point markers, which would clutter them. */
const MAX_MARKED_POINTS = 30;

export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? 400;
  const allPoints = spec.series.flatMap((s) => s.points);
  const refX = (spec.refLines ?? []).filter((r) => r.axis === 'x').map((r) => r.value);
  const refY = (spec.refLines ?? []).filter((r) => r.axis === 'y').map((r) => r.value);
  const xs = [...allPoints.map((p) => p[0]), ...refX];
  const ys = [...allPoints.map((p) => p[1]), ...refY];
  // Loops, not Math.min(...xs): a spread of 10^5 arguments overflows the stack.
  const xRange = extent(xs);
  const yRange = extent(ys);
  const xAxis = niceAxis(spec.x?.min ?? xRange.min, spec.x?.max ?? xRange.max);
  const yAxis = niceAxis(spec.y?.min ?? Math.min(0, yRange.min), spec.y?.max ?? yRange.max);
  const xFormat = spec.xFormat ?? defaultFormat(xAxis.step);
  const yFormat = spec.yFormat ?? defaultFormat(yAxis.step);

  const legend = layoutLegend(spec.series, width - 40);
  const yTickWidth = Math.max(...yAxis.ticks.map((t) => yFormat(t).length)) * CHAR_PX;
  const plot = {
    left: 28 + yTickWidth + 12,
    right: width - 24,
    top: 40 + legend.height,
    bottom: height - 52,
  };
  const sx = (x: number) => plot.left + ((x - xAxis.min) / (xAxis.max - xAxis.min || 1)) * (plot.right - plot.left);
  const sy = (y: number) => plot.bottom - ((y - yAxis.min) / (yAxis.max - yAxis.min || 1)) * (plot.bottom - plot.top);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<title>${esc(spec.title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff" rx="6"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600" fill="#111">${esc(spec.title)}</text>`,
  );

  // Grid and ticks.
  for (const t of yAxis.ticks) {
    const y = r(sy(t));
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${plot.left - 8}" y="${y + 4}" text-anchor="end" fill="#444">${esc(yFormat(t))}</text>`);
  }
  for (const t of xAxis.ticks) {
    const x = r(sx(t));
    out.push(`<line x1="${x}" x2="${x}" y1="${plot.top}" y2="${plot.bottom}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${x}" y="${plot.bottom + 18}" text-anchor="middle" fill="#444">${esc(xFormat(t))}</text>`);
  }
  out.push(
    `<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#888"/>`,
    `<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}" stroke="#888"/>`,
    `<text x="${(plot.left + plot.right) / 2}" y="${height - 14}" text-anchor="middle" fill="#222">${esc(spec.xLabel)}</text>`,
    `<text transform="translate(16 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#222">${esc(spec.yLabel)}</text>`,
  );

  // Reference lines (goals) under the data, labelled at their far end.
  for (const ref of spec.refLines ?? []) {
    if (ref.axis === 'y') {
      const y = r(sy(ref.value));
      out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}" stroke="#b00020" stroke-dasharray="6 4"/>`);
      out.push(`<text x="${plot.right - 4}" y="${y - 5}" text-anchor="end" fill="#b00020">${esc(ref.label)}</text>`);
    } else {
      const x = r(sx(ref.value));
      // Labels read rightwards from their line, unless that would run off the plot.
      const fits = x + 4 + ref.label.length * CHAR_PX < plot.right;
      out.push(`<line x1="${x}" x2="${x}" y1="${plot.top}" y2="${plot.bottom}" stroke="#b00020" stroke-dasharray="6 4"/>`);
      out.push(`<text x="${fits ? x + 4 : x - 4}" y="${plot.top + 12}" text-anchor="${fits ? 'start' : 'end'}" fill="#b00020">${esc(ref.label)}</text>`);
    }
  }

  spec.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const pts = s.points.map(([x, y]) => [r(sx(x)), r(sy(y))] as const);
    if (pts.length === 0) return;
    out.push(`<path d="${pathData(pts, !!s.step)}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"/>`);
    if (pts.length <= MAX_MARKED_POINTS) {
      for (const [x, y] of pts) out.push(`<circle cx="${x}" cy="${y}" r="3" fill="${color}"/>`);
    }
  });

  for (const item of legend.items) {
    const color = PALETTE[item.index % PALETTE.length]!;
    const y = 40 + item.row * 18;
    out.push(`<rect x="${item.x}" y="${y - 9}" width="14" height="4" rx="1" fill="${color}"/>`);
    out.push(`<text x="${item.x + 20}" y="${y - 3}" fill="#222">${esc(item.name)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

interface Axis {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

/** Bounds widened to whole multiples of a 1/2/5×10ⁿ step, giving about five to eight ticks. */
export function niceAxis(lo: number, hi: number, target = 6): Axis {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { min: 0, max: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] };
  // A single value (one measured size, say) gets room on both sides rather than sitting on an edge.
  if (lo === hi) [lo, hi] = lo === 0 ? [0, 1] : [lo - Math.abs(lo) / 2, hi + Math.abs(hi) / 2];
  const raw = (hi - lo) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { min, max, step, ticks };
}

function defaultFormat(step: number): (v: number) => string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return (v) => {
    if (Math.abs(v) >= 1000 && step >= 100) return `${Number((v / 1000).toFixed(step >= 1000 ? 0 : 1))}k`;
    return v.toFixed(decimals);
  };
}

function pathData(pts: readonly (readonly [number, number])[], step: boolean): string {
  const parts = pts.map(([x, y], i) => {
    if (i === 0) return `M${x} ${y}`;
    return step ? `H${x}V${y}` : `L${x} ${y}`;
  });
  return parts.join('');
}

function layoutLegend(series: readonly Series[], maxWidth: number) {
  const items: { name: string; index: number; x: number; row: number }[] = [];
  let x = 20;
  let row = 0;
  series.forEach((s, index) => {
    const w = 20 + s.name.length * CHAR_PX + 18;
    if (x + w > maxWidth && x > 20) {
      row += 1;
      x = 20;
    }
    items.push({ name: s.name, index, x, row });
    x += w;
  });
  return { items, height: series.length ? (row + 1) * 18 : 0 };
}

const r = (v: number) => Math.round(v * 10) / 10;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function extent(values: readonly number[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
