/** Group rooms, as the browser sees them. Media ids are the SFU node's mediasoup ids. */
import type { ProducerSource } from './mediasoupSchemas';
import type { ConsumerInfo, PeerTransports } from './sfuRpc';

export type { PeerTransports, ProducerSource };

/** A room in the lobby list. */
export interface RoomSummary {
  slug: string;
  name: string;
  hostName: string;
  hasPassword: boolean;
  locked: boolean;
  /** Joiners knock, and the host lets them in. */
  waitingRoom: boolean;
  participants: number;
  /** Names of (the first few) people inside now; empty for rooms with a password or a waiting room. */
  inside: string[];
  /** When a meeting last started or ended here (ms since the epoch). */
  lastActiveAt: number;
}

/** Someone knocking on a room with a waiting room, as its host sees them. */
export interface WaitingEntry {
  userId: string;
  name: string;
  /** When they knocked (ms since the epoch). */
  since: number;
}

/** `reconnecting`: their connection dropped; the seat is kept for the grace period. */
export type SeatConnection = 'connected' | 'reconnecting';

export interface RoomParticipant {
  userId: string;
  name: string;
  isHost: boolean;
  joinedAt: number;
  connection: SeatConnection;
}

/**
 * A remote stream the server created for this browser, paused: the browser accepts it (acks the
 * push) once its local consumer exists, and the server then resumes it. `userId` owns the
 * producer; the same user's camera and mic share `streamId`.
 */
export type RoomConsumer = Omit<ConsumerInfo, 'producerPeerId'> & { userId: string };

/** A browser's answer to a batch of pushed consumers: the ones it could not take (closed by the server). */
export interface ConsumersAccepted {
  refused: string[];
}

/** A consumer's media, as the node reports it: score 0–10 (10 = perfect), and the layer forwarded. */
export interface RoomConsumerState {
  consumerId: string;
  producerPaused: boolean;
  score: number;
  producerScore: number;
  spatialLayer: number | null;
}

/** What the browser needs to resume its seat after a dropped connection (kept in memory only). */
export interface SeatTicket {
  token: string;
  /** How long the server keeps the seat after the connection drops. */
  graceMs: number;
}

export interface ChatMessageView {
  id: string;
  clientId: string;
  userId: string;
  name: string;
  text: string;
  sentAt: number;
}

/** The room as it is now: the join's answer, and again a resume's. */
/** Meeting-wide state everyone sees alike; sent whole (`room:meeting`) whenever it changes. */
export interface MeetingState {
  /** The participant the host spotlit for everyone (their tile takes the stage). */
  spotlight: string | null;
  /** Raised hands, in the order they went up. */
  hands: string[];
}

/** The reactions one can send (they float over the sender's tile for everyone). */
export const REACTIONS = ['👍', '👏', '😂', '😮', '❤️', '🎉'] as const;
export type Reaction = (typeof REACTIONS)[number];

export interface RoomSnapshot {
  room: RoomSummary;
  meeting: MeetingState;
  /** How many remote videos a page renders at once (ROOM_MAX_VISIBLE_VIDEOS); the rest show as avatars. */
  maxVisibleVideos: number;
  self: RoomParticipant;
  participants: RoomParticipant[];
  /** Most recent messages, oldest first. */
  chat: ChatMessageView[];
  /** Both media transports (the server creates them at join; the browser connects them). */
  transports: PeerTransports;
}

export interface RoomJoined extends RoomSnapshot {
  routerRtpCapabilities: unknown;
  seat: SeatTicket;
  /** How many consumers the server is about to push for the streams already in the room. */
  offering: number;
}

export interface RoomResumed extends RoomSnapshot {
  /** Whether ICE is up on each transport, as the server sees it: restart ICE where it is not. */
  connected: { send: boolean; recv: boolean };
  /** The consumers the server holds for this seat: drop any other; the missing ones are pushed. */
  consumerIds: string[];
}

export type RoomLeaveReason = 'left' | 'removed' | 'disconnected';

/** Why the room ended for this participant. */
export const roomClosedReasons = [
  'ended-by-host',
  'ended-by-admin',
  'removed-by-host',
  'removed-by-admin',
  'joined-elsewhere',
  'seat-expired',
] as const;
export type RoomClosedReason = (typeof roomClosedReasons)[number];

export const roomClosedText: Record<RoomClosedReason, string> = {
  'ended-by-host': 'The host ended the meeting',
  'ended-by-admin': 'The meeting was ended by an admin',
  'removed-by-host': 'The host removed you from the meeting',
  'removed-by-admin': 'An admin removed you from the meeting',
  'joined-elsewhere': 'You joined this meeting from another tab',
  'seat-expired': 'Your connection was gone too long and your seat was given up. Rejoin to continue',
};

/**
 * Refusals of a join that trying again from the pre-join screen will not change (removed, locked,
 * no such room, the meeting ended): the page releases the camera and says why, with a way back.
 */
export const finalJoinRefusals: readonly string[] = ['FORBIDDEN', 'ROOM_LOCKED', 'NOT_FOUND', 'INVALID_STATE'];

/** Reasons after which the meeting is over for this user: the page sends them back to the lobby. */
export const backToLobbyReasons = ['ended-by-host', 'ended-by-admin', 'removed-by-host', 'removed-by-admin'] as const;
export type BackToLobbyReason = (typeof backToLobbyReasons)[number];

export const CHAT_MAX_CHARS = 2000;
export const ROOM_NAME_MAX = 60;
