import { describe, expect, it } from 'vitest';
import { TokenBucket } from '@/lib/server/rateLimit';

describe('token bucket', () => {
  it('allows a burst, refuses beyond it, and refills over time', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 1, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 999;
    expect(bucket.take()).toBe(false);
    now += 2;
    expect(bucket.take()).toBe(true);
    now += 60_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});
