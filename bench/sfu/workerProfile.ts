/**
 * Where a mediasoup worker's time goes, from Linux perf (Debian's linux-perf): samples the worker
 * process during one measurement window and reduces `perf report` to the few lines a note needs —
 * the share by binary (worker, kernel, libcrypto, …) and the hottest functions by self time.
 * Without perf (or without the permission to use it) the benchmark says how to get it instead.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';

export interface WorkerProfile {
  file: string;
  byBinary: { name: string; pct: number }[];
  byFunction: { name: string; binary: string; pct: number }[];
}

export function perfAvailable(): boolean {
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Samples `pid` while `during` runs; null if perf failed (e.g. perf_event_paranoid). */
export async function profileWorker(pid: number, outDir: string, name: string, during: () => Promise<unknown>): Promise<WorkerProfile | null> {
  const file = path.join(outDir, `${name}.perf.data`);
  const perf = spawn('perf', ['record', '-F', '499', '-g', '-p', String(pid), '-o', file], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => perf.once('exit', resolve));
  await new Promise((r) => setTimeout(r, 300)); // perf attaches
  try {
    await during();
  } finally {
    perf.kill('SIGINT');
  }
  if ((await exited) !== 0 && (await exited) !== null) return null;
  try {
    return { file, byBinary: report(file, 'dso').map(({ name, pct }) => ({ name, pct })), byFunction: report(file, 'dso,sym') };
  } catch {
    return null;
  }
}

/** `perf report` rows sorted by self time: "12.34%  binary  [.] symbol". */
function report(file: string, sort: string) {
  const text = execFileSync('perf', ['report', '-i', file, '--no-children', '--sort', sort, '--stdio', '-g', 'none'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return text
    .split('\n')
    .map((line) => /^\s*([\d.]+)%\s+(\S+)(?:\s+\[[.k]\]\s+(.+?))?\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ pct: Number(m[1]), binary: m[2]!, name: (m[3] ?? m[2]!).trim() }));
}

/** One sentence for a benchmark note. */
export function describeProfile(p: WorkerProfile, topN = 8): string {
  const pct = (v: number) => `${v.toFixed(1)} %`;
  const binaries = p.byBinary.slice(0, 5).map((b) => `${b.name.replace(/^\[(.+)\]$/, '$1')} ${pct(b.pct)}`);
  const functions = p.byFunction.slice(0, topN).map((f) => `${f.name} ${pct(f.pct)}`);
  return `By binary: ${binaries.join(', ')}. Hottest functions (self time): ${functions.join('; ')}.`;
}
