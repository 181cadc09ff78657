import { describe, expect, it } from 'vitest';
import { cdfPoints, percentile, summarize, versusGoal } from '@/bench/lib/stats';

describe('bench statistics', () => {
  it('interpolates percentiles between the closest ranks', () => {
    const xs = [10, 20, 30, 40, 50];
    expect(percentile(xs, 50)).toBe(30);
    expect(percentile(xs, 95)).toBeCloseTo(48);
    expect(percentile([5, 1, 3], 0)).toBe(1); // unsorted input
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises, ignoring values that were not measured', () => {
    expect(summarize([3, Number.NaN, 1, 2])).toMatchObject({ n: 3, min: 1, p50: 2, max: 3, mean: 2 });
  });

  it('builds an empirical CDF', () => {
    expect(cdfPoints([30, 10, 20, 40])).toEqual([
      [10, 0.25],
      [20, 0.5],
      [30, 0.75],
      [40, 1],
    ]);
  });

  it('thins a large CDF to evenly spaced ranks, keeping the extremes', () => {
    const samples = Array.from({ length: 200_000 }, (_, i) => 200_000 - i); // 200k values, descending
    const points = cdfPoints(samples, 500);
    expect(points).toHaveLength(500);
    expect(points[0]).toEqual([400, 400 / 200_000]);
    expect(points.at(-1)).toEqual([200_000, 1]);
    expect(points.every(([x, y], i) => i === 0 || (x > points[i - 1]![0] && y > points[i - 1]![1]))).toBe(true);
  });

  it('says by how much a goal was missed', () => {
    const ms = (v: number) => `${v} ms`;
    expect(versusGoal(300, 400, ms)).toEqual({ met: true, text: 'met (300 ms vs goal < 400 ms)' });
    expect(versusGoal(500, 400, ms)).toEqual({ met: false, text: 'missed by 25% (500 ms vs goal < 400 ms)' });
  });
});
