/**
 * 2. One room across workers, side by side in one run: the same publisher and viewers (a) confined
 * to one worker and router, as in mediasoup-demo, and (b) spread over two workers the way Confab's
 * sfu/Room.ts does (viewers on the least-loaded worker, producers piped with pipeToRouter).
 * Capacity ratio = capacity(b) / capacity(a); goal ≥ 1.8×.
 */
import os from 'node:os';
import { benchCommand } from './lib/command';
import { lineChart } from './lib/svgChart';
import type { Benchmark, BenchContext, BenchResult } from './lib/types';
import { openSink } from './sfu/sinks';
import { capacity, CPU_LIMIT_PCT, fmt, LOSS_LIMIT_PCT, measureAt, openRig, refine, REFINE_STEPS, type JudgedPoint } from './sfu/sweep';

const GOAL_RATIO = 1.8;
const SIZES = { smoke: [20], quick: [200, 400, 600, 800], full: [200, 400, 600, 800, 1000, 1200, 1600] } as const;
const SECONDS = { smoke: 1, quick: 3, full: 5 } as const;

async function run(ctx: BenchContext): Promise<BenchResult> {
  const sink = await openSink();
  const single = await openRig(1, sink);
  const spread = await openRig(2, sink);
  const one: JudgedPoint[] = [];
  const two: JudgedPoint[] = [];
  try {
    // Alternate the two set-ups at every size, so machine noise hits both alike.
    for (const viewers of SIZES[ctx.mode]) {
      const a = await measureAt(single, viewers, SECONDS[ctx.mode]);
      const b = await measureAt(spread, viewers, SECONDS[ctx.mode]);
      one.push(a);
      two.push(b);
      ctx.log(
        `${viewers} viewers: 1 worker cpu ${fmt(a.cpuPct[0]!)} % loss ${fmt(a.lossPct, 2)} % | ` +
          `2 workers cpu ${b.cpuPct.map((c) => fmt(c)).join('/')} % loss ${fmt(b.lossPct, 2)} %`,
      );
    }
    // Narrow both capacities between their grid points, still alternating the two set-ups.
    const log = (setup: string) => (p: JudgedPoint) =>
      ctx.log(`refine ${setup} at ${p.viewers}: cpu ${p.cpuPct.map((c) => fmt(c)).join('/')} % loss ${fmt(p.lossPct, 2)} % → ${p.ok ? 'ok' : 'over'}`);
    await refine(
      [
        { rig: single, points: one, log: log('1 worker') },
        { rig: spread, points: two, log: log('2 workers') },
      ],
      REFINE_STEPS[ctx.mode],
      SECONDS[ctx.mode],
    );
  } finally {
    single.close();
    spread.close();
    sink.close();
  }

  const capOne = capacity(one);
  const capTwo = capacity(two);
  // Neither set-up failed within the sweep: the ratio is only a lower/upper bound.
  const bounded = one.every((p) => p.ok) || two.every((p) => p.ok);
  const ratio = capOne > 0 ? capTwo / capOne : NaN;
  const goalMet = ctx.mode === 'smoke' ? null : ratio >= GOAL_RATIO;
  return {
    id: 'room-workers',
    title: 'One room across workers',
    command: benchCommand('room-workers', ctx.mode),
    goalMet,
    summary:
      `Same publisher and viewers, measured alternately in one run. Capacity (< ${LOSS_LIMIT_PCT} % loss, every worker < ${CPU_LIMIT_PCT} % of a core): ` +
      `one worker and router **${capOne}** viewers; Confab's room over two workers with pipeToRouter **${capTwo}** viewers. ` +
      `Ratio **${fmt(ratio, 2)}×** (goal ≥ ${GOAL_RATIO}×): ` +
      (goalMet === null ? 'no verdict at smoke size.' : goalMet ? 'met.' : `missed by ${fmt((1 - ratio / GOAL_RATIO) * 100, 0)} %.`) +
      (bounded ? ' (One set-up never hit a limit in this sweep, so the ratio is a bound; run --full for the wider sweep.)' : ''),
    tables: [
      {
        columns: ['viewers', '1 worker: CPU %', 'loss %', 'p99 ms', 'machine %', 'ok', '2 workers: CPU % (w1 / w2)', 'loss %', 'p99 ms', 'machine %', 'ok'],
        rows: sizesOf(one, two).map((viewers) => {
          const a = one.find((p) => p.viewers === viewers);
          const b = two.find((p) => p.viewers === viewers);
          return [
            viewers,
            a ? fmt(a.cpuPct[0]!) : '–',
            a ? fmt(a.lossPct, 2) : '–',
            a ? fmt(a.p99Ms) : '–',
            a ? fmt(a.machinePct, 0) : '–',
            a ? (a.ok ? 'yes' : 'no') : '–',
            b ? b.cpuPct.map((c) => fmt(c)).join(' / ') : '–',
            b ? fmt(b.lossPct, 2) : '–',
            b ? fmt(b.p99Ms) : '–',
            b ? fmt(b.machinePct, 0) : '–',
            b ? (b.ok ? 'yes' : 'no') : '–',
          ];
        }),
      },
    ],
    charts: [
      {
        file: 'bench/room-workers.svg',
        svg: lineChart({
          title: 'One room: busiest worker CPU vs viewers',
          xLabel: 'viewers (video + audio consumers each)',
          yLabel: 'CPU of the busiest worker (% of a core)',
          series: [
            { name: 'one worker + router', points: one.map((p) => [p.viewers, Math.max(...p.cpuPct)] as const) },
            { name: 'two workers, pipeToRouter', points: two.map((p) => [p.viewers, Math.max(...p.cpuPct)] as const) },
          ],
          refLines: [{ axis: 'y', value: CPU_LIMIT_PCT, label: `${CPU_LIMIT_PCT} % limit` }],
        }),
      },
    ],
    notes: [
      'The publisher\'s router lives on worker 1; with two workers, half the viewers consume on worker 2 through one PipeTransport pair, so worker 1 also pays for the pipe (one extra copy of each packet).',
      `After the grid, each capacity is narrowed by bisection (${REFINE_STEPS[ctx.mode]} steps, sizes rounded to 10; rows with a dash were measured for one set-up only).`,
      `"machine %" is the whole machine's busy time over the window (all ${os.availableParallelism()} cores = ${100 * os.availableParallelism()} %), from /proc/stat. This machine has ${os.availableParallelism()} cores: with both workers busy, the load generator, the Node process driving both workers and the kernel\'s packet handling for the sink run on the same cores, and the two-worker set-up starts losing packets when the machine as a whole runs out, while each worker is still well below its limit. So the ratio here is a floor for what 2 dedicated cores give.`,
    ],
  };
}

const sizesOf = (...sets: readonly JudgedPoint[][]) => [...new Set(sets.flat().map((p) => p.viewers))].sort((a, b) => a - b);

export const benchmark: Benchmark = { id: 'room-workers', title: 'One room across workers', run };
