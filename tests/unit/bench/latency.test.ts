import { describe, expect, it } from 'vitest';
import { largestStep, measureRuns } from '@/bench/lib/latency';

describe('latency benchmark helpers', () => {
  it('names the step that adds the most, skipping steps that were not measured', () => {
    const text = largestStep(
      [
        ['a', 50],
        ['b', Number.NaN],
        ['c', 200],
        ['d', 260],
      ],
      'click',
    );
    expect(text).toBe('the largest step is from "a" to "c": 150 ms of 260 ms (medians)');
  });

  it('runs warm-ups uncounted, goes on past a failure, stops early after several, and throws if none succeeded', async () => {
    let i = 0;
    const recovered: number[] = [];
    const ok = await measureRuns({
      warmups: 1,
      runs: 4,
      once: async () => {
        i++;
        if (i === 3) throw new Error('no frame\nstack…');
        return i;
      },
      recover: async () => void recovered.push(i),
      describe: String,
      log: () => undefined,
    });
    expect(ok).toEqual({ samples: [2, 4, 5, 6], failures: ['no frame'], warmups: [1] });
    expect(recovered).toEqual([3]);

    let n = 0;
    const flaky = await measureRuns({
      warmups: 0,
      runs: 4,
      once: async () => (++n === 1 ? n : Promise.reject(new Error('down'))),
      describe: String,
      log: () => undefined,
    });
    expect(flaky).toEqual({ samples: [1], failures: ['down', 'down'], warmups: [] }); // stops early, keeps what it has

    const broken = measureRuns({ warmups: 0, runs: 4, once: () => Promise.reject(new Error('down')), describe: String, log: () => undefined });
    await expect(broken).rejects.toThrow('every run failed');
  });
});
