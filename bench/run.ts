/**
 * The benchmark runner behind `npm run bench`:
 *
 *   node --import tsx bench/run.ts [--full | --smoke] [--only id1,id2]
 *
 * Runs the registered benchmarks (bench/index.ts) one after another — they would disturb each other
 * on a 2-core machine — then writes their sections of docs/BENCHMARKS.md (bench/out/smoke/ in smoke
 * mode) and the raw results to bench/out/results-<mode>.json. Exits 1 if a benchmark throws; a
 * missed goal is a result, not a failure.
 */
import '../scripts/require-pinned-node.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarks } from './index';
import { describeMachine, loadAverage } from './lib/machine';
import { writeReport } from './lib/report';
import type { BenchMode, BenchResult } from './lib/types';
import { repoRoot } from './lib/webServer';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const ids = benchmarks.map((b) => b.id);
if (values.help) {
  console.log(`usage: node --import tsx bench/run.ts [--full | --smoke] [--only id1,id2]\nbenchmarks: ${ids.join(', ')}`);
  process.exit(0);
}
if (values.full && values.smoke) {
  console.error('--full and --smoke exclude each other');
  process.exit(2);
}
const mode: BenchMode = values.full ? 'full' : values.smoke ? 'smoke' : 'quick';
const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = only?.filter((id) => !ids.includes(id)) ?? [];
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${ids.join(', ')}`);
  process.exit(2);
}
const selected = only ? benchmarks.filter((b) => only.includes(b.id)) : benchmarks;

const outDir = path.join(repoRoot, 'bench', 'out');
fs.mkdirSync(outDir, { recursive: true });
const machine = describeMachine();
const t0 = performance.now();
const results: BenchResult[] = [];
const outcomes: { id: string; seconds: number; outcome: string }[] = [];
const loads: Record<string, [start: number, end: number]> = {};

console.log(`bench: ${selected.length} benchmark(s), ${mode} mode, ${machine.cores} cores (${machine.cpuModel}), load ${loadAverage()}`);
for (const bench of selected) {
  const start = performance.now();
  const loadAtStart = loadAverage();
  const elapsed = () => ((performance.now() - start) / 1000).toFixed(1);
  console.log(`\n▶ ${bench.id}: ${bench.title}`);
  try {
    const result = await bench.run({ mode, outDir, log: (msg) => console.log(`  [${bench.id} ${elapsed()}s] ${msg}`) });
    results.push(result);
    loads[bench.id] = [loadAtStart, loadAverage()];
    const goal = result.goalMet === null ? 'no goal' : result.goalMet ? 'goal met' : 'goal missed';
    outcomes.push({ id: bench.id, seconds: Number(elapsed()), outcome: goal });
    console.log(`✓ ${bench.id} in ${elapsed()} s (${goal})\n  ${result.summary}`);
  } catch (err) {
    outcomes.push({ id: bench.id, seconds: Number(elapsed()), outcome: 'FAILED' });
    console.error(`✗ ${bench.id} failed after ${elapsed()} s:`, err);
  }
}

if (results.length) {
  const written = writeReport({ results, machine, loads, mode, order: ids, root: repoRoot });
  fs.writeFileSync(path.join(outDir, `results-${mode}.json`), JSON.stringify({ machine, loads, results }, null, 2));
  console.log(`\nwrote ${written.map((f) => path.relative(repoRoot, f)).join(', ')}`);
}
console.log(`\n${outcomes.map((o) => `  ${o.outcome.padEnd(11)} ${o.id.padEnd(16)} ${o.seconds.toFixed(1)} s`).join('\n')}`);
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
// Benchmarks close what they open; exit anyway so a stray handle cannot hang `npm test`.
process.exit(outcomes.some((o) => o.outcome === 'FAILED') ? 1 : 0);
