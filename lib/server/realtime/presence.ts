/**
 * Who is online. A user is one presence however many tabs (sockets) they have open. Changes go out
 * as diffs (joined / left / status) to every authenticated socket, batched by PresenceBatcher; a
 * full list is only ever sent as the snapshot a client asks for when it (re)connects.
 */
import type { PresenceDiff, PresenceSnapshot, PresenceStatus, PresenceUser } from '../../protocol';
import { PresenceBatcher } from './presenceBatcher';
import { rooms, type IoServer, type IoSocket, type SocketUser } from './types';

interface Entry {
  user: SocketUser;
  sockets: Set<string>;
  status: PresenceStatus;
  /** When the user came online (their first tab connected). */
  since: number;
  /** Pending "left" after the last socket closed; cancelled if a socket returns in time. */
  linger?: NodeJS.Timeout;
}

/** Other modules (calls, rooms) report a user's activity; null means "not busy here". */
export type StatusSource = (userId: string) => PresenceStatus | null;

export class Presence {
  private readonly entries = new Map<string, Entry>();
  private readonly sources: StatusSource[] = [];
  private readonly diffs: PresenceBatcher;

  constructor(
    io: IoServer,
    private readonly lingerMs: number,
    batchMs: number,
  ) {
    this.diffs = new PresenceBatcher((diffs: PresenceDiff[]) => io.to(rooms.presence).emit('presence:diffs', diffs), batchMs);
  }

  addStatusSource(source: StatusSource) {
    this.sources.push(source);
  }

  connect(socket: IoSocket) {
    const { user } = socket.data;
    void socket.join([rooms.presence, rooms.user(user.id), rooms.session(socket.data.sessionId)]);
    const entry = this.entries.get(user.id);
    if (entry) {
      clearTimeout(entry.linger);
      entry.linger = undefined;
      entry.sockets.add(socket.id);
      return;
    }
    const created: Entry = { user, sockets: new Set([socket.id]), status: this.computeStatus(user.id), since: Date.now() };
    this.entries.set(user.id, created);
    this.diffs.push({ type: 'joined', user: this.view(created) });
  }

  disconnect(socket: IoSocket) {
    const entry = this.entries.get(socket.data.user.id);
    if (!entry || !entry.sockets.delete(socket.id) || entry.sockets.size > 0) return;
    const leave = () => {
      if (entry.sockets.size > 0 || this.entries.get(entry.user.id) !== entry) return;
      this.entries.delete(entry.user.id);
      this.diffs.push({ type: 'left', userId: entry.user.id });
    };
    if (this.lingerMs > 0) entry.linger = setTimeout(leave, this.lingerMs);
    else leave();
  }

  isOnline(userId: string): boolean {
    const entry = this.entries.get(userId);
    return !!entry && entry.sockets.size > 0;
  }

  user(userId: string): SocketUser | undefined {
    return this.entries.get(userId)?.user;
  }

  status(userId: string): PresenceStatus | undefined {
    return this.entries.get(userId)?.status;
  }

  /** Recompute a user's status from the sources and broadcast it if it changed. */
  refresh(userId: string) {
    const entry = this.entries.get(userId);
    if (!entry) return;
    const status = this.computeStatus(userId);
    if (status === entry.status) return;
    entry.status = status;
    this.diffs.push({ type: 'status', userId, status });
  }

  snapshot(me: SocketUser): PresenceSnapshot {
    const users: PresenceUser[] = [];
    for (const entry of this.entries.values()) if (entry.user.id !== me.id) users.push(this.view(entry));
    users.sort((a, b) => a.name.localeCompare(b.name));
    const mine = this.entries.get(me.id);
    return { me: mine ? this.view(mine) : { id: me.id, name: me.name, status: 'available' }, users };
  }

  /** Everyone online, with their open tabs and since when (admin dashboard). */
  list(): { user: SocketUser; status: PresenceStatus; tabs: number; since: number }[] {
    return [...this.entries.values()].map((e) => ({
      user: e.user,
      status: e.status,
      tabs: e.sockets.size,
      since: e.since,
    }));
  }

  get onlineCount() {
    return this.entries.size;
  }

  close() {
    this.diffs.close();
    for (const entry of this.entries.values()) clearTimeout(entry.linger);
    this.entries.clear();
  }

  private computeStatus(userId: string): PresenceStatus {
    for (const source of this.sources) {
      const status = source(userId);
      if (status) return status;
    }
    return 'available';
  }

  private view(entry: Entry): PresenceUser {
    return { id: entry.user.id, name: entry.user.name, status: entry.status };
  }
}
