/**
 * The contract between the benchmark runner (bench/run.ts) and each benchmark. A benchmark measures,
 * then returns a BenchResult; the runner renders it (bench/lib/report.ts) and never interprets it.
 */

/** smoke: tiny sizes inside `npm test`, so the scripts do not rot. quick: `npm run bench` (< 5 min). full: `--full`. */
export type BenchMode = 'smoke' | 'quick' | 'full';

export interface BenchContext {
  mode: BenchMode;
  /** bench/out (gitignored): raw samples, profiles, scratch files. */
  outDir: string;
  log: (msg: string) => void;
}

export interface BenchTable {
  columns: string[];
  rows: (string | number)[][];
}

export interface BenchChart {
  /** Path relative to docs/, e.g. 'bench/join-time.svg'. */
  file: string;
  svg: string;
}

export interface BenchResult {
  /** 'join-time' */
  id: string;
  /** 'Join time' */
  title: string;
  /** The exact command that reproduces it. */
  command: string;
  /** One paragraph: what was measured, the result vs the goal (met / missed by X%). */
  summary: string;
  /** null when the benchmark has no goal. */
  goalMet: boolean | null;
  tables: BenchTable[];
  charts: BenchChart[];
  notes?: string[];
}

export interface Benchmark {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}
