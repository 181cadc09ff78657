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

  it('runs warm-ups uncounted, keeps going past a failure, and gives up when too many fail', async () => {
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
    expect(ok).toEqual({ samples: [2, 4, 5, 6], failures: ['no frame'] });
    expect(recovered).toEqual([3]);

    const failing = measureRuns({ warmups: 0, runs: 4, once: () => Promise.reject(new Error('down')), describe: String, log: () => undefined });
    await expect(failing).rejects.toThrow('2 runs failed');
  });
});
