/**
 * CPU use of mediasoup workers, as a percentage of one core, from the cumulative CPU time that
 * `node:stats` reports (getResourceUsage: user + system ms). A percentage needs two samples: this
 * keeps, per worker, an anchor sample and measures each new one against it.
 *
 * The dashboard (every 2 s) and Prometheus scrapes (whenever) both sample. Two samples a few ms
 * apart would give a wildly noisy ratio, so the anchor only moves once MIN_WINDOW_MS has passed;
 * a sample inside the window gets the last percentage computed.
 */
export const MIN_WINDOW_MS = 1_000;

interface Anchor {
  at: number;
  cpuMs: number;
  percent: number | null;
}

export class WorkerCpu {
  private readonly anchors = new Map<string, Anchor>();

  /** CPU % of this worker since its anchor sample; null until two samples are far enough apart. */
  sample(node: string, pid: number, cpuMs: number, now = Date.now()): number | null {
    const key = `${node}#${pid}`;
    const anchor = this.anchors.get(key);
    if (!anchor || cpuMs < anchor.cpuMs) {
      // First sight of this worker (or a pid reused by a fresh worker: its counter restarted).
      this.anchors.set(key, { at: now, cpuMs, percent: null });
      return null;
    }
    const elapsed = now - anchor.at;
    if (elapsed < MIN_WINDOW_MS) return anchor.percent;
    const percent = Math.max(0, ((cpuMs - anchor.cpuMs) / elapsed) * 100);
    this.anchors.set(key, { at: now, cpuMs, percent });
    return percent;
  }

  /** Drops workers not seen in the latest sample of `node` (replaced after dying, say). */
  retain(node: string, pids: Iterable<number>) {
    const keep = new Set([...pids].map((pid) => `${node}#${pid}`));
    for (const key of this.anchors.keys()) if (key.startsWith(`${node}#`) && !keep.has(key)) this.anchors.delete(key);
  }
}
