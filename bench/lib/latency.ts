/** Running and reporting shared by the latency benchmarks (join time, call set-up). */
import { cdfPoints, percentile, type Summary } from './stats';
import { lineChart, type RefLine } from './svgChart';

export const LATENCY_COLUMNS = ['Measure', 'Runs', 'min (ms)', 'p50 (ms)', 'p95 (ms)', 'max (ms)', 'Goal (ms)'];

export function latencyRow(label: string, s: Summary, goal: string): (string | number)[] {
  return [label, s.n, Math.round(s.min), Math.round(s.p50), Math.round(s.p95), Math.round(s.max), goal];
}

/** Median of the values that were measured (nulls: the browser did not report that step). */
export function median(values: readonly (number | null)[]): number {
  return percentile(values.filter((v): v is number => v !== null), 50);
}

/** Empirical CDFs of per-run latencies: one staircase per series, with the goals as lines. */
export function latencyChart(title: string, series: { name: string; samples: readonly number[] }[], goals: RefLine[]): string {
  return lineChart({
    title,
    xLabel: 'ms',
    yLabel: 'fraction of runs',
    series: series.map((s) => ({ name: s.name, points: cdfPoints(s.samples), step: true })),
    refLines: goals,
    x: { min: 0 },
    y: { min: 0, max: 1 },
  });
}

/**
 * The step that adds the most, from a timeline of [label, median ms after the start] in order:
 * "where the time goes", stated from the numbers of this run rather than written by hand.
 */
export function largestStep(timeline: readonly (readonly [label: string, ms: number])[], startLabel: string): string {
  let prev: readonly [string, number] = [startLabel, 0];
  let best = { from: startLabel, to: '', ms: Number.NEGATIVE_INFINITY };
  for (const step of timeline) {
    if (!Number.isFinite(step[1])) continue;
    const ms = step[1] - prev[1];
    if (ms > best.ms) best = { from: prev[0], to: step[0], ms };
    prev = step;
  }
  const total = prev[1];
  return `the largest step is from "${best.from}" to "${best.to}": ${Math.round(best.ms)} ms of ${Math.round(total)} ms (medians)`;
}

export interface RunsOptions<T> {
  warmups: number;
  runs: number;
  once: () => Promise<T>;
  /** After a failed run, put things back for the next one. */
  recover?: () => Promise<void>;
  describe: (sample: T) => string;
  log: (msg: string) => void;
}

/**
 * Warm-ups, then runs until `runs` have succeeded. A run that fails (no video within the timeout,
 * say) is logged and counted — it is a finding, not noise to hide — and the benchmark goes on. After
 * too many failures it stops early and reports what it has; it throws only when no run succeeded,
 * which means the script itself no longer works (the reason `npm test` runs every benchmark).
 */
export async function measureRuns<T>(opts: RunsOptions<T>): Promise<{ samples: T[]; failures: string[]; warmups: T[] }> {
  const samples: T[] = [];
  const warmups: T[] = []; // not in the statistics; a benchmark may report them on their own
  const failures: string[] = [];
  const maxFailures = Math.max(2, Math.ceil(opts.runs / 4));
  for (let i = 0; samples.length < opts.runs && failures.length < maxFailures; i++) {
    const warm = i < opts.warmups;
    const label = warm ? 'warm-up' : `run ${samples.length + 1}/${opts.runs}`;
    try {
      const sample = await opts.once();
      (warm ? warmups : samples).push(sample);
      opts.log(`${label}: ${opts.describe(sample)}`);
    } catch (err) {
      const message = (err as Error).message.split('\n')[0]!;
      failures.push(message);
      opts.log(`${label} failed: ${message}`);
      await opts.recover?.();
    }
  }
  if (samples.length === 0) throw new Error(`every run failed; the last: ${failures.at(-1)}`);
  if (samples.length < opts.runs) opts.log(`stopped after ${failures.length} failed runs, with ${samples.length} of ${opts.runs} measured`);
  return { samples, failures, warmups };
}

/** A sentence for the summary about failed runs ('' when none), and a note per distinct failure. */
export function failureReport(failures: readonly string[], what: string): { sentence: string; notes: string[] } {
  if (failures.length === 0) return { sentence: '', notes: [] };
  const distinct = [...new Set(failures)];
  return {
    sentence: ` ${failures.length} further ${what} failed and are not in the statistics (see the notes): a failure misses the goal whatever the latency of the others${failures.length >= 2 ? ', and after a few the benchmark stops early' : ''}.`,
    notes: distinct.map((f) => `Failed ${what.replace(/s$/, '')}: ${f}`),
  };
}
