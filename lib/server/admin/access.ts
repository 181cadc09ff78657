/**
 * Who is an admin *now*. A socket's role was read when it connected, but roles change while it is
 * open (promote/demote from the dashboard, a ban, a change straight in the database), so every
 * admin event and every snapshot push checks the database instead of trusting socket.data.
 */
import { ErrorCode, ProtocolError, type UserRole } from '../../protocol';
import type { Db } from '../db';
import type { IoSocket } from '../realtime/types';

export class AdminAccess {
  constructor(private readonly db: Db) {}

  /** Current role of each user that exists and is not disabled (disabled users have none). */
  async roles(userIds: string[]): Promise<Map<string, UserRole>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.user.findMany({
      where: { id: { in: [...new Set(userIds)] }, banned: false },
      select: { id: true, role: true },
    });
    return new Map(rows.map((r) => [r.id, r.role === 'admin' ? 'admin' : 'user']));
  }

  /** Throws FORBIDDEN unless the socket's user is an admin at this moment. */
  async require(socket: IoSocket): Promise<void> {
    const role = (await this.roles([socket.data.user.id])).get(socket.data.user.id);
    // Keep the socket's copy current too: other modules read it (e.g. presence's role column).
    if (role && role !== socket.data.user.role) socket.data.user = { ...socket.data.user, role };
    if (role !== 'admin') throw new ProtocolError(ErrorCode.Forbidden, 'Only admins can do that');
  }
}
