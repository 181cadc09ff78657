/**
 * Limits guessing at a secret (an account's password, a room's password), the way
 * rate-limiter-flexible's login-protection recipe does: every attempt takes a point from each of
 * its keys before the secret is checked (so a burst of parallel guesses cannot all slip through),
 * and a right guess gives them back. Only wrong guesses add up, so the owner is not locked out by
 * someone else's failures on another key: sign-in counts per account and address together, and per
 * address with a higher allowance.
 *
 * Keys pair with limits by position; the first is the most specific and starts afresh on success.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface GuessLimit {
  /** Wrong guesses allowed per window. */
  points: number;
  windowSeconds: number;
}

export class GuessLimiter {
  private readonly limiters: RateLimiterMemory[];

  constructor(limits: GuessLimit[]) {
    this.limiters = limits.map((l) => new RateLimiterMemory({ points: l.points, duration: l.windowSeconds }));
  }

  /** Takes a point from each key. Resolves to null when the attempt may go ahead, else the seconds to wait. */
  async take(keys: string[]): Promise<number | null> {
    const results = await Promise.allSettled(this.limiters.map((limiter, i) => limiter.consume(keys[i]!)));
    let waitMs = 0;
    for (const result of results) {
      if (result.status === 'fulfilled') continue;
      if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
      waitMs = Math.max(waitMs, result.reason.msBeforeNext);
    }
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : null;
  }

  /** The guess was right: the first key starts afresh, the others get their point back. */
  async succeeded(keys: string[]): Promise<void> {
    await Promise.all(this.limiters.map((limiter, i) => (i === 0 ? limiter.delete(keys[i]!) : limiter.reward(keys[i]!, 1))));
  }
}
