/**
 * 1. SFU fan-out per worker core: one publisher (VP8 ~1 Mbps + opus ~40 kbps) into one worker, and
 * a growing number of viewers each consuming both over SRTP (AEAD_AES_256_GCM). Capacity = the most
 * viewers (video consumers) at < 0.5 % loss and < 90 % of a core.
 */
import { benchCommand } from './lib/command';
import { lineChart } from './lib/svgChart';
import type { Benchmark, BenchContext, BenchResult } from './lib/types';
import { openSink } from './sfu/sinks';
import { capacity, costPerPacket, CPU_LIMIT_PCT, fmt, LOSS_LIMIT_PCT, measureAt, openRig, type JudgedPoint } from './sfu/sweep';

const GOAL = 1500;
const SIZES = { smoke: [20], quick: [100, 250, 500, 1000], full: [100, 250, 500, 1000, 1500, 2000] } as const;
const SECONDS = { smoke: 1, quick: 3, full: 5 } as const;

async function run(ctx: BenchContext): Promise<BenchResult> {
  const sink = await openSink();
  const rig = await openRig(1, sink);
  const points: JudgedPoint[] = [];
  try {
    for (const viewers of SIZES[ctx.mode]) {
      const p = await measureAt(rig, viewers, SECONDS[ctx.mode]);
      points.push(p);
      ctx.log(`${viewers} viewers: cpu ${fmt(p.cpuPct[0]!)} %, loss ${fmt(p.lossPct, 2)} %, p99 ${fmt(p.p99Ms)} ms`);
    }
  } finally {
    rig.close();
    sink.close();
  }

  const cap = capacity(points);
  const last = [...points].reverse().find((p) => p.ok) ?? points[0]!;
  const cost = costPerPacket(last);
  const ratio = cap / GOAL;
  const goalMet = ctx.mode === 'smoke' ? null : cap >= GOAL;
  return {
    id: 'sfu-fanout',
    title: 'SFU fan-out per worker core',
    command: benchCommand('sfu-fanout', ctx.mode),
    goalMet,
    summary:
      `One worker forwarded a VP8 (~1 Mbps) + opus (~40 kbps) publisher to up to ${points.at(-1)!.viewers} viewers, ` +
      `each consuming both over SRTP (AEAD_AES_256_GCM). Capacity at < ${LOSS_LIMIT_PCT} % loss and < ${CPU_LIMIT_PCT} % of a core: ` +
      `**${cap} video consumers** (plus as many audio consumers). Goal ≥ ${GOAL}: ` +
      (goalMet === null ? 'no verdict at smoke size. ' : goalMet ? 'met. ' : `missed, at ${fmt(ratio * 100, 0)} % of the goal. `) +
      `At ${last.viewers} viewers one forwarded packet costs ${fmt(cost.totalUs, 2)} µs of worker CPU ` +
      `(${fmt(cost.userUs, 2)} µs user, ${fmt(cost.sysUs, 2)} µs system).`,
    tables: [
      {
        columns: ['video consumers', 'all consumers', 'worker CPU % (sys)', 'RTP out pkt/s', 'loss %', 'latency p50 ms', 'p99 ms', 'µs/packet', 'within limits'],
        rows: points.map((p) => [
          p.viewers,
          p.viewers * 2,
          `${fmt(p.cpuPct[0]!)} (${fmt(p.sysPct[0]!)})`,
          Math.round(p.outPps),
          fmt(p.lossPct, 2),
          fmt(p.p50Ms, 2),
          fmt(p.p99Ms, 1),
          fmt(costPerPacket(p).totalUs, 2),
          p.ok ? 'yes' : 'no',
        ]),
      },
    ],
    charts: [
      {
        file: 'bench/sfu-fanout.svg',
        svg: lineChart({
          title: 'One mediasoup worker: CPU and loss vs video consumers',
          xLabel: 'video consumers (each viewer also consumes audio)',
          yLabel: '% (CPU of one core, packet loss)',
          series: [
            { name: 'worker CPU %', points: points.map((p) => [p.viewers, p.cpuPct[0]!] as const) },
            { name: 'packet loss %', points: points.map((p) => [p.viewers, p.lossPct] as const) },
          ],
          refLines: [
            { axis: 'y', value: CPU_LIMIT_PCT, label: `${CPU_LIMIT_PCT} % CPU limit` },
            { axis: 'x', value: GOAL, label: `goal ${GOAL}` },
          ],
        }),
      },
    ],
    notes: [
      `Sink: ${sink.kind === 'netns' ? 'a network namespace of ours over a veth pair, where nftables counts and drops the packets in the kernel (exact counts, no user-space receiver competing for the CPU)' : 'an in-process UDP socket on loopback (no root: smoke size only)'}; latency is sampled on ${2} plain-RTP viewers per router carrying the generator's send time.`,
      'Worker CPU is getResourceUsage() (user + system) over the window. On one machine the kernel work of *receiving* each packet (veth, nftables) runs in the sending worker\'s context and is billed to it as system time; over a real NIC that part lands on the viewers\' machines.',
    ],
  };
}

export const benchmark: Benchmark = { id: 'sfu-fanout', title: 'SFU fan-out per worker core', run };
