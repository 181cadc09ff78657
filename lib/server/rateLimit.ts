/**
 * Token bucket: `capacity` events at once, refilled at `perSecond`. Cheap enough to keep one per
 * socket (flood guard) and one per user and action (e.g. call invites).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Refilled to capacity: forgetting this bucket changes nothing (a new one starts full). */
  get full(): boolean {
    this.refill();
    return this.tokens >= this.capacity;
  }

  private refill() {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }
}

/** A KeyedLimiter looks for idle buckets to drop every this many takes. */
const SWEEP_EVERY = 1024;

/**
 * One bucket per key, created on first use. Buckets that have refilled are dropped now and then
 * (a full bucket is what a new one would be), so a long-running server keeps only the keys that
 * acted lately, not every user who ever did.
 */
export class KeyedLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private takes = 0;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): boolean {
    if (++this.takes % SWEEP_EVERY === 0) this.sweep();
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.capacity, this.perSecond, this.now)));
    return bucket.take();
  }

  get size(): number {
    return this.buckets.size;
  }

  sweep(): void {
    for (const [key, bucket] of this.buckets) if (bucket.full) this.buckets.delete(key);
  }

  clear(key: string) {
    this.buckets.delete(key);
  }
}
