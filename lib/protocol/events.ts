/**
 * Typed socket.io event maps for the browser ↔ web-process connection.
 * Every client→server event takes (payload, ack); the ack result types are listed in InboundResults.
 */
import type { AckCallback } from './ack';
import type { CallEndReason, CallInfo, CallSignal, MediaState, PeerLinkNotice } from './call';
import type { ProtocolErrorBody } from './errors';
import type { IceServer } from './ice';
import type { PresenceSnapshot, PresenceStatus, PresenceUser } from './presence';
import type { InboundEvent, InboundInput } from './schemas';

type Empty = Record<string, never>;

export interface InboundResults {
  'presence:snapshot': PresenceSnapshot;
  'ice:config': { iceServers: IceServer[] };
  'call:invite': { call: CallInfo };
  'call:accept': { call: CallInfo };
  'call:decline': Empty;
  'call:cancel': Empty;
  'call:hangup': Empty;
  'call:resume': { call: CallInfo; peerMedia: MediaState | null };
  'call:signal': Empty;
  'call:media': Empty;
}

export type ClientToServerEvents = {
  [E in InboundEvent]: (payload: InboundInput<E>, ack: AckCallback<InboundResults[E]>) => void;
};

export interface ServerToClientEvents {
  'presence:joined': (user: PresenceUser) => void;
  'presence:left': (msg: { userId: string }) => void;
  'presence:status': (msg: { userId: string; status: PresenceStatus }) => void;
  'call:incoming': (msg: { call: CallInfo }) => void;
  'call:accepted': (msg: { call: CallInfo }) => void;
  'call:ended': (msg: { callId: string; reason: CallEndReason }) => void;
  'call:signal': (msg: { callId: string; signal: CallSignal }) => void;
  'call:peer-media': (msg: { callId: string } & MediaState) => void;
  'call:peer-link': (msg: { callId: string } & PeerLinkNotice) => void;
  /** For events sent without an ack callback, errors arrive here instead. */
  'protocol:error': (msg: { event: string; error: ProtocolErrorBody }) => void;
  /** The server is about to drop this socket (account disabled, signed out elsewhere…). */
  'session:revoked': (msg: { reason: string }) => void;
}

export type InterServerEvents = Record<string, never>;
