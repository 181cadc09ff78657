import { describe, expect, it } from 'vitest';
import { RateWindow } from '@/lib/server/admin/rateWindow';

describe('RateWindow', () => {
  it('averages complete seconds over the window and forgets older ones', () => {
    let now = 100_000;
    const rate = new RateWindow(10, () => now);
    rate.add(30); // second 100
    now = 101_500;
    rate.add(10); // second 101, still running
    expect(rate.perSecond()).toBe(3); // only the complete second counts
    now = 102_000;
    expect(rate.perSecond()).toBe(4);
    now = 111_000; // second 100 is now 11 s old
    expect(rate.perSecond()).toBe(1);
    now = 130_000;
    expect(rate.perSecond()).toBe(0);
  });
});
