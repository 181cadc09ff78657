/**
 * The room page's state, as a pure reducer over what the server tells us (joined, participants,
 * producers, chat…) and what the media layer produced (remote tracks). No I/O here.
 */
import type {
  ChatMessageView,
  RoomClosedReason,
  RoomJoined,
  RoomParticipant,
  RoomProducer,
  RoomSummary,
} from '../../protocol';

export interface ChatEntry extends ChatMessageView {
  /** Sent by us and not acked yet (or failed and waiting for a retry). */
  status: 'sent' | 'pending' | 'failed';
}

export interface RoomState {
  phase: 'idle' | 'joining' | 'joined' | 'closed';
  error: { code: string; message: string } | null;
  room: RoomSummary | null;
  selfId: string | null;
  participants: RoomParticipant[];
  /** Remote producers only. */
  producers: RoomProducer[];
  /** Remote tracks we consume, by producer id. */
  tracks: Record<string, MediaStreamTrack>;
  activeSpeaker: string | null;
  chat: ChatEntry[];
  closedReason: RoomClosedReason | null;
  notice: string | null;
}

export type RoomEvent =
  | { type: 'join-start' }
  | { type: 'join-failed'; code: string; message: string }
  | { type: 'joined'; joined: RoomJoined }
  | { type: 'participant-joined'; participant: RoomParticipant }
  | { type: 'participant-left'; userId: string }
  | { type: 'producer-added'; producer: RoomProducer }
  | { type: 'producer-removed'; producerId: string }
  | { type: 'producer-state'; producerId: string; paused: boolean }
  | { type: 'track'; producerId: string; track: MediaStreamTrack }
  | { type: 'track-removed'; producerId: string }
  | { type: 'active-speaker'; userId: string | null }
  | { type: 'chat'; message: ChatMessageView }
  | { type: 'chat-pending'; message: ChatMessageView }
  | { type: 'chat-failed'; clientId: string }
  | { type: 'locked'; locked: boolean }
  | { type: 'notice'; text: string | null }
  | { type: 'closed'; reason: RoomClosedReason }
  | { type: 'left' };

export const initialRoomState: RoomState = {
  phase: 'idle',
  error: null,
  room: null,
  selfId: null,
  participants: [],
  producers: [],
  tracks: {},
  activeSpeaker: null,
  chat: [],
  closedReason: null,
  notice: null,
};

const without = <T>(record: Record<string, T>, key: string) => {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
};

export function roomReducer(state: RoomState, event: RoomEvent): RoomState {
  switch (event.type) {
    case 'join-start':
      return { ...state, phase: 'joining', error: null, closedReason: null };
    case 'join-failed':
      return { ...state, phase: 'idle', error: { code: event.code, message: event.message } };
    case 'joined': {
      const { joined } = event;
      // Our own unacked messages survive a rejoin: they are re-sent with the same clientId.
      const unsent = state.chat.filter((m) => m.status !== 'sent' && !joined.chat.some((h) => h.clientId === m.clientId));
      return {
        ...initialRoomState,
        phase: 'joined',
        room: joined.room,
        selfId: joined.self.userId,
        participants: joined.participants,
        producers: joined.producers,
        chat: [...joined.chat.map((m) => ({ ...m, status: 'sent' as const })), ...unsent],
      };
    }
    case 'participant-joined':
      return {
        ...state,
        participants: [...state.participants.filter((p) => p.userId !== event.participant.userId), event.participant],
        room: state.room && { ...state.room, participants: state.room.participants + 1 },
      };
    case 'participant-left': {
      const gone = new Set(state.producers.filter((p) => p.userId === event.userId).map((p) => p.producerId));
      let tracks = state.tracks;
      for (const id of gone) tracks = without(tracks, id);
      return {
        ...state,
        participants: state.participants.filter((p) => p.userId !== event.userId),
        producers: state.producers.filter((p) => !gone.has(p.producerId)),
        tracks,
        activeSpeaker: state.activeSpeaker === event.userId ? null : state.activeSpeaker,
        room: state.room && { ...state.room, participants: Math.max(0, state.room.participants - 1) },
      };
    }
    case 'producer-added':
      if (event.producer.userId === state.selfId) return state;
      return {
        ...state,
        producers: [...state.producers.filter((p) => p.producerId !== event.producer.producerId), event.producer],
      };
    case 'producer-removed':
      return {
        ...state,
        producers: state.producers.filter((p) => p.producerId !== event.producerId),
        tracks: without(state.tracks, event.producerId),
      };
    case 'producer-state':
      return {
        ...state,
        producers: state.producers.map((p) => (p.producerId === event.producerId ? { ...p, paused: event.paused } : p)),
      };
    case 'track':
      if (!state.producers.some((p) => p.producerId === event.producerId)) return state;
      return { ...state, tracks: { ...state.tracks, [event.producerId]: event.track } };
    case 'track-removed':
      return { ...state, tracks: without(state.tracks, event.producerId) };
    case 'active-speaker':
      return { ...state, activeSpeaker: event.userId };
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
      return { ...state, room: state.room && { ...state.room, locked: event.locked } };
    case 'notice':
      return { ...state, notice: event.text };
    case 'closed':
      return { ...state, phase: 'closed', closedReason: event.reason, tracks: {}, producers: [] };
    case 'left':
      return { ...initialRoomState };
  }
}
