/**
 * Database side of rooms: the Room rows, chat, and the meeting records (CallSession kind ROOM with
 * one Participation per user). Live state is in RoomRegistry; this module only reads and writes rows.
 */
import type { ChatMessageView } from '../../protocol';
import type { Db } from '../db';

export interface StoredRoom {
  id: string;
  slug: string;
  name: string;
  hostId: string;
  hostName: string;
  passwordHash: string | null;
  locked: boolean;
  waitingRoom: boolean;
  endedAt: Date | null;
  /** When a meeting last started or ended here; creation time until then. */
  lastActiveAt: Date;
}

const HISTORY = 100;

export class RoomStore {
  constructor(private readonly db: Db) {}

  async create(data: { slug: string; name: string; hostId: string; passwordHash: string | null; waitingRoom: boolean }): Promise<StoredRoom> {
    const row = await this.db.room.create({ data, include: { host: { select: { name: true } } } });
    return toStored(row);
  }

  async bySlug(slug: string): Promise<StoredRoom | null> {
    const row = await this.db.room.findUnique({ where: { slug }, include: { host: { select: { name: true } } } });
    return row ? toStored(row) : null;
  }

  /** Open rooms used within `archiveDays` (or created then and never used), the most recently active first. */
  async listOpen(archiveDays: number, limit = 200): Promise<StoredRoom[]> {
    const since = new Date(Date.now() - archiveDays * 86_400_000);
    const rows = await this.db.room.findMany({
      where: { endedAt: null, OR: [{ lastActiveAt: { gte: since } }, { lastActiveAt: null, createdAt: { gte: since } }] },
      orderBy: [{ lastActiveAt: 'desc' }, { createdAt: 'desc' }],
      take: limit,
      include: { host: { select: { name: true } } },
    });
    return rows.map(toStored).sort((a, b) => b.lastActiveAt.getTime() - a.lastActiveAt.getTime());
  }

  /** A host's open rooms, archived ones too ("My rooms"). */
  async ownedBy(hostId: string, limit = 200): Promise<StoredRoom[]> {
    const rows = await this.db.room.findMany({
      where: { endedAt: null, hostId },
      orderBy: [{ lastActiveAt: 'desc' }, { createdAt: 'desc' }],
      take: limit,
      include: { host: { select: { name: true } } },
    });
    return rows.map(toStored).sort((a, b) => b.lastActiveAt.getTime() - a.lastActiveAt.getTime());
  }

  /** A meeting started or ended here. */
  async touch(roomId: string) {
    await this.db.room.update({ where: { id: roomId }, data: { lastActiveAt: new Date() } });
  }

  async rename(roomId: string, name: string) {
    await this.db.room.update({ where: { id: roomId }, data: { name } });
  }

  async setLocked(roomId: string, locked: boolean) {
    await this.db.room.update({ where: { id: roomId }, data: { locked } });
  }

  async setWaitingRoom(roomId: string, waitingRoom: boolean) {
    await this.db.room.update({ where: { id: roomId }, data: { waitingRoom } });
  }

  async end(roomId: string) {
    await this.db.room.update({ where: { id: roomId }, data: { endedAt: new Date(), locked: false } });
  }

  /**
   * Stores a message once: a retry with the same clientId (after a reconnect, say) returns the
   * stored message instead of a duplicate. The ack is sent only after this resolves.
   */
  async addMessage(roomId: string, userId: string, clientId: string, text: string): Promise<ChatMessageView> {
    const include = { user: { select: { name: true } } } as const;
    const existing = await this.db.chatMessage.findUnique({ where: { userId_clientId: { userId, clientId } }, include });
    const row = existing ?? (await this.db.chatMessage.create({ data: { roomId, userId, clientId, text }, include }));
    return toMessage(row);
  }

  async history(roomId: string): Promise<ChatMessageView[]> {
    const rows = await this.db.chatMessage.findMany({
      where: { roomId },
      orderBy: { createdAt: 'desc' },
      take: HISTORY,
      include: { user: { select: { name: true } } },
    });
    return rows.reverse().map(toMessage);
  }

  async startMeeting(roomId: string, hostId: string): Promise<string> {
    const row = await this.db.callSession.create({
      data: { kind: 'ROOM', roomId, createdById: hostId, answeredAt: new Date() },
    });
    return row.id;
  }

  async endMeeting(sessionId: string, reason: string) {
    const now = new Date();
    await this.db.callSession.update({ where: { id: sessionId }, data: { endedAt: now, endReason: reason } });
    await this.db.participation.updateMany({
      where: { sessionId, leftAt: null },
      data: { leftAt: now, leaveReason: reason },
    });
  }

  /** A user (re)joins the meeting: one Participation per user and meeting, re-opened on rejoin. */
  async joined(sessionId: string, userId: string, isHost: boolean) {
    const now = new Date();
    await this.db.participation.upsert({
      where: { sessionId_userId: { sessionId, userId } },
      create: { sessionId, userId, role: isHost ? 'host' : 'member', joinedAt: now },
      update: { joinedAt: now, leftAt: null, leaveReason: null },
    });
  }

  async left(sessionId: string, userId: string, reason: string) {
    await this.db.participation.updateMany({
      where: { sessionId, userId, leftAt: null },
      data: { leftAt: new Date(), leaveReason: reason },
    });
  }
}

type RoomRow = {
  id: string;
  slug: string;
  name: string;
  hostId: string;
  passwordHash: string | null;
  locked: boolean;
  waitingRoom: boolean;
  endedAt: Date | null;
  createdAt: Date;
  lastActiveAt: Date | null;
  host: { name: string };
};

function toStored(row: RoomRow): StoredRoom {
  const { id, slug, name, hostId, passwordHash, locked, waitingRoom, endedAt } = row;
  return { id, slug, name, hostId, passwordHash, locked, waitingRoom, endedAt, lastActiveAt: row.lastActiveAt ?? row.createdAt, hostName: row.host.name };
}

function toMessage(row: {
  id: string;
  clientId: string;
  userId: string;
  text: string;
  createdAt: Date;
  user: { name: string };
}): ChatMessageView {
  return {
    id: row.id,
    clientId: row.clientId,
    userId: row.userId,
    name: row.user.name,
    text: row.text,
    sentAt: row.createdAt.getTime(),
  };
}
