/**
 * One RTCPeerConnection for a 1:1 call, with "perfect negotiation" (W3C webrtc-pc §10.7): either
 * side may renegotiate at any time; on an offer collision the polite side (the callee) rolls back
 * and the impolite side (the caller) ignores the other offer. Signals are processed strictly in
 * order, so a candidate never races ahead of the description it belongs to.
 *
 * The first offer always comes from the impolite side (the caller): the polite side adds its own
 * camera and microphone only once that offer is applied, so they ride in its answer. The link may
 * be built before its media is known (attach() comes later): an offer is applied at once, and the
 * answer waits for attach(). Letting both
 * sides offer at once and relying on the rollback works on paper, but Chromium (156) then sometimes
 * never gathers a single ICE candidate for the answer after the rollback, and the call hangs in
 * "new" forever (seen in ~1 in 10 calls in the end-to-end tests).
 *
 * ICE recovery: `disconnected` is given a few seconds to heal by itself, then we restart ICE;
 * `failed` gets exactly one ICE restart, and if that fails too the link reports `failed`. A link
 * that never connects at all gets the same treatment after `connectTimeoutMs`. Restarts come from
 * the impolite side first; the polite side waits a little longer, so that both sides restarting at
 * once (an offer collision, and a rollback) stays the exception.
 */
import type { CallSignal, IceCandidateInit, MediaTroublePhase } from '../../protocol';
import { withVideoStartBitrate } from './startBitrate';

export type LinkState = RTCPeerConnectionState;

export interface PeerLinkOptions {
  polite: boolean;
  iceServers: RTCIceServer[];
  /** 'relay': only TURN candidates (ICE_TRANSPORT_POLICY). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  send: (signal: CallSignal) => void;
  onRemoteStream: (stream: MediaStream) => void;
  onState: (state: LinkState) => void;
  /** ICE could not recover even after a restart: the call should end with 'ice-failed'. */
  onFailed: (phase: MediaTroublePhase) => void;
  onError?: (err: unknown) => void;
  disconnectedGraceMs?: number;
  /** How long a new link may take to connect before ICE is restarted, and a restart before we give up. */
  connectTimeoutMs?: number;
}

type Kind = 'audio' | 'video';
const KINDS: readonly Kind[] = ['audio', 'video'];
/** Extra wait of the polite side before it restarts ICE itself (see the class comment). */
const POLITE_RESTART_DELAY_MS = 3000;
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * How long the camera keeps its full resolution after the first connect. With the default
 * ('balanced') degradation, Chrome's encoder drops its first frames while it scales 720p down to
 * what the starting bandwidth estimate affords, which delays the first picture by ~100 ms
 * (bench/call-setup.ts); with 'maintain-resolution' it sends 720p at once. After this, 'balanced'
 * again, so a poor link lowers the resolution rather than the frame rate.
 */
const QUICK_START_MS = 5000;

export class PeerLink {
  readonly pc: RTCPeerConnection;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private restarted = false;
  private recoveryTimer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly remote = new MediaStream();
  private readonly senders = new Map<Kind, RTCRtpSender>();
  /** What replaceTrack() last asked for, per kind: applied when the sender comes to exist. */
  private readonly outgoing = new Map<Kind, MediaStreamTrack | null>();
  private local: MediaStream | null | undefined; // undefined: attach() not called yet
  private localAdded = false;
  /** Resolves at attach(): the polite side answers the first offer only with its media decided. */
  private readonly attached: Promise<void>;
  private markAttached!: () => void;
  private quickStartOver = false;
  /** What the link said before the peer was there to hear it, in order; null from peerReady() on. */
  private held: CallSignal[] | null = [];
  private quickStartTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(private readonly opts: PeerLinkOptions) {
    this.attached = new Promise((resolve) => (this.markAttached = resolve));
    this.pc = new RTCPeerConnection({ iceServers: opts.iceServers, iceTransportPolicy: opts.iceTransportPolicy ?? 'all' });
    this.pc.onnegotiationneeded = () => void this.negotiate();
    this.pc.onicecandidate = ({ candidate }) => {
      this.emit({ candidate: candidate ? toCandidateInit(candidate) : null });
    };
    this.pc.ontrack = ({ track }) => {
      this.remote.addTrack(track);
      track.onended = () => this.remote.removeTrack(track);
      opts.onRemoteStream(this.remote);
    };
    this.pc.onconnectionstatechange = () => this.onConnectionState();
  }

  get polite() {
    return this.opts.polite;
  }

  /**
   * Send our camera/mic; a kind we do not have is still received (recvonly). The impolite side
   * offers them at once; the polite side adds them when the first offer arrives.
   */
  attach(stream: MediaStream | null) {
    if (this.local !== undefined) return; // once per link
    this.local = stream;
    this.markAttached();
    if (!this.opts.polite) this.addLocalMedia();
  }

  /**
   * The peer is there to answer (the call is active): what the link said so far goes out, in order,
   * and from now on a link that does not connect in time gets its ICE restart, then is given up. A
   * caller's link is built while the call still rings (its offer is ready the moment the callee
   * accepts); the server relays nothing before that, and the ringing must not count against it.
   */
  peerReady() {
    if (!this.held || this.closed) return;
    const held = this.held;
    this.held = null;
    held.forEach((signal) => this.opts.send(signal));
    if (this.pc.connectionState !== 'connected') this.armRecovery(this.opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
  }

  /** Swap what we send for one kind without renegotiating (null = send nothing: muted / camera off). */
  async replaceTrack(kind: Kind, track: MediaStreamTrack | null) {
    this.outgoing.set(kind, track);
    await this.senders.get(kind)?.replaceTrack(track);
  }

  receive(signal: CallSignal) {
    this.queue = this.queue.then(() => this.handle(signal)).catch((err: unknown) => this.opts.onError?.(err));
  }

  restartIce() {
    if (!this.closed) this.pc.restartIce();
  }

  close() {
    this.closed = true;
    clearTimeout(this.recoveryTimer);
    clearTimeout(this.quickStartTimer);
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  private async negotiate() {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      // Whatever SLD made is sent, as in the W3C pattern: if the peer's offer was applied meanwhile,
      // this is the answer to it (and handle()'s own SLD then starts a fresh offer). A duplicate
      // answer the peer may see is rejected there in 'stable' and does no harm.
      this.sendLocalDescription();
    } catch (err) {
      this.opts.onError?.(err);
    } finally {
      this.makingOffer = false;
    }
  }

  private async handle(signal: CallSignal) {
    if (this.closed) return;
    if ('description' in signal) {
      const { description } = signal;
      const readyForOffer =
        !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingRemoteAnswer);
      const offerCollision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.opts.polite && offerCollision;
      if (this.ignoreOffer) return;
      this.settingRemoteAnswer = description.type === 'answer';
      try {
        // The polite side rolls back implicitly. Our video's starting bandwidth comes from here.
        await this.pc.setRemoteDescription({ type: description.type, sdp: withVideoStartBitrate(description.sdp) });
      } finally {
        this.settingRemoteAnswer = false;
      }
      if (description.type === 'offer') {
        // The link may exist before our camera does (the offer is applied meanwhile); the answer
        // waits for attach(). addTrack() then reuses the transceivers the offer created, so the
        // answer carries our media.
        await this.attached;
        if (this.closed) return;
        this.addLocalMedia();
        await this.pc.setLocalDescription();
        this.sendLocalDescription();
      }
      return;
    }
    try {
      await this.pc.addIceCandidate(signal.candidate ?? undefined);
    } catch (err) {
      // Candidates for an offer we ignored are expected to fail.
      if (!this.ignoreOffer) throw err;
    }
  }

  private addLocalMedia() {
    if (this.localAdded || this.local === undefined) return;
    this.localAdded = true;
    const stream = this.local;
    for (const kind of KINDS) {
      const track = stream?.getTracks().find((t) => t.kind === kind);
      if (track && stream) {
        const sender = this.pc.addTrack(track, stream);
        this.senders.set(kind, sender);
        if (kind === 'video') void setDegradation(sender, 'maintain-resolution');
        const wanted = this.outgoing.get(kind);
        if (wanted !== undefined && wanted !== track) void sender.replaceTrack(wanted);
      } else if (!this.pc.getTransceivers().some((t) => t.receiver.track.kind === kind)) {
        this.pc.addTransceiver(kind, { direction: 'recvonly' });
      }
    }
  }

  private emit(signal: CallSignal) {
    if (this.held) this.held.push(signal);
    else this.opts.send(signal);
  }

  private sendLocalDescription() {
    const local = this.pc.localDescription;
    if (local && (local.type === 'offer' || local.type === 'answer')) {
      this.emit({ description: { type: local.type, sdp: local.sdp } });
    }
  }

  private onConnectionState() {
    const state = this.pc.connectionState;
    this.opts.onState(state);
    if (state === 'connected') {
      clearTimeout(this.recoveryTimer);
      this.restarted = false;
      if (!this.quickStartOver) {
        this.quickStartOver = true;
        const video = this.senders.get('video');
        if (video) this.quickStartTimer = setTimeout(() => void setDegradation(video, 'balanced'), QUICK_START_MS);
      }
    } else if (state === 'disconnected') {
      this.armRecovery(this.opts.disconnectedGraceMs ?? 4000);
    } else if (state === 'failed') {
      this.armRecovery(0);
    }
  }

  /**
   * Unless the link is connected by then: restart ICE once, and if it still does not connect within
   * the connect timeout after that, give up. Re-arming replaces the pending check.
   */
  private armRecovery(afterMs: number) {
    clearTimeout(this.recoveryTimer);
    const delay = afterMs + (this.opts.polite ? POLITE_RESTART_DELAY_MS : 0);
    this.recoveryTimer = setTimeout(() => {
      if (this.closed || this.pc.connectionState === 'connected') return;
      if (this.restarted) return this.opts.onFailed(this.quickStartOver ? 'lost' : 'connect');
      this.restarted = true;
      this.restartIce();
      this.armRecovery(this.opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS);
    }, delay);
  }
}

/** Best effort: a browser without degradationPreference keeps its default. */
async function setDegradation(sender: RTCRtpSender, preference: RTCDegradationPreference) {
  try {
    await sender.setParameters({ ...sender.getParameters(), degradationPreference: preference } as RTCRtpSendParameters);
  } catch {
    // Not supported, or the sender has gone: nothing to do.
  }
}

function toCandidateInit(c: RTCIceCandidate): IceCandidateInit {
  return {
    candidate: c.candidate,
    sdpMid: c.sdpMid,
    sdpMLineIndex: c.sdpMLineIndex,
    usernameFragment: c.usernameFragment,
  };
}
