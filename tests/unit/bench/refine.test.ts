import { describe, expect, it } from 'vitest';
import { capacity, nextRefinement, type JudgedPoint } from '@/bench/sfu/sweep';

const point = (viewers: number, ok: boolean): JudgedPoint => ({
  viewers,
  ok,
  cpuPct: [ok ? 50 : 100],
  sysPct: [10],
  lossPct: ok ? 0 : 5,
  outPps: viewers * 150,
  p50Ms: 1,
  p99Ms: 10,
  machinePct: 100,
});

describe('capacity refinement', () => {
  it('bisects between the capacity and the next size that failed, rounded to 10', () => {
    expect(nextRefinement([point(100, true), point(250, true), point(500, false), point(1000, false)])).toBe(380);
  });

  it('keeps narrowing as refined points come in, and stops when the gap is closed', () => {
    const points = [point(250, true), point(500, false)];
    const seen: number[] = [];
    for (let v = nextRefinement(points); v !== null; v = nextRefinement(points)) {
      seen.push(v);
      points.push(point(v, v <= 330)); // pretend the true capacity is 330
    }
    expect(seen.slice(0, 3)).toEqual([380, 320, 350]);
    expect(capacity(points)).toBe(330);
  });

  it('has nothing to narrow when every size passed, or none did', () => {
    expect(nextRefinement([point(100, true), point(250, true)])).toBeNull();
    expect(nextRefinement([point(100, false), point(250, false)])).toBeNull();
  });
});
