import { describe, expect, it } from 'vitest';
import { KeyedLimiter, TokenBucket } from '@/lib/server/rateLimit';

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

describe('keyed limiter', () => {
  it('limits each key on its own, and forgets keys whose bucket refilled, so it does not grow for good', () => {
    let now = 0;
    const limiter = new KeyedLimiter(2, 1, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([true, true, false, true]);
    for (let i = 0; i < 5000; i++) limiter.take(`user-${i}`);
    now += 10_000; // every bucket refilled
    limiter.take('z');
    limiter.sweep();
    expect(limiter.size).toBe(1); // only 'z', which just acted
    // A forgotten key starts full again: nothing was lost by forgetting it.
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([true, true, false]);
    // The sweep runs by itself among the takes, and keeps what is still limited.
    for (let i = 0; i < 2048; i++) limiter.take(`burst-${i % 3}`);
    expect(limiter.size).toBeLessThanOrEqual(5);
  });
});
