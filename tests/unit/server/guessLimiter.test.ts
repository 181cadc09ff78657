import { describe, expect, it } from 'vitest';
import { GuessLimiter } from '@/lib/server/guessLimiter';

describe('GuessLimiter', () => {
  it('limits each key on its own, and the broadest key across specific ones', async () => {
    const limiter = new GuessLimiter([
      { points: 2, windowSeconds: 60 },
      { points: 3, windowSeconds: 60 },
    ]);
    expect(await limiter.take(['a|ip', 'ip'])).toBe(null);
    expect(await limiter.take(['a|ip', 'ip'])).toBe(null);
    expect(await limiter.take(['a|ip', 'ip'])).toBeGreaterThan(0); // a|ip spent
    // b|ip is fresh, but ip has now taken 3 wrong guesses
    expect(await limiter.take(['b|ip', 'ip'])).toBeGreaterThan(0);
    expect(await limiter.take(['c|other', 'other'])).toBe(null);
  });

  it('a right guess clears the specific key and gives the broad one its point back', async () => {
    const limiter = new GuessLimiter([
      { points: 2, windowSeconds: 60 },
      { points: 3, windowSeconds: 60 },
    ]);
    for (let i = 0; i < 10; i++) {
      expect(await limiter.take(['a|ip', 'ip'])).toBe(null);
      await limiter.succeeded(['a|ip', 'ip']);
    }
  });
});
