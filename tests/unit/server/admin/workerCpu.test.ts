import { describe, expect, it } from 'vitest';
import { WorkerCpu } from '@/lib/server/admin/workerCpu';

describe('WorkerCpu', () => {
  it('needs two samples at least a second apart, then reports % of one core', () => {
    const cpu = new WorkerCpu();
    expect(cpu.sample('n', 1, 1_000, 0)).toBeNull();
    expect(cpu.sample('n', 1, 1_200, 400)).toBeNull(); // inside the window: no figure yet
    expect(cpu.sample('n', 1, 1_500, 2_000)).toBe(25); // 500 ms of CPU over 2 s
    expect(cpu.sample('n', 1, 1_600, 2_300)).toBe(25); // too close: the last figure stands
    expect(cpu.sample('n', 1, 3_500, 4_000)).toBe(100); // 2 s of CPU over 2 s (from the 2 s anchor)
  });

  it('keeps workers apart by node and pid, and restarts a worker whose counter went back', () => {
    const cpu = new WorkerCpu();
    cpu.sample('a', 1, 0, 0);
    cpu.sample('b', 1, 0, 0);
    expect(cpu.sample('a', 1, 100, 1_000)).toBe(10);
    expect(cpu.sample('b', 1, 900, 1_000)).toBe(90);
    expect(cpu.sample('a', 1, 5, 2_000)).toBeNull(); // a new worker reusing the pid
    cpu.retain('b', []);
    expect(cpu.sample('b', 1, 1_000, 3_000)).toBeNull(); // forgotten: a fresh baseline
    expect(cpu.sample('a', 1, 505, 3_000)).toBe(50);
  });
});
