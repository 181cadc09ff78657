/**
 * Holds call signals that arrive before the call page has built its PeerLink (the caller's offer
 * often lands while the callee is still opening its camera). The call page subscribes and gets the
 * backlog first, then live signals, in order. Also remembers the peer's latest mic/camera state.
 */
import type { CallSignal, MediaState } from '../../protocol';
import type { ConfabSocket } from '../socket';

type Listener = (signal: CallSignal) => void;

const MAX_BACKLOG = 500;

export class SignalInbox {
  private callId: string | null = null;
  private backlog: CallSignal[] = [];
  private listener: Listener | null = null;
  private peerMedia = new Map<string, MediaState>();

  constructor(socket: ConfabSocket) {
    socket.on('call:signal', ({ callId, signal }) => {
      if (callId !== this.callId) return;
      if (this.listener) this.listener(signal);
      else if (this.backlog.length < MAX_BACKLOG) this.backlog.push(signal);
    });
    socket.on('call:peer-media', ({ callId, audio, video }) => this.peerMedia.set(callId, { audio, video }));
  }

  /** Start collecting for this call (on accept/answer), dropping anything from an older call. */
  expect(callId: string) {
    if (this.callId === callId) return;
    this.callId = callId;
    this.backlog = [];
    this.listener = null;
  }

  subscribe(callId: string, listener: Listener): () => void {
    this.expect(callId);
    this.listener = listener;
    const backlog = this.backlog;
    this.backlog = [];
    backlog.forEach(listener);
    return () => {
      if (this.listener === listener) this.listener = null;
    };
  }

  /**
   * Both sides rebuild their connection: forget buffered signals, and hold new ones for the next
   * subscriber — the old link is still subscribed until React tears it down, and must not swallow
   * the rebuilt peer's first offer.
   */
  reset(callId: string) {
    if (this.callId !== callId) return;
    this.backlog = [];
    this.listener = null;
  }

  lastPeerMedia(callId: string): MediaState | undefined {
    return this.peerMedia.get(callId);
  }
}

let inbox: SignalInbox | null = null;

export function signalInbox(socket: ConfabSocket): SignalInbox {
  inbox ??= new SignalInbox(socket);
  return inbox;
}
