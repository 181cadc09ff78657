/** Group rooms, as the browser sees them. Media ids are the SFU node's mediasoup ids. */
import type { ProducerSource } from './mediasoupSchemas';

export type { ProducerSource };

/** A room in the lobby list. */
export interface RoomSummary {
  slug: string;
  name: string;
  hostName: string;
  hasPassword: boolean;
  locked: boolean;
  participants: number;
}

export interface RoomParticipant {
  userId: string;
  name: string;
  isHost: boolean;
  joinedAt: number;
}

export interface RoomProducer {
  producerId: string;
  userId: string;
  kind: 'audio' | 'video';
  source: ProducerSource;
  paused: boolean;
}

export interface ChatMessageView {
  id: string;
  clientId: string;
  userId: string;
  name: string;
  text: string;
  sentAt: number;
}

export interface RoomJoined {
  room: RoomSummary;
  self: RoomParticipant;
  participants: RoomParticipant[];
  producers: RoomProducer[];
  /** Most recent messages, oldest first. */
  chat: ChatMessageView[];
  routerRtpCapabilities: unknown;
}

export type RoomLeaveReason = 'left' | 'removed' | 'disconnected';

/** Why the room ended for this participant. */
export const roomClosedReasons = [
  'ended-by-host',
  'ended-by-admin',
  'removed-by-host',
  'removed-by-admin',
  'joined-elsewhere',
  'media-server-restarted',
] as const;
export type RoomClosedReason = (typeof roomClosedReasons)[number];

export const roomClosedText: Record<RoomClosedReason, string> = {
  'ended-by-host': 'The host ended the meeting',
  'ended-by-admin': 'The meeting was ended by an admin',
  'removed-by-host': 'The host removed you from the meeting',
  'removed-by-admin': 'An admin removed you from the meeting',
  'joined-elsewhere': 'You joined this meeting from another tab',
  'media-server-restarted': 'The media server restarted. Rejoin to continue',
};

/** Reasons after which the meeting is over for this user: the page sends them back to the lobby. */
export const backToLobbyReasons = ['ended-by-host', 'ended-by-admin', 'removed-by-host', 'removed-by-admin'] as const;
export type BackToLobbyReason = (typeof backToLobbyReasons)[number];

export const CHAT_MAX_CHARS = 2000;
export const ROOM_NAME_MAX = 60;
