/**
 * Notices media transports that do not work, so the user is told instead of sitting in a silent
 * room: a transport that started connecting and is not connected MEDIA_CONNECT_DEADLINE_MS later
 * (or failed first) is `connect` trouble; one that was connected and stays down for
 * MEDIA_LOST_DEADLINE_MS (the SFU client's ICE restarts run meanwhile) is `lost` trouble.
 *
 * A transport that never starts connecting is not watched: mediasoup-client connects a send
 * transport on its first produce and a receive transport on its first consume, so someone alone
 * with camera and microphone off legitimately has both at `new`.
 */
import type { types } from 'mediasoup-client';
import { MEDIA_CONNECT_DEADLINE_MS, MEDIA_LOST_DEADLINE_MS, type MediaDirection, type MediaTroublePhase } from '@/lib/protocol';

type Direction = MediaDirection;

interface Watched {
  state: types.ConnectionState;
  everConnected: boolean;
  timer?: ReturnType<typeof setTimeout>;
  trouble: MediaTroublePhase | null;
}

export interface MediaWatchOptions {
  /** The worst trouble of the transports now (null when none has any), and which transports have it. */
  onTrouble(trouble: MediaTroublePhase | null, directions: Direction[]): void;
  connectDeadlineMs?: number;
  lostDeadlineMs?: number;
}

export class MediaWatch {
  private readonly watched = new Map<Direction, Watched>();
  private current = 'null:';

  constructor(private readonly opts: MediaWatchOptions) {}

  update(direction: Direction, state: types.ConnectionState): void {
    let w = this.watched.get(direction);
    if (!w) this.watched.set(direction, (w = { state, everConnected: false, trouble: null }));
    w.state = state;
    if (state === 'connected') {
      w.everConnected = true;
      this.settle(w, null);
    } else if (state === 'connecting') {
      // (Re)connecting: ICE restarts pass through here; a deadline already running keeps running.
      if (!w.everConnected && !w.timer && !w.trouble) this.arm(w, this.opts.connectDeadlineMs ?? MEDIA_CONNECT_DEADLINE_MS, 'connect');
    } else if (state === 'disconnected' || state === 'failed') {
      if (!w.everConnected) {
        if (state === 'failed') this.settle(w, 'connect');
        else if (!w.timer) this.arm(w, this.opts.connectDeadlineMs ?? MEDIA_CONNECT_DEADLINE_MS, 'connect');
      } else if (!w.timer && !w.trouble) {
        this.arm(w, this.opts.lostDeadlineMs ?? MEDIA_LOST_DEADLINE_MS, 'lost');
      }
    } else if (state === 'closed') {
      this.settle(w, null);
      this.watched.delete(direction);
    }
  }

  /** New transports (a move, a rejoin): what the old ones did no longer counts. */
  reset(): void {
    for (const w of this.watched.values()) clearTimeout(w.timer);
    this.watched.clear();
    this.publish();
  }

  private arm(w: Watched, ms: number, trouble: MediaTroublePhase) {
    w.timer = setTimeout(() => {
      w.timer = undefined;
      if (w.state !== 'connected') this.settle(w, trouble);
    }, ms);
  }

  private settle(w: Watched, trouble: MediaTroublePhase | null) {
    clearTimeout(w.timer);
    w.timer = undefined;
    w.trouble = trouble;
    this.publish();
  }

  private publish() {
    const troubles = [...this.watched.values()].map((w) => w.trouble);
    const worst = troubles.includes('connect') ? 'connect' : troubles.includes('lost') ? 'lost' : null;
    const directions = [...this.watched].filter(([, w]) => w.trouble === worst && worst !== null).map(([d]) => d).sort();
    const key = `${worst}:${directions.join(',')}`;
    if (key === this.current) return;
    this.current = key;
    this.opts.onTrouble(worst, directions);
  }
}
