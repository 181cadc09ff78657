/**
 * One RTCPeerConnection for a 1:1 call, with "perfect negotiation" (W3C webrtc-pc §10.7): either
 * side may renegotiate at any time; on an offer collision the polite side (the callee) rolls back
 * and the impolite side (the caller) ignores the other offer. Signals are processed strictly in
 * order, so a candidate never races ahead of the description it belongs to.
 *
 * ICE recovery: `disconnected` is given a few seconds to heal by itself, then we restart ICE;
 * `failed` gets exactly one ICE restart, and if that fails too the link reports `failed`.
 */
import type { CallSignal, IceCandidateInit } from '../../protocol';

export type LinkState = RTCPeerConnectionState;

export interface PeerLinkOptions {
  polite: boolean;
  iceServers: RTCIceServer[];
  send: (signal: CallSignal) => void;
  onRemoteStream: (stream: MediaStream) => void;
  onState: (state: LinkState) => void;
  /** ICE could not recover even after a restart: the call should end with 'ice-failed'. */
  onFailed: () => void;
  onError?: (err: unknown) => void;
  disconnectedGraceMs?: number;
}

export class PeerLink {
  readonly pc: RTCPeerConnection;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private restartedAfterFailure = false;
  private disconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly remote = new MediaStream();
  private readonly senders = new Map<'audio' | 'video', RTCRtpSender>();
  private closed = false;

  constructor(private readonly opts: PeerLinkOptions) {
    this.pc = new RTCPeerConnection({ iceServers: opts.iceServers });
    this.pc.onnegotiationneeded = () => void this.negotiate();
    this.pc.onicecandidate = ({ candidate }) => {
      opts.send({ candidate: candidate ? toCandidateInit(candidate) : null });
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

  /** Send our camera/mic; a kind we do not have is still received (recvonly). */
  attach(stream: MediaStream | null) {
    for (const kind of ['audio', 'video'] as const) {
      const track = stream?.getTracks().find((t) => t.kind === kind);
      if (track && stream) this.senders.set(kind, this.pc.addTrack(track, stream));
      else this.pc.addTransceiver(kind, { direction: 'recvonly' });
    }
  }

  /** Swap what we send for one kind without renegotiating (null = send nothing: muted / camera off). */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null) {
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
    clearTimeout(this.disconnectTimer);
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
        await this.pc.setRemoteDescription(description); // the polite side rolls back implicitly
      } finally {
        this.settingRemoteAnswer = false;
      }
      if (description.type === 'offer') {
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

  private sendLocalDescription() {
    const local = this.pc.localDescription;
    if (local && (local.type === 'offer' || local.type === 'answer')) {
      this.opts.send({ description: { type: local.type, sdp: local.sdp } });
    }
  }

  private onConnectionState() {
    const state = this.pc.connectionState;
    this.opts.onState(state);
    clearTimeout(this.disconnectTimer);
    if (state === 'connected') {
      this.restartedAfterFailure = false;
    } else if (state === 'disconnected') {
      this.disconnectTimer = setTimeout(() => {
        if (this.pc.connectionState === 'disconnected') this.restartIce();
      }, this.opts.disconnectedGraceMs ?? 4000);
    } else if (state === 'failed') {
      if (this.restartedAfterFailure) return this.opts.onFailed();
      this.restartedAfterFailure = true;
      this.restartIce();
    }
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
