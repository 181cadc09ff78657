/**
 * What an admin can do to live sessions and accounts. Each action runs, then is written to the
 * audit log, then is acknowledged. Identity (the actor) comes from the socket's session.
 */
import { ErrorCode, ProtocolError, type UserRole } from '../../protocol';
import type { CallRegistry } from '../calls/CallRegistry';
import type { Db } from '../db';
import type { Logger } from '../logger';
import { rooms as channels, type IoServer, type SocketUser } from '../realtime/types';
import type { LiveRoom } from '../rooms/LiveRoom';
import type { RoomRegistry } from '../rooms/RoomRegistry';
import type { AdminMonitor } from './AdminMonitor';
import type { AuditLog } from './audit';

const DISABLED_MESSAGE = 'Your account was disabled by an admin.';

export class AdminActions {
  constructor(
    private readonly io: IoServer,
    private readonly db: Db,
    private readonly rooms: RoomRegistry,
    private readonly calls: CallRegistry,
    private readonly monitor: AdminMonitor,
    private readonly audit: AuditLog,
    private readonly log: Logger,
  ) {}

  async endRoom(actor: SocketUser, roomId: string) {
    const room = this.liveRoom(roomId);
    const participants = [...room.participants.values()].map((p) => p.user.name);
    await this.rooms.end(room, 'ended-by-admin');
    await this.record(
      actor,
      'room.end',
      { type: 'room', id: room.id, label: room.stored.name },
      { slug: room.stored.slug, participants },
    );
  }

  async removeParticipant(actor: SocketUser, roomId: string, userId: string) {
    const room = this.liveRoom(roomId);
    const target = room.participants.get(userId);
    if (!target) throw new ProtocolError(ErrorCode.NotFound, 'That person is no longer in the room');
    await this.rooms.kick(room, target, 'removed-by-admin');
    await this.record(
      actor,
      'room.remove-participant',
      { type: 'room', id: room.id, label: room.stored.name },
      { userId, name: target.user.name },
    );
  }

  async endCall(actor: SocketUser, callId: string) {
    const call = this.calls.list().find((c) => c.callId === callId);
    if (!call || !this.calls.endCall(callId, 'ended-by-admin')) {
      throw new ProtocolError(ErrorCode.NotFound, 'That call has already ended');
    }
    const label = `${call.caller.name} ↔ ${call.callee.name}`;
    await this.record(actor, 'call.end', { type: 'call', id: callId, label }, { phase: call.phase });
  }

  /**
   * Disabling bans the account (better-auth's admin fields: sign-in is refused), deletes its
   * sessions (every cookie stops working), ends its call and room seats with an admin reason, and
   * drops its sockets at once: no grace period, nothing left to reconnect with.
   */
  async setDisabled(actor: SocketUser, userId: string, disabled: boolean, reason?: string) {
    if (userId === actor.id) throw new ProtocolError(ErrorCode.BadRequest, 'You cannot disable your own account');
    const user = await this.user(userId);
    if (user.banned === disabled) {
      throw new ProtocolError(ErrorCode.InvalidState, `${user.name} is already ${disabled ? 'disabled' : 'enabled'}`);
    }
    if (disabled) {
      await this.db.user.update({
        where: { id: userId },
        data: { banned: true, banReason: reason || 'Disabled by an admin', banExpires: null },
      });
      await this.db.session.deleteMany({ where: { userId } });
      await this.dropEverywhere(userId);
    } else {
      await this.db.user.update({ where: { id: userId }, data: { banned: false, banReason: null, banExpires: null } });
    }
    const target = { type: 'user', id: userId, label: user.name } as const;
    await this.record(actor, disabled ? 'user.disable' : 'user.enable', target, reason ? { reason } : undefined);
  }

  /** The change reaches live sockets at once: a demoted admin's dashboard stops on the spot. */
  async setRole(actor: SocketUser, userId: string, role: UserRole) {
    // Demoting yourself could leave the server with no admin at all; another admin must do it.
    if (userId === actor.id) throw new ProtocolError(ErrorCode.BadRequest, 'You cannot change your own role');
    const user = await this.user(userId);
    if ((user.role === 'admin' ? 'admin' : 'user') === role) {
      throw new ProtocolError(
        ErrorCode.InvalidState,
        `${user.name} is already ${role === 'admin' ? 'an admin' : 'not an admin'}`,
      );
    }
    await this.db.user.update({ where: { id: userId }, data: { role } });
    for (const socket of this.io.sockets.sockets.values()) {
      if (socket.data.user?.id === userId) socket.data.user = { ...socket.data.user, role };
    }
    if (role === 'user') this.monitor.revoke(userId, 'An admin removed your admin role.');
    await this.record(actor, role === 'admin' ? 'user.promote' : 'user.demote', {
      type: 'user',
      id: userId,
      label: user.name,
    });
  }

  private async dropEverywhere(userId: string) {
    const callId = this.calls.callIdOf(userId);
    if (callId) this.calls.endCall(callId, 'ended-by-admin');
    for (const room of this.rooms.liveRooms()) {
      const seat = room.participants.get(userId);
      if (seat) await this.rooms.kick(room, seat, 'removed-by-admin');
    }
    this.monitor.revoke(userId, DISABLED_MESSAGE);
    this.io.to(channels.user(userId)).emit('session:revoked', { reason: DISABLED_MESSAGE });
    this.io.in(channels.user(userId)).disconnectSockets(true);
  }

  private liveRoom(roomId: string): LiveRoom {
    const room = this.rooms.liveRooms().find((r) => r.id === roomId);
    if (!room) throw new ProtocolError(ErrorCode.NotFound, 'That meeting has already ended');
    return room;
  }

  private async user(userId: string) {
    const user = await this.db.user.findUnique({
      where: { id: userId },
      select: { name: true, role: true, banned: true },
    });
    if (!user) throw new ProtocolError(ErrorCode.NotFound, 'There is no such user');
    return user;
  }

  /** The action already happened: a failed audit write is logged loudly, not reported as a failed action. */
  private async record(...args: Parameters<AuditLog['record']>) {
    await this.audit.record(...args).catch((err: unknown) => {
      this.log.error({ err, action: args[1], target: args[2] }, 'audit log write failed');
    });
  }
}
