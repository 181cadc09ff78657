/**
 * Live push to the admin dashboard. Subscribed admin sockets sit in one socket.io room; while it
 * has at least one member, a snapshot goes out every ADMIN_SNAPSHOT_INTERVAL_MS, and nothing runs
 * otherwise (each snapshot costs SFU stats requests).
 *
 * Before each push the subscribers' roles are re-read: someone demoted or disabled since the last
 * push (from the dashboard, or straight in the database) is dropped from the room and told why,
 * so a former admin never receives another snapshot.
 */
import { ADMIN_SNAPSHOT_INTERVAL_MS, type AdminSnapshot } from '../../protocol';
import type { Logger } from '../logger';
import type { IoServer, IoSocket } from '../realtime/types';
import type { AdminAccess } from './access';
import { buildSnapshot, type SnapshotSources } from './snapshot';

/** socket.io room of the subscribed admin sockets. */
export const ADMINS_CHANNEL = 'admins';

export class AdminMonitor {
  /** socket id → user id of every subscribed socket. */
  private readonly subscribers = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private pushing = false;

  constructor(
    private readonly io: IoServer,
    private readonly sources: SnapshotSources,
    private readonly access: AdminAccess,
    private readonly log: Logger,
  ) {}

  get subscriberCount() {
    return this.subscribers.size;
  }

  /** Joins the push room; resolves with a snapshot so the dashboard has data at once. */
  async subscribe(socket: IoSocket): Promise<AdminSnapshot> {
    this.subscribers.set(socket.id, socket.data.user.id);
    await socket.join(ADMINS_CHANNEL);
    this.timer ??= setInterval(() => void this.push(), ADMIN_SNAPSHOT_INTERVAL_MS);
    return buildSnapshot(this.sources);
  }

  unsubscribe(socket: IoSocket) {
    void socket.leave(ADMINS_CHANNEL);
    this.forget(socket.id);
  }

  /** The socket is gone (socket.io already took it out of the room). */
  disconnected(socket: IoSocket) {
    this.forget(socket.id);
  }

  /** Stops pushes to every socket of a user who is no longer an admin, and tells them. */
  revoke(userId: string, reason: string) {
    for (const [socketId, subscriber] of [...this.subscribers]) {
      if (subscriber !== userId) continue;
      this.io.in(socketId).socketsLeave(ADMINS_CHANNEL);
      this.io.to(socketId).emit('admin:revoked', { reason });
      this.forget(socketId);
    }
  }

  close() {
    clearInterval(this.timer);
    this.timer = undefined;
    this.subscribers.clear();
  }

  private forget(socketId: string) {
    this.subscribers.delete(socketId);
    if (this.subscribers.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async push() {
    // A push still building (a slow node) is not stacked on: the next tick tries again.
    if (this.pushing) return;
    this.pushing = true;
    try {
      const roles = await this.access.roles([...new Set(this.subscribers.values())]);
      for (const userId of new Set(this.subscribers.values())) {
        if (roles.get(userId) !== 'admin') this.revoke(userId, 'You are no longer an admin.');
      }
      if (this.subscribers.size === 0) return;
      this.io.to(ADMINS_CHANNEL).emit('admin:snapshot', await buildSnapshot(this.sources));
    } catch (err) {
      this.log.error({ err }, 'admin snapshot failed');
    } finally {
      this.pushing = false;
    }
  }
}
