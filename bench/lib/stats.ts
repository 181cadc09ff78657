/**
 * Summary statistics for latency and size samples. Percentiles interpolate linearly between the two
 * closest ranks (numpy's default), so p95 of 20 samples lies between the 19th and 20th, rather than
 * jumping to the maximum as nearest-rank would.
 */

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** The p-th percentile (0 ≤ p ≤ 100) of samples already sorted ascending. */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export function percentile(samples: readonly number[], p: number): number {
  return percentileSorted(sortAscending(samples), p);
}

export function mean(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  let sum = 0;
  for (const x of samples) sum += x;
  return sum / samples.length;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = sortAscending(samples);
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentileSorted(sorted, 50),
    p95: percentileSorted(sorted, 95),
    p99: percentileSorted(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: mean(sorted),
  };
}

/** Points of the empirical CDF: (value, fraction of samples ≤ value), for step charts. */
export function cdfPoints(samples: readonly number[], maxPoints = 500): [number, number][] {
  const sorted = sortAscending(samples);
  const n = sorted.length;
  if (n <= maxPoints) return sorted.map((x, i) => [x, (i + 1) / n]);
  // A chart needs no more points than it has pixels: evenly spaced ranks, the last one included.
  return Array.from({ length: maxPoints }, (_, k) => {
    const i = Math.round(((k + 1) * n) / maxPoints) - 1;
    return [sorted[i]!, (i + 1) / n];
  });
}

/**
 * How a measured value compares with an upper-bound goal, as words for a summary:
 * "met (312 ms vs < 400 ms)" or "missed by 25% (500 ms vs < 400 ms)".
 */
export function versusGoal(value: number, goal: number, format: (v: number) => string): { met: boolean; text: string } {
  const met = value < goal;
  const pct = Math.round(((value - goal) / goal) * 100);
  const vs = `${format(value)} vs goal < ${format(goal)}`;
  return { met, text: met ? `met (${vs})` : `missed by ${pct}% (${vs})` };
}

function sortAscending(samples: readonly number[]): number[] {
  return samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
}
