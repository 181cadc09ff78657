/**
 * The rooms open on this node, by id. Opening is idempotent and race-free (concurrent room:open
 * calls share one creation). Rooms watch their own workers (see Room) and leave this map when they
 * close, whatever the reason.
 */
import type { Logger } from '../lib/server/logger';
import { invalidState, notFound } from './errors';
import { Room, type RoomCloseReason } from './Room';
import type { EmitSfuEvent } from './types';
import type { WorkerPool } from './workers';

export class Rooms {
  private readonly rooms = new Map<string, Room>();
  private readonly opening = new Map<string, Promise<Room>>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly emit: EmitSfuEvent,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.rooms.size;
  }

  open(roomId: string): Promise<Room> {
    const room = this.rooms.get(roomId);
    if (room) return Promise.resolve(room);
    let pending = this.opening.get(roomId);
    if (!pending) {
      pending = Room.create({
        id: roomId,
        pool: this.pool,
        emit: this.emit,
        log: this.log,
        onClose: (closed) => {
          if (this.rooms.get(roomId) === closed) this.rooms.delete(roomId);
        },
      }).then((created) => {
        // Closed while it was being set up (a room:close raced the open): it was never reported open.
        if (created.isClosed) throw invalidState(`Room ${roomId} closed while opening`);
        this.rooms.set(roomId, created);
        this.log.info({ roomId }, 'room opened');
        return created;
      });
      this.opening.set(roomId, pending);
      const settle = () => this.opening.delete(roomId);
      pending.then(settle, settle);
    }
    return pending;
  }

  /** The ids of the open rooms. */
  ids(): string[] {
    return [...this.rooms.keys()];
  }

  get(roomId: string): Room | undefined {
    return this.rooms.get(roomId);
  }

  /** The open room, or NOT_FOUND (the web process must room:open it on this node first). */
  require(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw notFound(`Room ${roomId} is not open on this node`);
    return room;
  }

  close(roomId: string, reason: RoomCloseReason): void {
    this.rooms.get(roomId)?.close(reason);
  }

  closeAll(reason: RoomCloseReason): void {
    for (const room of [...this.rooms.values()]) room.close(reason);
  }
}
