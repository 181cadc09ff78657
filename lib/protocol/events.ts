/**
 * Typed socket.io event maps for the browser ↔ web-process connection.
 * Every client→server event takes (payload, ack); the ack result types are listed in InboundResults.
 */
import type { AckCallback } from './ack';
import type { AdminSnapshot } from './admin';
import type { CallEndReason, CallInfo, CallSignal, MediaState, PeerLinkNotice } from './call';
import type { ProtocolErrorBody } from './errors';
import type { IceConfig } from './ice';
import type { ConversationSummary, LobbyHistoryPage, LobbyMessageView } from './lobbyChat';
import type { PresenceDiff, PresenceSnapshot } from './presence';
import type {
  ChatMessageView,
  ConsumersAccepted,
  MeetingState,
  WaitingEntry,
  Reaction,
  PeerTransports,
  RoomClosedReason,
  RoomConsumer,
  RoomConsumerState,
  RoomJoined,
  RoomLeaveReason,
  RoomParticipant,
  RoomResumed,
  RoomSummary,
  SeatConnection,
} from './rooms';
import type { TransportParams } from './sfuRpc';
import type { Ack } from './ack';
import type { InboundEvent, InboundInput } from './schemas';

type Empty = Record<string, never>;

export interface InboundResults {
  'presence:snapshot': PresenceSnapshot;
  'session:ping': Empty;
  'ice:config': IceConfig;
  'media:trouble': Empty;
  'lobby:chat-send': { message: LobbyMessageView };
  'lobby:chat-history': LobbyHistoryPage;
  'lobby:chat-read': Empty;
  'lobby:conversations': { conversations: ConversationSummary[] };
  'call:invite': { call: CallInfo };
  'call:accept': { call: CallInfo };
  'call:decline': Empty;
  'call:cancel': Empty;
  'call:hangup': Empty;
  'call:resume': { call: CallInfo; peerMedia: MediaState | null };
  'call:signal': Empty;
  'call:media': Empty;
  'call:stats': Empty;
  'room:list': { rooms: RoomSummary[] };
  'room:create': { room: RoomSummary };
  'room:capabilities': { routerRtpCapabilities: unknown };
  'room:join': RoomJoined;
  'room:resume': RoomResumed;
  'room:leave': Empty;
  'room:transport-connect': Empty;
  'room:transport-restart-ice': { iceParameters: TransportParams['iceParameters'] };
  'room:produce': { producerId: string };
  'room:producer-close': Empty;
  'room:producer-pause': Empty;
  'room:producer-resume': Empty;
  'room:consumer-resume': Empty;
  'room:consumer-pause': Empty;
  'room:consumer-layers': Empty;
  'chat:send': { message: ChatMessageView };
  'room:host-mute': Empty;
  'room:host-spotlight': Empty;
  'room:knock': { admitted: boolean; hostPresent: boolean };
  'room:mine': { rooms: RoomSummary[] };
  'room:rename': { room: RoomSummary };
  'room:delete': Empty;
  'room:knock-cancel': Empty;
  'room:host-admit': Empty;
  'room:host-deny': Empty;
  'room:host-admit-all': { admitted: number };
  'room:host-waiting-room': Empty;
  'room:host-lower-hand': Empty;
  'room:hand': Empty;
  'room:react': Empty;
  'room:host-remove': Empty;
  'room:host-lock': Empty;
  'room:host-end': Empty;
  /** The current snapshot at once; then `admin:snapshot` pushes every ADMIN_SNAPSHOT_INTERVAL_MS. */
  'admin:subscribe': { snapshot: AdminSnapshot };
  'admin:unsubscribe': Empty;
  'admin:end-room': Empty;
  'admin:remove-participant': Empty;
  'admin:end-call': Empty;
  'admin:set-disabled': Empty;
  'admin:set-role': Empty;
}

export type ClientToServerEvents = {
  [E in InboundEvent]: (payload: InboundInput<E>, ack: AckCallback<InboundResults[E]>) => void;
};

export interface ServerToClientEvents {
  /** Lobby changes, in order, batched (lib/server/realtime/presenceBatcher.ts); a socket also gets its own. */
  'presence:diffs': (diffs: PresenceDiff[]) => void;
  'call:incoming': (msg: { call: CallInfo }) => void;
  'call:accepted': (msg: { call: CallInfo }) => void;
  'call:ended': (msg: { callId: string; reason: CallEndReason }) => void;
  'call:signal': (msg: { callId: string; signal: CallSignal }) => void;
  'call:peer-media': (msg: { callId: string } & MediaState) => void;
  'call:peer-link': (msg: { callId: string } & PeerLinkNotice) => void;
  /** Lobby room list diffs. */
  'rooms:updated': (msg: { room: RoomSummary }) => void;
  /** A lobby chat message for this user: the lobby channel, or one of their direct conversations. */
  'lobby:chat': (msg: { message: LobbyMessageView }) => void;
  'rooms:removed': (msg: { slug: string }) => void;
  'room:participant-joined': (msg: { participant: RoomParticipant }) => void;
  'room:participant-left': (msg: { userId: string; reason: RoomLeaveReason }) => void;
  /** A participant's connection dropped (their seat is kept for a while) or came back. */
  'room:participant-state': (msg: { userId: string; connection: SeatConnection }) => void;
  /**
   * A request: accept these consumers (create them locally, in one renegotiation) and ack with the
   * ones refused. The server resumes the others and closes the refused ones (all of them on an
   * error ack). A consumerId already accepted is accepted again. A join's consumers come as one
   * batch; a new producer's as a batch of one.
   */
  'room:consumers-new': (push: { consumers: RoomConsumer[] }, ack: (res: Ack<ConsumersAccepted>) => void) => void;
  'room:consumer-closed': (msg: { consumerId: string }) => void;
  'room:consumer-state': (msg: RoomConsumerState) => void;
  /**
   * This browser's media was moved (its SFU worker or node died): drop every local transport,
   * producer and consumer, connect these transports, send again; consumers follow as pushes.
   */
  'room:media-reset': (msg: { transports: PeerTransports }) => void;
  /** The room's media server is being replaced: `reconnecting` until every seat was moved. */
  'room:media-state': (msg: { state: 'reconnecting' | 'connected' }) => void;
  'room:active-speaker': (msg: { userId: string | null }) => void;
  'room:chat': (msg: { message: ChatMessageView }) => void;
  'room:updated': (msg: { locked: boolean; waitingRoom: boolean }) => void;
  /** The host renamed the room. */
  'room:renamed': (msg: { name: string }) => void;
  /** To the host: who is knocking now, oldest first. */
  'room:waiting': (msg: { waiting: WaitingEntry[] }) => void;
  /** To a knocker: whether the host is in the room to let them in. */
  'room:knock-state': (msg: { hostPresent: boolean }) => void;
  /** To a knocker: the host let them in; join now. */
  'room:admitted': (msg: Record<string, never>) => void;
  /** To a knocker: refused (or the meeting ended). */
  'room:denied': (msg: { message: string }) => void;
  'room:meeting': (msg: { meeting: MeetingState }) => void;
  /** A reaction someone sent (rate-limited per sender). */
  'room:reaction': (msg: { userId: string; reaction: Reaction }) => void;
  /** The host muted your microphone (your mic producer is already paused on the server). */
  'room:muted-by-host': (msg: { producerId: string; by: string }) => void;
  'room:closed': (msg: { reason: RoomClosedReason }) => void;
  /** Pushed to subscribed admins while they stay admins. */
  'admin:snapshot': (msg: AdminSnapshot) => void;
  /** You are no longer an admin (demoted or disabled): pushes stop and admin events are refused. */
  'admin:revoked': (msg: { reason: string }) => void;
  /** For events sent without an ack callback, errors arrive here instead. */
  'protocol:error': (msg: { event: string; error: ProtocolErrorBody }) => void;
  /** The server is about to drop this socket (account disabled, signed out elsewhere…). */
  'session:revoked': (msg: { reason: string }) => void;
}

export type InterServerEvents = Record<string, never>;
