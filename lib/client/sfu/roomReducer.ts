/**
 * The room page's state, as a pure reducer over what the server tells us (the room snapshot,
 * participants, the consumers it pushed, chat…) and what the media layer did (tracks, transport
 * state). No I/O here: RoomSession does the I/O and feeds this.
 */
import type {
  ChatMessageView,
  MediaDirection,
  MediaTroublePhase,
  MeetingState,
  Reaction,
  WaitingEntry,
  RoomClosedReason,
  RoomConsumer,
  RoomConsumerState,
  RoomParticipant,
  RoomSnapshot,
  RoomSummary,
  SeatConnection,
} from '../../protocol';
import { spoke } from '../room/layout';
import { qualityOf, type Quality } from './quality';
import type { TransportState } from './SfuClient';

export interface ChatEntry extends ChatMessageView {
  /** Sent by us and not acked yet (or failed and waiting for a retry). */
  status: 'sent' | 'pending' | 'failed';
}

/** A remote stream we receive: what the server pushed, its live track, and how it fares. */
export interface RemoteMedia {
  consumerId: string;
  producerId: string;
  userId: string;
  source: RoomConsumer['source'];
  kind: RoomConsumer['kind'];
  /** The sender paused it (mic muted, camera off). */
  paused: boolean;
  track: MediaStreamTrack;
  /** The node's scores, 0–10 (null until it first reported). */
  score: number | null;
  producerScore: number | null;
  /** Our own measurements of it (QualityMonitor). */
  lossPct?: number | null;
  rttMs?: number | null;
  quality: Quality | null;
}

/**
 * `connection`: our seat's link to the server (reconnecting while the socket is down and the seat
 * is being resumed). `media`: the server's side of our media (reconnecting while it moves it).
 */
export interface RoomState {
  phase: 'idle' | 'joining' | 'joined' | 'closed';
  connection: 'connected' | 'reconnecting';
  media: 'connected' | 'reconnecting';
  /** The receiving transport's ICE/DTLS state. */
  transport: TransportState;
  /** A media transport that does not work (MediaWatch): the user is told what to try. */
  mediaTrouble: { phase: MediaTroublePhase; directions: MediaDirection[] } | null;
  error: { code: string; message: string } | null;
  room: RoomSummary | null;
  selfId: string | null;
  participants: RoomParticipant[];
  /** By consumer id. */
  remotes: Record<string, RemoteMedia>;
  activeSpeaker: string | null;
  /** Who spoke, the most recent first (the layout brings recent speakers into view). */
  speakerOrder: string[];
  /** Spotlight and raised hands, as the server has them. */
  meeting: MeetingState;
  maxVisibleVideos: number;
  /** Reactions on screen now (each removed after a few seconds by RoomSession). */
  reactions: { id: number; userId: string; reaction: Reaction }[];
  chat: ChatEntry[];
  local: { mic: boolean; camera: boolean; screen: boolean };
  /** Our knock on a room with a waiting room (null when not knocking). */
  knock: { status: 'knocking' | 'waiting' | 'denied'; hostPresent: boolean; message?: string } | null;
  /** For the host: who is knocking, oldest first. */
  waiting: WaitingEntry[];
  /** The devices we switched to during the meeting (the pre-join choice until then). */
  devices: { audio?: string; video?: string };
  closedReason: RoomClosedReason | null;
  notice: string | null;
}

export type RoomEvent =
  | { type: 'join-start' }
  | { type: 'join-failed'; code: string; message: string }
  | { type: 'joined'; snapshot: RoomSnapshot }
  /** A resumed seat: the snapshot again, and the consumers the server still holds. */
  | { type: 'resumed'; snapshot: RoomSnapshot; consumerIds: string[] }
  | { type: 'connection'; connection: RoomState['connection'] }
  | { type: 'media'; media: RoomState['media'] }
  | { type: 'transport'; state: TransportState }
  | { type: 'media-trouble'; trouble: RoomState['mediaTrouble'] }
  | { type: 'participant-joined'; participant: RoomParticipant }
  | { type: 'participant-left'; userId: string }
  | { type: 'participant-state'; userId: string; connection: SeatConnection }
  | { type: 'remote-added'; remote: RemoteMedia }
  | { type: 'remote-removed'; consumerId: string }
  | { type: 'remote-state'; state: RoomConsumerState }
  | { type: 'remote-quality'; consumerId: string; lossPct: number | null; rttMs: number | null }
  /** Our media was moved: every remote stream goes, new ones follow. */
  | { type: 'media-reset' }
  | { type: 'active-speaker'; userId: string | null }
  | { type: 'meeting'; meeting: MeetingState }
  | { type: 'local-devices'; devices: RoomState['devices'] }
  | { type: 'knock'; knock: RoomState['knock'] }
  | { type: 'renamed'; name: string }
  | { type: 'waiting-list'; waiting: WaitingEntry[] }
  | { type: 'reaction'; id: number; userId: string; reaction: Reaction }
  | { type: 'reaction-done'; id: number }
  | { type: 'chat'; message: ChatMessageView }
  | { type: 'chat-pending'; message: ChatMessageView }
  | { type: 'chat-failed'; clientId: string }
  | { type: 'locked'; locked: boolean; waitingRoom: boolean }
  | { type: 'local'; local: Partial<RoomState['local']> }
  | { type: 'notice'; text: string | null }
  | { type: 'closed'; reason: RoomClosedReason }
  | { type: 'left' };

export const initialRoomState: RoomState = {
  phase: 'idle',
  connection: 'connected',
  media: 'connected',
  transport: 'new',
  mediaTrouble: null,
  error: null,
  room: null,
  selfId: null,
  participants: [],
  remotes: {},
  activeSpeaker: null,
  speakerOrder: [],
  meeting: { spotlight: null, hands: [] },
  maxVisibleVideos: 16,
  reactions: [],
  chat: [],
  local: { mic: false, camera: false, screen: false },
  devices: {},
  knock: null,
  waiting: [],
  closedReason: null,
  notice: null,
};

const without = <T>(record: Record<string, T>, key: string) => {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
};

const filterRecord = <T>(record: Record<string, T>, keep: (value: T) => boolean) =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => keep(v)));

/** Our own unacked messages survive a rejoin or resume: they are re-sent with the same clientId. */
function mergeChat(mine: ChatEntry[], history: ChatMessageView[]): ChatEntry[] {
  const unsent = mine.filter((m) => m.status !== 'sent' && !history.some((h) => h.clientId === m.clientId));
  const known = new Set(history.map((m) => m.id));
  // Messages seen before the history's window are kept (a resume returns only the latest ones).
  const older = mine.filter((m) => m.status === 'sent' && !known.has(m.id) && m.sentAt < (history[0]?.sentAt ?? 0));
  return [...older, ...history.map((m) => ({ ...m, status: 'sent' as const })), ...unsent];
}

/** Stores a remote with its quality worked out again from its inputs. */
function withRemote(state: RoomState, remote: RemoteMedia): RoomState {
  const quality = qualityOf({ score: remote.score, producerScore: remote.producerScore, lossPct: remote.lossPct ?? null, rttMs: remote.rttMs ?? null });
  const next = { ...remote, quality };
  const prev = state.remotes[remote.consumerId];
  if (prev && prev.paused === next.paused && prev.quality === next.quality && prev.score === next.score && prev.producerScore === next.producerScore)
    return state; // nothing the UI shows changed: no re-render
  return { ...state, remotes: { ...state.remotes, [remote.consumerId]: next } };
}

export function roomReducer(state: RoomState, event: RoomEvent): RoomState {
  switch (event.type) {
    case 'join-start':
      return { ...state, phase: 'joining', error: null, closedReason: null };
    case 'join-failed':
      return { ...state, phase: 'idle', error: { code: event.code, message: event.message } };
    case 'joined': {
      const { snapshot } = event;
      return {
        ...initialRoomState,
        phase: 'joined',
        local: state.local,
        devices: state.devices,
        // The host's waiting list may arrive just before the join's answer.
        waiting: state.waiting,
        room: snapshot.room,
        meeting: snapshot.meeting,
        maxVisibleVideos: snapshot.maxVisibleVideos,
        selfId: snapshot.self.userId,
        participants: snapshot.participants,
        chat: mergeChat(state.chat, snapshot.chat),
      };
    }
    case 'resumed': {
      const { snapshot } = event;
      const kept = new Set(event.consumerIds);
      return {
        ...state,
        connection: 'connected',
        room: snapshot.room,
        meeting: snapshot.meeting,
        participants: snapshot.participants,
        remotes: filterRecord(state.remotes, (r) => kept.has(r.consumerId)),
        chat: mergeChat(state.chat, snapshot.chat),
      };
    }
    case 'connection':
      return { ...state, connection: event.connection };
    case 'media':
      return { ...state, media: event.media };
    case 'transport':
      return { ...state, transport: event.state };
    case 'media-trouble':
      return { ...state, mediaTrouble: event.trouble };
    case 'participant-joined':
      return {
        ...state,
        participants: [...state.participants.filter((p) => p.userId !== event.participant.userId), event.participant],
        room: state.room && { ...state.room, participants: state.room.participants + 1 },
      };
    case 'participant-left':
      return {
        ...state,
        participants: state.participants.filter((p) => p.userId !== event.userId),
        remotes: filterRecord(state.remotes, (r) => r.userId !== event.userId),
        activeSpeaker: state.activeSpeaker === event.userId ? null : state.activeSpeaker,
        speakerOrder: state.speakerOrder.filter((id) => id !== event.userId),
        room: state.room && { ...state.room, participants: Math.max(0, state.room.participants - 1) },
      };
    case 'participant-state':
      return {
        ...state,
        participants: state.participants.map((p) => (p.userId === event.userId ? { ...p, connection: event.connection } : p)),
      };
    case 'remote-added':
      if (event.remote.userId === state.selfId) return state;
      return { ...state, remotes: { ...state.remotes, [event.remote.consumerId]: event.remote } };
    case 'remote-removed':
      return { ...state, remotes: without(state.remotes, event.consumerId) };
    case 'remote-state': {
      const remote = state.remotes[event.state.consumerId];
      if (!remote) return state;
      const { producerPaused, score, producerScore } = event.state;
      return withRemote(state, { ...remote, paused: producerPaused, score, producerScore });
    }
    case 'remote-quality': {
      const remote = state.remotes[event.consumerId];
      if (!remote) return state;
      return withRemote(state, { ...remote, lossPct: event.lossPct, rttMs: event.rttMs });
    }
    case 'media-reset':
      return { ...state, remotes: {} };
    case 'meeting':
      return { ...state, meeting: event.meeting };
    case 'local-devices':
      return { ...state, devices: event.devices };
    case 'renamed':
      return { ...state, room: state.room && { ...state.room, name: event.name } };
    case 'knock':
      return { ...state, phase: event.knock ? 'idle' : state.phase, knock: event.knock };
    case 'waiting-list': {
      // The host is told of each new knock, as well as seeing the list.
      const known = new Set(state.waiting.map((w) => w.userId));
      const fresh = event.waiting.filter((w) => !known.has(w.userId));
      const notice = fresh.length === 1 ? `${fresh[0]!.name} is asking to join` : fresh.length > 1 ? `${fresh.length} people are asking to join` : state.notice;
      return { ...state, waiting: event.waiting, notice };
    }
    case 'reaction':
      // A few at a time on screen: the oldest gives way.
      return { ...state, reactions: [...state.reactions.slice(-19), { id: event.id, userId: event.userId, reaction: event.reaction }] };
    case 'reaction-done':
      return { ...state, reactions: state.reactions.filter((r) => r.id !== event.id) };
    case 'active-speaker':
      return { ...state, activeSpeaker: event.userId, speakerOrder: spoke(state.speakerOrder, event.userId) };
    case 'chat': {
      const mine = state.chat.findIndex((m) => m.clientId === event.message.clientId);
      if (mine >= 0) {
        const chat = state.chat.slice();
        chat[mine] = { ...event.message, status: 'sent' };
        return { ...state, chat };
      }
      if (state.chat.some((m) => m.id === event.message.id)) return state;
      return { ...state, chat: [...state.chat, { ...event.message, status: 'sent' }] };
    }
    case 'chat-pending':
      return {
        ...state,
        chat: [...state.chat.filter((m) => m.clientId !== event.message.clientId), { ...event.message, status: 'pending' }],
      };
    case 'chat-failed':
      return { ...state, chat: state.chat.map((m) => (m.clientId === event.clientId ? { ...m, status: 'failed' } : m)) };
    case 'locked':
      return { ...state, room: state.room && { ...state.room, locked: event.locked, waitingRoom: event.waitingRoom } };
    case 'local':
      return { ...state, local: { ...state.local, ...event.local } };
    case 'notice':
      return { ...state, notice: event.text };
    case 'closed':
      return { ...state, phase: 'closed', closedReason: event.reason, remotes: {}, local: initialRoomState.local };
    case 'left':
      return { ...initialRoomState };
  }
}
