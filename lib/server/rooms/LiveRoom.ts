/**
 * A room while a meeting is on: who is in it, on which socket, and which media ids (transports,
 * producers, consumers) each participant owns on the SFU node. Every media request from a browser is
 * checked against this ownership before it is forwarded.
 */
import { ErrorCode, ProtocolError, type RoomParticipant, type RoomProducer, type RoomSummary } from '../../protocol';
import type { SocketUser } from '../realtime/types';
import type { StoredRoom } from './roomStore';
import type { SfuNode } from './sfuNodes';

export interface LiveParticipant {
  user: SocketUser;
  socketId: string;
  joinedAt: number;
  isHost: boolean;
  transports: Set<string>;
  producers: Map<string, RoomProducer>;
  consumers: Set<string>;
}

export class LiveRoom {
  readonly participants = new Map<string, LiveParticipant>();
  /** Removed by the host during this meeting: may not rejoin it. */
  readonly removed = new Set<string>();
  closed = false;

  constructor(
    public stored: StoredRoom,
    readonly node: SfuNode,
    readonly sessionId: string,
    readonly rtpCapabilities: unknown,
  ) {}

  get id() {
    return this.stored.id;
  }

  /** socket.io room holding every participant's socket. */
  get channel() {
    return `room:${this.stored.id}`;
  }

  participantView(p: LiveParticipant): RoomParticipant {
    return { userId: p.user.id, name: p.user.name, isHost: p.isHost, joinedAt: p.joinedAt };
  }

  producers(exceptUserId?: string): RoomProducer[] {
    const all: RoomProducer[] = [];
    for (const p of this.participants.values()) if (p.user.id !== exceptUserId) all.push(...p.producers.values());
    return all;
  }

  /** The participant that owns a producer, if any. */
  producerOwner(producerId: string): LiveParticipant | undefined {
    for (const p of this.participants.values()) if (p.producers.has(producerId)) return p;
    return undefined;
  }

  summary(): RoomSummary {
    return summaryOf(this.stored, this.participants.size);
  }

  mustOwnTransport(p: LiveParticipant, transportId: string) {
    if (!p.transports.has(transportId)) throw new ProtocolError(ErrorCode.Forbidden, 'Not your transport');
  }

  mustOwnProducer(p: LiveParticipant, producerId: string): RoomProducer {
    const producer = p.producers.get(producerId);
    if (!producer) throw new ProtocolError(ErrorCode.Forbidden, 'Not your producer');
    return producer;
  }

  mustOwnConsumer(p: LiveParticipant, consumerId: string) {
    if (!p.consumers.has(consumerId)) throw new ProtocolError(ErrorCode.Forbidden, 'Not your consumer');
  }
}

export function summaryOf(room: StoredRoom, participants: number): RoomSummary {
  return {
    slug: room.slug,
    name: room.name,
    hostName: room.hostName,
    hasPassword: !!room.passwordHash,
    locked: room.locked,
    participants,
  };
}
