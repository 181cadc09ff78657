/**
 * Rooms as the lobby and their hosts see them, outside any meeting: the list (live rooms first,
 * with who is inside; rooms unused for ROOM_ARCHIVE_DAYS drop off), a host's own rooms, creating,
 * renaming and deleting. Meetings themselves are RoomRegistry's.
 */
import { ErrorCode, ProtocolError, type RoomSummary } from '../../protocol';
import type { Logger } from '../logger';
import { rooms as channels, type IoServer, type SocketUser } from '../realtime/types';
import { summaryOf, type LiveRoom } from './LiveRoom';
import type { RoomStore, StoredRoom } from './roomStore';
import { hashRoomPassword, slugFor } from './secrets';

interface DirectoryDeps {
  store: RoomStore;
  io: IoServer;
  /** The live meeting of a room, if one is on. */
  live: (roomId: string) => LiveRoom | undefined;
  /** Ends a live meeting for everyone (a deleted room). */
  endLive: (room: LiveRoom) => Promise<void>;
  archiveDays: number;
  log: Logger;
}

export class RoomDirectory {
  constructor(private readonly deps: DirectoryDeps) {}

  /** Live meetings first (the fullest first), then the most recently used rooms. */
  async list(): Promise<RoomSummary[]> {
    const summaries = (await this.deps.store.listOpen(this.deps.archiveDays)).map((r) => this.summary(r));
    return summaries.sort((a, b) => b.participants - a.participants || b.lastActiveAt - a.lastActiveAt);
  }

  /** "My rooms": the user's own open rooms, archived ones included. */
  async mine(userId: string): Promise<RoomSummary[]> {
    return (await this.deps.store.ownedBy(userId)).map((r) => this.summary(r));
  }

  async create(user: SocketUser, name: string, password?: string, waitingRoom = false): Promise<RoomSummary> {
    const stored = await this.deps.store.create({
      slug: slugFor(name),
      name,
      hostId: user.id,
      passwordHash: password ? await hashRoomPassword(password) : null,
      waitingRoom,
    });
    const summary = summaryOf(stored, []);
    this.deps.io.to(channels.presence).emit('rooms:updated', { room: summary });
    this.deps.log.info({ roomId: stored.id, slug: stored.slug }, 'room created');
    return summary;
  }

  /** The host renames a room; its address stays. Everyone sees the new name, in the lobby and inside. */
  async rename(user: SocketUser, slug: string, name: string): Promise<RoomSummary> {
    const stored = await this.owned(user, slug);
    await this.deps.store.rename(stored.id, name);
    const live = this.deps.live(stored.id);
    if (live) {
      live.stored = { ...live.stored, name };
      this.deps.io.to(live.channel).emit('room:renamed', { name });
    }
    const summary = this.summary({ ...stored, name });
    this.deps.io.to(channels.presence).emit('rooms:updated', { room: summary });
    return summary;
  }

  /** The host deletes a room: a meeting on in it ends for everyone, and it can no longer be joined. */
  async remove(user: SocketUser, slug: string): Promise<void> {
    const stored = await this.owned(user, slug);
    const live = this.deps.live(stored.id);
    if (live) await this.deps.endLive(live);
    else await this.deps.store.end(stored.id);
    this.deps.io.to(channels.presence).emit('rooms:removed', { slug });
    this.deps.log.info({ roomId: stored.id, slug }, 'room deleted by its host');
  }

  private summary(room: StoredRoom): RoomSummary {
    return this.deps.live(room.id)?.summary() ?? summaryOf(room, []);
  }

  private async owned(user: SocketUser, slug: string): Promise<StoredRoom> {
    const stored = await this.deps.store.bySlug(slug);
    if (!stored || stored.endedAt) throw new ProtocolError(ErrorCode.NotFound, 'There is no room at this address');
    if (stored.hostId !== user.id) throw new ProtocolError(ErrorCode.Forbidden, 'Only the host can do that');
    return stored;
  }
}
