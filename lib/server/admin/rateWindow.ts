/**
 * Events per second over a sliding window, in whole-second buckets: cheap enough to bump on every
 * socket event. Prometheus users would rather take rate() of the matching counter; this gauge is
 * for a glance (and for dashboards that read /metrics without PromQL).
 */
export class RateWindow {
  private readonly buckets: number[];
  private readonly seconds: number[];

  constructor(
    private readonly windowSeconds = 10,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = new Array<number>(windowSeconds).fill(0);
    this.seconds = new Array<number>(windowSeconds).fill(-1);
  }

  add(n = 1) {
    const second = Math.floor(this.now() / 1000);
    const i = second % this.windowSeconds;
    if (this.seconds[i] !== second) {
      this.seconds[i] = second;
      this.buckets[i] = 0;
    }
    this.buckets[i]! += n;
  }

  /** Average over the last `windowSeconds` complete seconds (the current, partial one is left out). */
  perSecond(): number {
    const current = Math.floor(this.now() / 1000);
    let sum = 0;
    for (let i = 0; i < this.windowSeconds; i++) {
      const age = current - this.seconds[i]!;
      if (age >= 1 && age <= this.windowSeconds) sum += this.buckets[i]!;
    }
    return sum / this.windowSeconds;
  }
}
