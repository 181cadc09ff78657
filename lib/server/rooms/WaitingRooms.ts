/**
 * Knocks on rooms whose host lets people in. Kept by room id, so one may knock before anyone is in
 * the room (the knocker is told the host is not there yet). The host sees a live list; an admitted
 * user may join this room for a while (a reload does not knock again); a denied one may not knock
 * again before the cooldown, so a refusal cannot be turned into a stream of pop-ups.
 */
import type { WaitingEntry } from '../../protocol';
import { ErrorCode, ProtocolError } from '../../protocol';
import type { IoServer, SocketUser } from '../realtime/types';

/** How long an admission lets the user (re)join without knocking again. */
const ADMITTED_FOR_MS = 30 * 60_000;
/** After a refusal, knocks on that room are refused this long. */
const DENIED_FOR_MS = 5 * 60_000;
/** People waiting at one room at most. */
const MAX_WAITING = 100;

interface Knock extends WaitingEntry {
  socketId: string;
}

export class WaitingRooms {
  private readonly knocks = new Map<string, Map<string, Knock>>();
  /** roomId → userId → until (ms since the epoch). */
  private readonly admitted = new Map<string, Map<string, number>>();
  private readonly denied = new Map<string, Map<string, number>>();

  constructor(
    private readonly io: IoServer,
    /** The socket of the room's host, if they are in it now. */
    private readonly hostSocket: (roomId: string) => string | null,
  ) {}

  /** Puts the user in the room's waiting list (again: their newest socket counts). */
  knock(roomId: string, user: SocketUser, socketId: string): { hostPresent: boolean } {
    const refusedUntil = this.denied.get(roomId)?.get(user.id) ?? 0;
    if (refusedUntil > Date.now()) throw new ProtocolError(ErrorCode.Forbidden, 'The host did not let you in');
    const list = this.list(roomId, true);
    if (!list.has(user.id) && list.size >= MAX_WAITING) throw new ProtocolError(ErrorCode.RateLimited, 'Too many people are waiting; try again later');
    list.set(user.id, { userId: user.id, name: user.name, since: list.get(user.id)?.since ?? Date.now(), socketId });
    this.changed(roomId);
    return { hostPresent: this.hostSocket(roomId) !== null };
  }

  cancel(roomId: string, userId: string): void {
    if (this.knocks.get(roomId)?.delete(userId)) this.changed(roomId);
  }

  /** A socket went away: its knocks go (the page knocks again when it comes back). */
  socketGone(socketId: string): void {
    for (const [roomId, list] of this.knocks) {
      for (const [userId, knock] of list) if (knock.socketId === socketId) this.cancel(roomId, userId);
    }
  }

  /** Lets one waiting user in; false if they were not waiting. */
  admit(roomId: string, userId: string): boolean {
    const knock = this.knocks.get(roomId)?.get(userId);
    if (!knock) return false;
    this.knocks.get(roomId)!.delete(userId);
    this.mark(this.admitted, roomId, userId, ADMITTED_FOR_MS);
    this.io.to(knock.socketId).emit('room:admitted', {});
    this.changed(roomId);
    return true;
  }

  admitAll(roomId: string): number {
    const ids = [...(this.knocks.get(roomId)?.keys() ?? [])];
    return ids.filter((id) => this.admit(roomId, id)).length;
  }

  deny(roomId: string, userId: string): boolean {
    const knock = this.knocks.get(roomId)?.get(userId);
    if (!knock) return false;
    this.knocks.get(roomId)!.delete(userId);
    this.mark(this.denied, roomId, userId, DENIED_FOR_MS);
    this.io.to(knock.socketId).emit('room:denied', { message: 'The host did not let you in' });
    this.changed(roomId);
    return true;
  }

  isAdmitted(roomId: string, userId: string): boolean {
    return (this.admitted.get(roomId)?.get(userId) ?? 0) > Date.now();
  }

  /** The list the host sees, oldest knock first. */
  waiting(roomId: string): WaitingEntry[] {
    return [...(this.knocks.get(roomId)?.values() ?? [])].map(({ userId, name, since }) => ({ userId, name, since }));
  }

  /** The host came or went: the knockers are told, and the host gets the list. */
  hostChanged(roomId: string): void {
    const hostPresent = this.hostSocket(roomId) !== null;
    for (const knock of this.knocks.get(roomId)?.values() ?? []) this.io.to(knock.socketId).emit('room:knock-state', { hostPresent });
    this.changed(roomId);
  }

  /** The meeting ended: nobody waits for it, and admissions end with it. */
  roomEnded(roomId: string): void {
    for (const knock of this.knocks.get(roomId)?.values() ?? []) this.io.to(knock.socketId).emit('room:denied', { message: 'This meeting has ended' });
    this.knocks.delete(roomId);
    this.admitted.delete(roomId);
  }

  private changed(roomId: string): void {
    const host = this.hostSocket(roomId);
    if (host) this.io.to(host).emit('room:waiting', { waiting: this.waiting(roomId) });
    if (this.knocks.get(roomId)?.size === 0) this.knocks.delete(roomId);
  }

  private list(roomId: string, create: true): Map<string, Knock> {
    let list = this.knocks.get(roomId);
    if (!list && create) this.knocks.set(roomId, (list = new Map()));
    return list!;
  }

  private mark(where: Map<string, Map<string, number>>, roomId: string, userId: string, forMs: number): void {
    let m = where.get(roomId);
    if (!m) where.set(roomId, (m = new Map()));
    const now = Date.now();
    for (const [id, until] of m) if (until <= now) m.delete(id); // expired marks go as new ones come
    m.set(userId, now + forMs);
  }
}
