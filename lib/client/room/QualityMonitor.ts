/**
 * Samples each remote stream's loss and our RTT every few seconds (getStats() of its consumer) so
 * tiles can show a quality indicator; the node's scores arrive separately, as consumer state.
 */
import type { SfuClient } from '../sfu/SfuClient';
import { lossBetween } from '../sfu/quality';
import type { RoomEvent } from '../sfu/roomReducer';

const SAMPLE_MS = 2_000;

type Counters = { packetsReceived: number; packetsLost: number };

export class QualityMonitor {
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly last = new Map<string, Counters>();

  constructor(
    private readonly media: () => SfuClient,
    private readonly dispatch: (event: RoomEvent) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.last.clear();
  }

  private async sample(): Promise<void> {
    const reports = await this.media().consumerStats();
    for (const [consumerId, report] of reports) {
      let counters: Counters | undefined;
      let rttMs: number | null = null;
      report.forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp') counters = { packetsReceived: Number(s.packetsReceived ?? 0), packetsLost: Number(s.packetsLost ?? 0) };
        if (s.type === 'candidate-pair' && s.nominated && typeof s.currentRoundTripTime === 'number') rttMs = s.currentRoundTripTime * 1000;
      });
      if (!counters) continue;
      const lossPct = lossBetween(this.last.get(consumerId), counters);
      this.last.set(consumerId, counters);
      this.dispatch({ type: 'remote-quality', consumerId, lossPct, rttMs });
    }
    for (const id of [...this.last.keys()]) if (!reports.has(id)) this.last.delete(id);
  }
}
