/**
 * Lobby presence at scale: N authenticated socket.io clients (each a distinct user, held by client
 * processes apart from the server) against one web process. Measures memory per socket and the
 * fan-out latency of one user's arrival to everyone else; and, side by side in the same run, what
 * batching presence diffs (PRESENCE_BATCH_MS) does to a reconnect storm.
 * Goal: 10k sockets, < 100 KiB per socket, p99 < 200 ms.
 */
import path from 'node:path';
import { benchCommand } from './lib/command';
import { cdfPoints, summarize, versusGoal } from './lib/stats';
import { lineChart } from './lib/svgChart';
import type { BenchChart, BenchMode, BenchResult, Benchmark, BenchTable } from './lib/types';
import { measureSize, type SizeResult } from './presence/measure';

const GOAL_KIB_PER_SOCKET = 100;
const GOAL_P99_MS = 200;
const GOAL_SOCKETS = 10_000;

interface Plan {
  sizes: number[];
  probes: number;
  /** Extra probes under the CPU profiler, at the largest size. */
  profileProbes: number;
  clientProcesses: number;
}

const plans: Record<BenchMode, Plan> = {
  smoke: { sizes: [40], probes: 3, profileProbes: 0, clientProcesses: 2 },
  quick: { sizes: [1000, 5000], probes: 6, profileProbes: 3, clientProcesses: 4 },
  full: { sizes: [1000, 5000, 10_000], probes: 20, profileProbes: 5, clientProcesses: 4 },
};

export const benchmark: Benchmark = {
  id: 'presence-scale',
  title: 'Lobby presence at scale',
  async run(ctx) {
    const plan = plans[ctx.mode];
    const common = { clientProcesses: plan.clientProcesses, outDir: ctx.outDir, log: ctx.log };
    const sizes: SizeResult[] = [];
    for (const [i, n] of plan.sizes.entries()) {
      ctx.log(`${n} sockets`);
      const last = i === plan.sizes.length - 1;
      sizes.push(await measureSize({ ...common, n, probes: plan.probes, profileProbes: last ? plan.profileProbes : 0 }));
    }
    // The smallest size once more without batching, for the side-by-side comparison of the storm.
    const n = plan.sizes[0]!;
    ctx.log(`${n} sockets again, with every change in its own message (PRESENCE_BATCH_MS=0)`);
    const unbatched = await measureSize({ ...common, n, probes: 0, profileProbes: 0, batchMs: 0 });
    return report(ctx.mode, sizes, unbatched);
  },
};

function report(mode: BenchMode, sizes: SizeResult[], unbatched: SizeResult): BenchResult {
  const plan = plans[mode];
  const rows = sizes.map((s) => ({ s, lat: summarize(s.latencies), all: summarize(s.allReceived), hs: summarize(s.handshakes) }));
  const largest = rows.at(-1)!;
  const mem = versusGoal(largest.s.rssPerSocketKiB, GOAL_KIB_PER_SOCKET, (v) => `${v.toFixed(1)} KiB`);
  const p99 = versusGoal(largest.lat.p99, GOAL_P99_MS, (v) => `${Math.round(v)} ms`);
  const scope =
    largest.s.n >= GOAL_SOCKETS
      ? `at ${fmtN(largest.s.n)} sockets`
      : `at ${fmtN(largest.s.n)} sockets (the largest size of a ${mode} run; \`--full\` goes to ${fmtN(GOAL_SOCKETS)})`;
  const batched = sizes[0]!;
  const cpuRatio = unbatched.rampCpuSeconds / batched.rampCpuSeconds;

  const sweep: BenchTable = {
    columns: [
      'Sockets',
      'RSS / socket (KiB)',
      'of which marginal (KiB)',
      'V8 heap / socket (KiB)',
      'Fan-out p50 (ms)',
      'p99 (ms)',
      'max (ms)',
      'Last socket, median of probes (ms)',
      'Probe handshake p50 (ms)',
    ],
    rows: rows.map(({ s, lat, all, hs }) => [
      s.n,
      r1(s.rssPerSocketKiB),
      r1(s.marginalRssPerSocketKiB),
      r1(s.heapPerSocketKiB),
      r1(lat.p50),
      r1(lat.p99),
      r1(lat.max),
      r1(all.p50),
      r1(hs.p50),
    ]),
  };
  const storm: BenchTable = {
    columns: [`${fmtN(batched.n)} users connecting at once`, 'Until every diff arrived (s)', 'Web-process CPU (s)', 'Presence messages per socket', 'RSS / socket (KiB)'],
    rows: [unbatched, batched].map((s) => [
      s.batchMs === 0 ? 'a message per change (PRESENCE_BATCH_MS=0, as before batching)' : 'batched (default PRESENCE_BATCH_MS=100)',
      r1(s.rampSeconds),
      r1(s.rampCpuSeconds),
      r1(s.rampMessagesPerSocket),
      r1(s.rssPerSocketKiB),
    ]),
  };

  return {
    id: 'presence-scale',
    title: 'Lobby presence at scale',
    command: benchCommand('presence-scale', mode),
    summary:
      `One web process with ${sizes.map((s) => fmtN(s.n)).join(' / ')} signed-in lobby sockets (distinct users, in ${plan.clientProcesses} client processes). ` +
      `Memory per socket ${scope}: ${mem.text}. Fan-out p99 ${scope}: ${p99.text}; p50 ${r1(largest.lat.p50)} ms, and the last socket had the diff after ${r1(largest.all.p50)} ms (median of probes). ` +
      `Side by side at ${fmtN(batched.n)} users arriving at once: with presence diffs batched the web process spent ${r1(batched.rampCpuSeconds)} s of CPU, against ${r1(unbatched.rampCpuSeconds)} s with a message per change (${r1(cpuRatio)}× less).`,
    // Judged at the largest size measured; the summary says which (quick runs stop short of 10k).
    goalMet: mode === 'smoke' ? null : mem.met && p99.met,
    tables: [sweep, storm],
    charts: charts(sizes),
    notes: notes(mode, sizes),
  };
}

function charts(sizes: SizeResult[]): BenchChart[] {
  return [
    {
      file: 'bench/presence-fanout.svg',
      svg: lineChart({
        title: 'Presence fan-out latency (CDF over every receiving socket)',
        xLabel: 'ms from the probe user connecting until a socket has its joined diff',
        yLabel: 'fraction of sockets',
        series: sizes.map((s) => ({ name: `${fmtN(s.n)} sockets`, points: cdfPoints(s.latencies), step: true })),
        refLines: [{ axis: 'x', value: GOAL_P99_MS, label: `goal: p99 < ${GOAL_P99_MS} ms` }],
        x: { min: 0 },
        y: { min: 0, max: 1 },
      }),
    },
    {
      file: 'bench/presence-memory.svg',
      svg: lineChart({
        title: 'Web-process memory per lobby socket',
        xLabel: 'sockets',
        yLabel: 'KiB per socket',
        series: [
          { name: 'RSS delta / N', points: sizes.map((s) => [s.n, s.rssPerSocketKiB] as const) },
          { name: 'marginal RSS (second half of the sockets)', points: sizes.map((s) => [s.n, s.marginalRssPerSocketKiB] as const) },
          { name: 'V8 heap delta / N', points: sizes.map((s) => [s.n, s.heapPerSocketKiB] as const) },
        ],
        refLines: [{ axis: 'y', value: GOAL_KIB_PER_SOCKET, label: `goal: < ${GOAL_KIB_PER_SOCKET} KiB` }],
        x: { min: 0 },
      }),
    },
  ];
}

function notes(mode: BenchMode, sizes: SizeResult[]): string[] {
  const plan = plans[mode];
  const out = [
    'Each size runs against a fresh web process (`server.ts`, production build, with its SFU node), spawned as a child so that its memory is its own. Users and sessions are inserted into the database directly and their cookies signed as better-auth signs them (bench/presence/seed.ts): 10k scrypt sign-ups would take minutes and are not what is measured.',
    `The sockets connect all at once (${plan.clientProcesses} client processes, 16 handshakes in flight each, WebSocket transport, one connection per user), as after a server restart. Memory: VmRSS from /proc/<pid>/status before and after, each after two full GCs; "marginal" is the growth while the second half of the sockets connected, without the one-time costs the first half pays (V8's young generation and code becoming resident under the ramp's churn), which RSS delta / N spreads over N.`,
    `Fan-out: a probe user connects; one sample per other socket, from the probe starting to connect (handshake and session lookup included) to that socket receiving the probe's joined diff. ${plan.probes} probes per size, one at a time; clocks are performance.timeOrigin + performance.now() in the processes of one machine. The client processes share the 2 cores with the server, so a sample includes their time to read the message.`,
  ];
  const prof = sizes.at(-1)!.profile;
  if (prof) {
    const byPackage = prof.summary.byPackage.map((x) => `${x.name} ${x.pct}%`).join(', ');
    const byFunction = prof.summary.byFunction
      .slice(0, 5)
      .map((x) => `${x.name} ${x.pct}%`)
      .join('; ');
    out.push(
      `Where the web process's time goes in a fan-out: a CPU profile of ${plan.profileProbes} further probes at ${fmtN(sizes.at(-1)!.n)} sockets (\`bench/out/${path.basename(prof.file)}\`, opens in Chrome DevTools), ${prof.summary.busyMs} ms busy in ${prof.summary.wallMs} ms. By package: ${byPackage}. Top functions by self time: ${byFunction}.`,
    );
    out.push(
      'Reading it: one diff to N sockets is N writev() system calls from one thread, one per socket, and on loopback each of those also runs the receiving side of TCP for the client (billed to the server here; over a network it is the clients\' machines\' work). The JavaScript around them (socket.io\'s adapter, engine.io, ws) is the small remainder, so the last socket hears of a change after N × that syscall cost. What would take p99 at 10k sockets under 200 ms is more than one process writing: the socket.io Redis adapter across web processes (designed for, not built yet), not a faster loop in this one.',
    );
  }
  return out;
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const fmtN = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
