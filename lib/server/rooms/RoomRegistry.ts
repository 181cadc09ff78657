/**
 * Rooms while they are live: joining (password, lock, host), leaving, the meeting's lifetime (opened
 * on the SFU node by the first join, closed after the last leave), the lobby's room list, and what
 * the SFU node reports about a room (closed consumers, active speaker, a dead worker).
 */
import {
  ErrorCode,
  ProtocolError,
  type PresenceStatus,
  type RoomClosedReason,
  type RoomJoined,
  type RoomLeaveReason,
  type RoomSummary,
} from '../../protocol';
import { GuessLimiter } from '../guessLimiter';
import type { Logger } from '../logger';
import type { Presence } from '../realtime/presence';
import { rooms as channels, type IoServer, type IoSocket } from '../realtime/types';
import { LiveRoom, summaryOf, type LiveParticipant } from './LiveRoom';
import type { RoomStore, StoredRoom } from './roomStore';
import { checkRoomPassword, hashRoomPassword, slugFor } from './secrets';
import type { SfuNode, SfuNodes } from './sfuNodes';

export class RoomRegistry {
  private readonly live = new Map<string, LiveRoom>();
  /** Opening a room on a node is async; concurrent first joins share one attempt. */
  private readonly opening = new Map<string, Promise<LiveRoom>>();
  private readonly bySocket = new Map<string, LiveRoom>();
  private readonly wired = new WeakSet<SfuNode>();
  /**
   * The tail of each user's queue of joins and leaves. They run one at a time, in arrival order:
   * each awaits the database and the SFU node, and interleaved they used to leave a ghost seat (a
   * socket that sent two joins at once, then disconnected, stayed a participant for good).
   */
  private readonly userQueues = new Map<string, Promise<unknown>>();
  /** Wrong room passwords: per user and room, and per room from everyone (a spread-out guesser). */
  private readonly passwordGuesses = new GuessLimiter([
    { points: 5, windowSeconds: 60 },
    { points: 50, windowSeconds: 60 },
  ]);

  constructor(
    private readonly io: IoServer,
    private readonly presence: Presence,
    private readonly store: RoomStore,
    private readonly nodes: SfuNodes,
    private readonly log: Logger,
  ) {
    presence.addStatusSource((userId) => this.statusOf(userId));
    for (const node of nodes.nodes) this.wire(node);
  }

  statusOf(userId: string): PresenceStatus | null {
    for (const room of this.live.values()) if (room.participants.has(userId)) return 'in-room';
    return null;
  }

  liveRooms(): LiveRoom[] {
    return [...this.live.values()];
  }

  /** The room this socket is in, and its participant entry; throws if it is in none. */
  membership(socket: IoSocket): { room: LiveRoom; me: LiveParticipant } {
    const room = this.bySocket.get(socket.id);
    const me = room?.participants.get(socket.data.user.id);
    if (!room || !me || me.socketId !== socket.id) throw new ProtocolError(ErrorCode.Forbidden, 'Join a room first');
    return { room, me };
  }

  async list(): Promise<RoomSummary[]> {
    const stored = await this.store.listOpen();
    return stored.map((r) => this.live.get(r.id)?.summary() ?? summaryOf(r, 0));
  }

  async create(socket: IoSocket, name: string, password?: string): Promise<RoomSummary> {
    const stored = await this.store.create({
      slug: slugFor(name),
      name,
      hostId: socket.data.user.id,
      passwordHash: password ? await hashRoomPassword(password) : null,
    });
    const summary = summaryOf(stored, 0);
    this.io.to(channels.presence).emit('rooms:updated', { room: summary });
    this.log.info({ roomId: stored.id, slug: stored.slug }, 'room created');
    return summary;
  }

  join(socket: IoSocket, slug: string, password: string | undefined, inCall: boolean): Promise<RoomJoined> {
    return this.serially(socket.data.user.id, () => this.joinNow(socket, slug, password, inCall));
  }

  leave(socket: IoSocket, reason: RoomLeaveReason): Promise<void> {
    return this.serially(socket.data.user.id, () => this.leaveNow(socket, reason));
  }

  private serially<T>(userId: string, op: () => Promise<T>): Promise<T> {
    const run = (this.userQueues.get(userId) ?? Promise.resolve()).then(op, op);
    const tail = run.catch(() => undefined);
    this.userQueues.set(userId, tail);
    void tail.then(() => {
      if (this.userQueues.get(userId) === tail) this.userQueues.delete(userId);
    });
    return run;
  }

  private async joinNow(socket: IoSocket, slug: string, password: string | undefined, inCall: boolean): Promise<RoomJoined> {
    const user = socket.data.user;
    if (socket.disconnected) throw new ProtocolError(ErrorCode.InvalidState, 'Disconnected');
    if (inCall) throw new ProtocolError(ErrorCode.InvalidState, 'Hang up your call before joining a room');
    const stored = await this.store.bySlug(slug);
    if (!stored) throw new ProtocolError(ErrorCode.NotFound, 'There is no room at this address');
    if (stored.endedAt) throw new ProtocolError(ErrorCode.InvalidState, 'This meeting has ended');
    const isHost = stored.hostId === user.id;
    const current = this.live.get(stored.id);
    if (!isHost) {
      if (current?.removed.has(user.id)) throw new ProtocolError(ErrorCode.Forbidden, 'The host removed you from this meeting');
      if (current?.stored.locked ?? stored.locked) throw new ProtocolError(ErrorCode.RoomLocked, 'The host has locked this room');
      if (stored.passwordHash) {
        if (!password) throw new ProtocolError(ErrorCode.WrongPassword, 'This room is protected by a password');
        const keys = [`${user.id}|${stored.id}`, stored.id];
        const wait = await this.passwordGuesses.take(keys);
        if (wait !== null) throw new ProtocolError(ErrorCode.RateLimited, `Too many wrong passwords. Try again in ${wait} s`);
        if (!(await checkRoomPassword(password, stored.passwordHash))) {
          throw new ProtocolError(ErrorCode.WrongPassword, 'That password is not right');
        }
        await this.passwordGuesses.succeeded(keys);
      }
    }

    // One room per socket, one socket per user and room.
    if (this.bySocket.has(socket.id)) await this.leaveNow(socket, 'left');
    const room = await this.open(stored, user.id);
    const previous = room.participants.get(user.id);
    if (previous) {
      this.io.to(previous.socketId).emit('room:closed', { reason: 'joined-elsewhere' });
      await this.remove(room, previous, 'left');
    }

    const joined = await room.node.request('peer:join', { roomId: room.id, peerId: user.id });
    // The last participant may have left (closing the meeting) while this join awaited the node.
    if (room.closed) throw new ProtocolError(ErrorCode.Unavailable, 'The meeting closed as you joined; join again');
    const me: LiveParticipant = {
      user,
      socketId: socket.id,
      joinedAt: Date.now(),
      isHost,
      transports: new Set(),
      producers: new Map(),
      consumers: new Set(),
    };
    room.participants.set(user.id, me);
    this.bySocket.set(socket.id, room);
    await socket.join(room.channel);
    socket.to(room.channel).emit('room:participant-joined', { participant: room.participantView(me) });
    this.roomChanged(room);
    this.presence.refresh(user.id);
    this.log.info({ roomId: room.id, userId: user.id, worker: joined.workerPid }, 'joined room');
    void this.store.joined(room.sessionId, user.id, isHost).catch((err: unknown) => this.log.error({ err }, 'participation write failed'));

    return {
      room: room.summary(),
      self: room.participantView(me),
      participants: [...room.participants.values()].map((p) => room.participantView(p)),
      producers: room.producers(user.id),
      chat: await this.store.history(room.id),
      routerRtpCapabilities: joined.rtpCapabilities,
    };
  }

  private async leaveNow(socket: IoSocket, reason: RoomLeaveReason) {
    const room = this.bySocket.get(socket.id);
    const me = room?.participants.get(socket.data.user.id);
    this.bySocket.delete(socket.id);
    if (!room || !me || me.socketId !== socket.id) return;
    await socket.leave(room.channel);
    await this.remove(room, me, reason);
  }

  /** Ends the meeting for everyone (host or admin). The room can no longer be joined. */
  async end(room: LiveRoom, reason: Extract<RoomClosedReason, 'ended-by-host' | 'ended-by-admin'>) {
    await this.store.end(room.id);
    room.stored = { ...room.stored, endedAt: new Date() };
    await this.closeFor(room, reason, true);
    this.io.to(channels.presence).emit('rooms:removed', { slug: room.stored.slug });
  }

  async setLocked(room: LiveRoom, locked: boolean) {
    await this.store.setLocked(room.id, locked);
    room.stored = { ...room.stored, locked };
    this.io.to(room.channel).emit('room:updated', { locked });
    this.roomChanged(room);
  }

  /** Removes one participant, as the host (or an admin) asked; they may not rejoin this meeting. */
  async kick(
    room: LiveRoom,
    target: LiveParticipant,
    reason: Extract<RoomClosedReason, `removed-by-${string}`> = 'removed-by-host',
  ) {
    room.removed.add(target.user.id);
    this.io.to(target.socketId).emit('room:closed', { reason });
    const socket = this.io.sockets.sockets.get(target.socketId);
    if (socket) await this.leave(socket, 'removed');
    else await this.remove(room, target, 'removed');
  }

  /** The node went away: its rooms are gone with it. Participants are told to rejoin. */
  nodeLost(node: SfuNode) {
    for (const room of [...this.live.values()]) if (room.node === node) void this.closeFor(room, 'media-server-restarted', false);
  }

  async shutdown() {
    await Promise.all([...this.live.values()].map((room) => this.closeFor(room, 'media-server-restarted', true)));
  }

  private async open(stored: StoredRoom, userId: string): Promise<LiveRoom> {
    const existing = this.live.get(stored.id);
    if (existing && !existing.closed) return existing;
    let pending = this.opening.get(stored.id);
    if (!pending) {
      pending = (async () => {
        const node = this.nodes.pick();
        if (!node) throw new ProtocolError(ErrorCode.Unavailable, 'The media server is not available right now. Try again shortly');
        const { rtpCapabilities } = await node.request('room:open', { roomId: stored.id });
        const sessionId = await this.store.startMeeting(stored.id, userId);
        const room = new LiveRoom(stored, node, sessionId, rtpCapabilities);
        this.live.set(stored.id, room);
        this.nodes.roomOpened(node);
        this.log.info({ roomId: stored.id }, 'meeting started');
        return room;
      })().finally(() => this.opening.delete(stored.id));
      this.opening.set(stored.id, pending);
    }
    return pending;
  }

  private async remove(room: LiveRoom, p: LiveParticipant, reason: RoomLeaveReason) {
    if (room.participants.get(p.user.id) !== p) return;
    room.participants.delete(p.user.id);
    if (this.bySocket.get(p.socketId) === room) this.bySocket.delete(p.socketId);
    // Closing the peer on the node closes its producers, and with them every consumer of them.
    await room.node.request('peer:leave', { roomId: room.id, peerId: p.user.id }).catch((err: unknown) => {
      this.log.warn({ err, roomId: room.id }, 'peer:leave failed');
    });
    for (const producerId of p.producers.keys()) this.io.to(room.channel).emit('room:producer-removed', { producerId });
    this.io.to(room.channel).emit('room:participant-left', { userId: p.user.id, reason });
    void this.store.left(room.sessionId, p.user.id, reason).catch((err: unknown) => this.log.error({ err }, 'participation write failed'));
    this.presence.refresh(p.user.id);
    if (room.participants.size === 0) await this.closeFor(room, null, true);
    else this.roomChanged(room);
  }

  /** Closes the meeting: everyone still in it is told why; the node room is closed if it still exists. */
  private async closeFor(room: LiveRoom, reason: RoomClosedReason | null, closeOnNode: boolean) {
    if (room.closed) return;
    room.closed = true;
    this.live.delete(room.id);
    this.nodes.roomClosed(room.node);
    const users = [...room.participants.values()];
    room.participants.clear();
    for (const p of users) {
      if (reason) this.io.to(p.socketId).emit('room:closed', { reason });
      this.bySocket.delete(p.socketId);
      this.io.in(p.socketId).socketsLeave(room.channel);
      this.presence.refresh(p.user.id);
    }
    if (closeOnNode) {
      await room.node.request('room:close', { roomId: room.id }).catch((err: unknown) => {
        this.log.warn({ err, roomId: room.id }, 'room:close failed');
      });
    }
    await this.store.endMeeting(room.sessionId, reason ?? 'empty').catch((err: unknown) => {
      this.log.error({ err }, 'meeting record write failed');
    });
    if (!room.stored.endedAt) this.roomChanged(room);
    this.log.info({ roomId: room.id, reason: reason ?? 'empty' }, 'meeting ended');
  }

  private roomChanged(room: LiveRoom) {
    this.io.to(channels.presence).emit('rooms:updated', { room: room.summary() });
  }

  private wire(node: SfuNode) {
    if (this.wired.has(node)) return;
    this.wired.add(node);
    node.on('consumer:closed', ({ roomId, peerId, consumerId }) => {
      const p = this.live.get(roomId)?.participants.get(peerId);
      if (p?.consumers.delete(consumerId)) this.io.to(p.socketId).emit('room:consumer-closed', { consumerId });
    });
    node.on('room:active-speaker', ({ roomId, peerId }) => {
      const room = this.live.get(roomId);
      if (room) this.io.to(room.channel).emit('room:active-speaker', { userId: peerId });
    });
    node.on('room:closed', ({ roomId, reason }) => {
      const room = this.live.get(roomId);
      if (!room) return;
      this.log.error({ roomId, reason }, 'the SFU node closed a live room');
      void this.closeFor(room, 'media-server-restarted', false);
    });
  }
}
