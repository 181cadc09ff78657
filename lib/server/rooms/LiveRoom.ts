/**
 * A room while a meeting is on: its seats, where its media lives (which SFU node, and which run of
 * it), and what the host decided (removed users, the stored room with its lock). Media ownership is
 * checked by the node, not here.
 */
import type { RoomClosedReason, RoomSummary } from '../../protocol';
import { Meeting } from './Meeting';
import type { Seat } from './Seat';
import type { StoredRoom } from './roomStore';
import type { SfuNode } from './sfuNodes';

/** Resume tokens of seats that were replaced or removed are remembered this many per room. */
const RETIRED_MAX = 256;

export class LiveRoom {
  readonly participants = new Map<string, Seat>();
  /** Removed by the host during this meeting: may not rejoin it. */
  readonly removed = new Set<string>();
  /** Seats taken from a browser (another tab joined, or the host removed them), by token digest. */
  private readonly retired = new Map<string, RoomClosedReason>();
  /** Spotlight and raised hands. */
  readonly meeting = new Meeting();
  /** `reconnecting` while the room's media is being re-created on another node (or a restarted one). */
  media: 'connected' | 'reconnecting' = 'connected';
  closed = false;

  constructor(
    public stored: StoredRoom,
    public node: SfuNode,
    /** The node's run when the room was opened there: another one after a reconnect means a restart. */
    public nodeId: string,
    readonly sessionId: string,
    public rtpCapabilities: unknown,
  ) {}

  get id() {
    return this.stored.id;
  }

  /** socket.io room holding every participant's socket. */
  get channel() {
    return `room:${this.stored.id}`;
  }

  /** The seats others can see (a seat still joining may yet fail). */
  listed(): Seat[] {
    return [...this.participants.values()].filter((s) => s.listed);
  }

  summary(): RoomSummary {
    return summaryOf(this.stored, this.listed().map((s) => s.user.name));
  }

  retire(seat: Seat, reason: RoomClosedReason) {
    if (this.retired.size >= RETIRED_MAX) this.retired.delete(this.retired.keys().next().value!);
    this.retired.set(seat.tokenId, reason);
  }

  retiredReason(tokenId: string): RoomClosedReason | undefined {
    return this.retired.get(tokenId);
  }

  /** The host's socket, if the host is in the room now. */
  hostSocket(): string | null {
    const host = this.participants.get(this.stored.hostId);
    return host?.listed && host.socketId ? host.socketId : null;
  }
}

/** How many names of the people inside a room the lobby shows. */
const INSIDE_SHOWN = 6;

export function summaryOf(room: StoredRoom, inside: string[]): RoomSummary {
  return {
    slug: room.slug,
    name: room.name,
    hostName: room.hostName,
    hasPassword: !!room.passwordHash,
    locked: room.locked,
    waitingRoom: room.waitingRoom,
    participants: inside.length,
    // Names only for open rooms: behind a password or a waiting room, the host chose who may be
    // there, and the lobby (everyone signed in) need not learn who is.
    inside: room.passwordHash || room.waitingRoom ? [] : inside.slice(0, INSIDE_SHOWN),
    lastActiveAt: room.lastActiveAt.getTime(),
  };
}
