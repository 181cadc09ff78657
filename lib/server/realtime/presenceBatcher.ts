/**
 * Presence diffs go out in batches. The first change after a quiet spell is sent on the next tick,
 * so a lone join reaches everyone at once; changes that follow within the window of a send are
 * gathered and sent together when the window ends.
 *
 * Why: every change goes to every lobby socket. When N users arrive together — everyone
 * reconnecting after a restart or a deploy — one message per change is N² socket writes (10k users:
 * 50 million writes, a quarter of an hour of CPU), and each browser re-renders its list N times.
 * Batched, each socket gets at most one message per window however many users arrive.
 *
 * The window is `windowMs`, or four times what the last send cost if that is longer (up to a
 * second): a send writes to every socket synchronously — ~0.1 s for 10k sockets on a small machine —
 * so a fixed 100 ms window would spend the whole event loop on presence during a storm and starve
 * the handshakes of the users still arriving; this way presence takes at most about a quarter of it.
 * A change in a quiet lobby still goes out at once. (bench/presence-scale.ts measures the storm both
 * ways.)
 */
import type { PresenceDiff } from '../../protocol';

/** Sends take at most about 1/COST_TO_WINDOW of the time while changes keep coming… */
const COST_TO_WINDOW = 4;
/** …and a change waits at most this long for the window to end (plus the send itself). */
const MAX_WINDOW_MS = 1000;

export class PresenceBatcher {
  private pending: PresenceDiff[] = [];
  private timer: NodeJS.Timeout | null = null;
  private nextSendAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly send: (diffs: PresenceDiff[]) => void,
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(diff: PresenceDiff) {
    if (this.closed) return; // shutting down: the sockets are going too
    this.pending.push(diff);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.nextSendAt - this.now()));
  }

  /** Sends whatever is pending now. */
  private flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const diffs = this.pending;
    this.pending = [];
    const start = this.now();
    this.send(diffs);
    const cost = this.now() - start;
    // windowMs 0 turns batching off: only changes made in one tick share a message.
    const window = this.windowMs > 0 ? Math.max(this.windowMs, Math.min(MAX_WINDOW_MS, cost * COST_TO_WINDOW)) : 0;
    this.nextSendAt = start + window;
  }

  close() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }
}
