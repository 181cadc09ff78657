/**
 * Runs a fan-out rig over a list of viewer counts and judges each point against the capacity rule
 * of the benchmark: packet loss < 0.5 % and every worker under 90 % of a core.
 */
import { workerBinPath } from '../../scripts/mediasoup-worker/ensure.mjs';
import { repoRoot } from '../../lib/server/env';
import { FanoutRig, type PointResult } from './rig';
import type { Sink } from './sinks';

export const LOSS_LIMIT_PCT = 0.5;
export const CPU_LIMIT_PCT = 90;

export interface JudgedPoint extends PointResult {
  ok: boolean;
}

export const withinLimits = (p: PointResult) => p.lossPct < LOSS_LIMIT_PCT && Math.max(...p.cpuPct) < CPU_LIMIT_PCT;

/** Largest viewer count such that it and every smaller measured point were within limits. */
export function capacity(points: readonly JudgedPoint[]): number {
  let best = 0;
  for (const p of [...points].sort((a, b) => a.viewers - b.viewers)) {
    if (!p.ok) break;
    best = p.viewers;
  }
  return best;
}

/** Bisection steps after the coarse sweep, per mode (see nextRefinement). */
export const REFINE_STEPS = { smoke: 0, quick: 2, full: 4 } as const;

/**
 * The next size to measure when narrowing a capacity found on a coarse grid: halfway (rounded to
 * 10 viewers) between the capacity and the smallest size above it that was not within limits, or
 * null when there is nothing to narrow (nothing failed, nothing passed, or the gap is closed).
 */
export function nextRefinement(points: readonly JudgedPoint[]): number | null {
  const cap = capacity(points);
  const failed = points.filter((p) => !p.ok && p.viewers > cap).map((p) => p.viewers);
  if (cap === 0 || failed.length === 0) return null;
  const mid = Math.round((cap + Math.min(...failed)) / 20) * 10;
  return mid > cap && mid < Math.min(...failed) ? mid : null;
}

export interface RefineSetup {
  rig: FanoutRig;
  points: JudgedPoint[];
  log: (p: JudgedPoint) => void;
}

/**
 * Narrows each set-up's capacity `steps` times (see nextRefinement), the set-ups taking turns so
 * that machine noise hits them alike; leaves each set-up's points sorted by size.
 */
export async function refine(setups: readonly RefineSetup[], steps: number, seconds: number): Promise<void> {
  for (let i = 0; i < steps; i++) {
    let measured = false;
    for (const { rig, points, log } of setups) {
      const viewers = nextRefinement(points);
      if (viewers === null) continue;
      const p = await measureAt(rig, viewers, seconds);
      points.push(p);
      log(p);
      measured = true;
    }
    if (!measured) break;
  }
  for (const { points } of setups) points.sort((a, b) => a.viewers - b.viewers);
}

export async function openRig(workers: 1 | 2, sink: Sink): Promise<FanoutRig> {
  return FanoutRig.create({ workers, workerBin: workerBinPath(repoRoot) as string, sink });
}

export async function measureAt(rig: FanoutRig, viewers: number, seconds: number): Promise<JudgedPoint> {
  await rig.resizeTo(viewers);
  const point = await rig.measure(seconds);
  return { ...point, ok: withinLimits(point) };
}

/** µs of worker CPU per RTP packet it sent, split into user and system time. */
export function costPerPacket(p: PointResult) {
  const cpu = p.cpuPct.reduce((a, b) => a + b, 0);
  const sys = p.sysPct.reduce((a, b) => a + b, 0);
  const us = (pct: number) => (p.outPps > 0 ? (pct / 100) * 1e6 / p.outPps : NaN);
  return { totalUs: us(cpu), userUs: us(cpu - sys), sysUs: us(sys) };
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
