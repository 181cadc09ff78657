/**
 * Rooms while they are live: who sits where, and the seat lifecycle. Joining (password, lock,
 * host), resuming a seat after a dropped connection, leaving, the grace period, the meeting's
 * lifetime (opened on an SFU node by the first join, closed after the last seat is gone), and the
 * lobby's room list. What the node reports, and healing a room whose node went away, is RoomMedia's.
 */
import {
  ErrorCode,
  ProtocolError,
  type PresenceStatus,
  type RoomClosedReason,
  type RoomJoined,
  type RoomLeaveReason,
  type RoomResumed,
  type RoomSnapshot,
  roomClosedText,
} from '../../protocol';
import { GuessLimiter } from '../guessLimiter';
import type { Logger } from '../logger';
import type { Presence } from '../realtime/presence';
import { rooms as channels, type IoServer, type IoSocket } from '../realtime/types';
import { LiveRoom } from './LiveRoom';
import { RoomMedia } from './RoomMedia';
import type { RoomStore, StoredRoom } from './roomStore';
import { Seat, type SeatMediaSpec } from './Seat';
import { checkRoomPassword } from './secrets';
import type { SfuNodes } from './sfuNodes';
import { RoomDirectory } from './RoomDirectory';
import { WaitingRooms } from './WaitingRooms';

export interface RoomRegistryOptions {
  /** How long a seat is kept after its socket dropped (ROOM_RESUME_GRACE_MS). */
  resumeGraceMs: number;
  /** Sent to every page in the room snapshot (ROOM_MAX_VISIBLE_VIDEOS). */
  maxVisibleVideos: number;
  /** Rooms unused this long drop off the lobby list (ROOM_ARCHIVE_DAYS). */
  archiveDays: number;
}

export class RoomRegistry {
  private readonly live = new Map<string, LiveRoom>();
  /** Opening a room on a node is async; concurrent first joins share one attempt. */
  private readonly opening = new Map<string, Promise<LiveRoom>>();
  private readonly bySocket = new Map<string, LiveRoom>();
  readonly media: RoomMedia;
  /** Knocks on rooms with a waiting room. */
  readonly waiting: WaitingRooms;
  /** Listing, creating, renaming and deleting rooms. */
  readonly directory: RoomDirectory;
  /**
   * The tail of each user's queue of joins, resumes and leaves. They run one at a time, in arrival
   * order: each awaits the database and the SFU node, and interleaved they used to leave a ghost
   * seat (a socket that sent two joins at once, then disconnected, stayed a participant for good).
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
    private readonly opts: RoomRegistryOptions,
    private readonly log: Logger,
  ) {
    presence.addStatusSource((userId) => this.statusOf(userId));
    this.directory = new RoomDirectory({
      store,
      io,
      live: (id) => this.live.get(id),
      endLive: (room) => this.end(room, 'ended-by-host'),
      archiveDays: opts.archiveDays,
      log,
    });
    this.waiting = new WaitingRooms(io, (roomId) => this.live.get(roomId)?.hostSocket() ?? null);
    this.media = new RoomMedia(io, nodes, (id) => this.live.get(id), () => this.liveRooms(), (id) => this.opening.has(id), log);
  }

  statusOf(userId: string): PresenceStatus | null {
    for (const room of this.live.values()) if (room.participants.get(userId)?.listed) return 'in-room';
    return null;
  }

  liveRooms(): LiveRoom[] {
    return [...this.live.values()];
  }

  /** The room this socket is in, and its seat; throws if it holds none. */
  membership(socket: IoSocket): { room: LiveRoom; me: Seat } {
    const room = this.bySocket.get(socket.id);
    const me = room?.participants.get(socket.data.user.id);
    if (!room || !me || me.socketId !== socket.id || !me.listed) throw new ProtocolError(ErrorCode.Forbidden, 'Join a room first');
    return { room, me };
  }

  /** Router capabilities for a browser on the pre-join screen (to load its device before joining). */
  capabilities(): Promise<{ routerRtpCapabilities: unknown }> {
    return this.media.capabilities();
  }

  join(socket: IoSocket, req: { slug: string; password?: string } & SeatMediaSpec, inCall: boolean): Promise<RoomJoined> {
    return this.serially(socket.data.user.id, () => this.joinNow(socket, req, inCall));
  }

  resume(socket: IoSocket, req: { slug: string; token: string; consumerIds: string[] }): Promise<RoomResumed> {
    return this.serially(socket.data.user.id, () => this.resumeNow(socket, req));
  }

  leave(socket: IoSocket, reason: RoomLeaveReason): Promise<void> {
    return this.serially(socket.data.user.id, () => this.leaveNow(socket, reason));
  }

  /**
   * The socket went away. Its seat is kept for the grace period: the others see "reconnecting",
   * and the node keeps the peer's transports, producers and consumers for the browser to resume.
   */
  dropped(socket: IoSocket): Promise<void> {
    return this.serially(socket.data.user.id, async () => {
      const room = this.bySocket.get(socket.id);
      this.bySocket.delete(socket.id);
      const seat = room?.participants.get(socket.data.user.id);
      if (!room || !seat || seat.socketId !== socket.id) return;
      if (seat.state === 'joining') return this.remove(room, seat, 'disconnected');
      seat.state = 'away';
      seat.socketId = null;
      if (seat.isHost) this.waiting.hostChanged(room.id);
      this.io.to(room.channel).emit('room:participant-state', { userId: seat.user.id, connection: 'reconnecting' });
      seat.graceTimer = setTimeout(() => void this.expire(room, seat), this.opts.resumeGraceMs);
      seat.graceTimer.unref();
      this.log.info({ roomId: room.id, userId: seat.user.id, graceMs: this.opts.resumeGraceMs }, 'seat kept for its browser to resume');
    });
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

  private async joinNow(socket: IoSocket, req: { slug: string; password?: string } & SeatMediaSpec, inCall: boolean): Promise<RoomJoined> {
    const user = socket.data.user;
    if (socket.disconnected) throw new ProtocolError(ErrorCode.InvalidState, 'Disconnected');
    if (inCall) throw new ProtocolError(ErrorCode.InvalidState, 'Hang up your call before joining a room');
    const stored = await this.current(req.slug);
    const isHost = stored.hostId === user.id;
    if (!isHost) await this.admit(user.id, stored, req.password);
    if (this.mustKnock(stored, user.id)) throw new ProtocolError(ErrorCode.KnockRequired, 'Ask the host to let you in');

    // One room per socket, one seat per user and room: a join from another tab takes the seat.
    if (this.bySocket.has(socket.id)) await this.leaveNow(socket, 'left');
    const room = await this.open(stored, user.id);
    const previous = room.participants.get(user.id);
    if (previous) {
      room.retire(previous, 'joined-elsewhere');
      if (previous.socketId) this.io.to(previous.socketId).emit('room:closed', { reason: 'joined-elsewhere' });
      // The meeting goes on even if that seat was the only one: this join takes its place.
      await this.remove(room, previous, 'left', true);
    }

    const { seat, token } = Seat.create(user, isHost, socket.id, { rtpCapabilities: req.rtpCapabilities, forceTcp: req.forceTcp });
    room.participants.set(user.id, seat);
    this.bySocket.set(socket.id, room);
    let joined;
    let chat;
    try {
      [joined, chat] = await Promise.all([this.media.place(room, seat), this.store.history(room.id)]);
      if (room.closed) throw new ProtocolError(ErrorCode.Unavailable, 'The meeting closed as you joined; join again');
      if (socket.disconnected) throw new ProtocolError(ErrorCode.InvalidState, 'Disconnected');
    } catch (err) {
      await this.remove(room, seat, 'left');
      throw err;
    }
    seat.state = 'connected';
    if (isHost) this.waiting.hostChanged(room.id);
    await socket.join(room.channel);
    socket.to(room.channel).emit('room:participant-joined', { participant: seat.view() });
    this.roomChanged(room);
    this.presence.refresh(user.id);
    this.log.info({ roomId: room.id, userId: user.id, worker: joined.workerPid }, 'joined room');
    void this.store.joined(room.sessionId, user.id, isHost).catch((err: unknown) => this.log.error({ err }, 'participation write failed'));
    // The node's consumers for this seat go out after this answer (it is sent when we return).
    this.media.placed(room, seat, joined.offering);
    return {
      ...this.snapshot(room, seat, chat, joined.transports),
      routerRtpCapabilities: room.rtpCapabilities,
      seat: { token, graceMs: this.opts.resumeGraceMs },
      offering: joined.offering,
    };
  }

  /**
   * A knock on a room with a waiting room (after the same checks as a join): the user waits in its
   * list and the host is shown them. A room without one answers "admitted": just join.
   */
  async knock(socket: IoSocket, slug: string, password?: string): Promise<{ admitted: boolean; hostPresent: boolean }> {
    const user = socket.data.user;
    const stored = await this.current(slug);
    if (!this.mustKnock(stored, user.id)) return { admitted: true, hostPresent: true };
    await this.admit(user.id, stored, password);
    return { admitted: false, ...this.waiting.knock(stored.id, user, socket.id) };
  }

  /** The room at `slug` as it is now (a live meeting's copy holds the host's changes); NOT_FOUND, or ended. */
  private async current(slug: string): Promise<StoredRoom> {
    const stored = await this.store.bySlug(slug);
    if (!stored) throw new ProtocolError(ErrorCode.NotFound, 'There is no room at this address');
    if (stored.endedAt) throw new ProtocolError(ErrorCode.InvalidState, 'This meeting has ended');
    return this.live.get(stored.id)?.stored ?? stored;
  }

  /** Whether the user must be let in by the host first (never the host). */
  private mustKnock(room: StoredRoom, userId: string): boolean {
    return room.waitingRoom && room.hostId !== userId && !this.waiting.isAdmitted(room.id, userId);
  }

  async idOf(slug: string): Promise<string | null> {
    return (await this.store.bySlug(slug))?.id ?? null;
  }

  /** The host turns the waiting room on or off; off lets everyone waiting in. */
  async setWaitingRoom(room: LiveRoom, enabled: boolean) {
    await this.store.setWaitingRoom(room.id, enabled);
    room.stored = { ...room.stored, waitingRoom: enabled };
    if (!enabled) this.waiting.admitAll(room.id);
    this.io.to(room.channel).emit('room:updated', { locked: room.stored.locked, waitingRoom: enabled });
    this.roomChanged(room);
  }

  /** Password, lock and removal checks for everyone but the host. */
  private async admit(userId: string, stored: StoredRoom, password: string | undefined) {
    const current = this.live.get(stored.id);
    if (current?.removed.has(userId)) throw new ProtocolError(ErrorCode.Forbidden, 'The host removed you from this meeting');
    if (current?.stored.locked ?? stored.locked) throw new ProtocolError(ErrorCode.RoomLocked, 'The host has locked this room');
    if (!stored.passwordHash) return;
    if (!password) throw new ProtocolError(ErrorCode.WrongPassword, 'This room is protected by a password');
    const keys = [`${userId}|${stored.id}`, stored.id];
    const wait = await this.passwordGuesses.take(keys);
    if (wait !== null) throw new ProtocolError(ErrorCode.RateLimited, `Too many wrong passwords. Try again in ${wait} s`);
    if (!(await checkRoomPassword(password, stored.passwordHash))) {
      throw new ProtocolError(ErrorCode.WrongPassword, 'That password is not right');
    }
    await this.passwordGuesses.succeeded(keys);
  }

  /**
   * Takes a kept seat back with its token: same user, same browser. Refused with SEAT_EXPIRED when
   * there is no such seat any more (the grace ran out, the meeting ended, the server restarted):
   * the browser may join again. Refused with FORBIDDEN when the seat was taken from it.
   */
  private async resumeNow(socket: IoSocket, req: { slug: string; token: string; consumerIds: string[] }): Promise<RoomResumed> {
    const user = socket.data.user;
    if (socket.disconnected) throw new ProtocolError(ErrorCode.InvalidState, 'Disconnected');
    const stored = await this.store.bySlug(req.slug);
    const room = stored && this.live.get(stored.id);
    const seat = room?.participants.get(user.id);
    if (!room || !seat || !seat.listed || !seat.matches(req.token)) {
      const taken = room?.retiredReason(Seat.tokenIdOf(req.token));
      if (taken) throw new ProtocolError(ErrorCode.Forbidden, roomClosedText[taken]);
      throw new ProtocolError(ErrorCode.SeatExpired, 'Your seat in this meeting is no longer held; join again');
    }
    if (this.bySocket.get(socket.id) && this.bySocket.get(socket.id) !== room) await this.leaveNow(socket, 'left');
    // The same browser on a new socket while the server still thinks the old one is alive (a
    // half-open connection): the new one speaks for the seat from now on.
    if (seat.socketId && seat.socketId !== socket.id) {
      this.bySocket.delete(seat.socketId);
      this.io.in(seat.socketId).socketsLeave(room.channel);
    }
    const wasAway = seat.state === 'away';
    seat.stopGrace();
    seat.state = 'connected';
    seat.socketId = socket.id;
    this.bySocket.set(socket.id, room);
    if (seat.isHost) this.waiting.hostChanged(room.id);
    await socket.join(room.channel);
    if (wasAway) socket.to(room.channel).emit('room:participant-state', { userId: user.id, connection: 'connected' });
    const [sync, chat] = await Promise.all([this.media.sync(room, seat, req.consumerIds), this.store.history(room.id)]);
    this.log.info({ roomId: room.id, userId: user.id, wasAway }, 'seat resumed');
    return { ...this.snapshot(room, seat, chat, sync.transports), connected: sync.connected, consumerIds: sync.consumerIds };
  }

  private async leaveNow(socket: IoSocket, reason: RoomLeaveReason) {
    const room = this.bySocket.get(socket.id);
    const me = room?.participants.get(socket.data.user.id);
    this.bySocket.delete(socket.id);
    if (!room || !me || me.socketId !== socket.id) return;
    await socket.leave(room.channel);
    await this.remove(room, me, reason);
  }

  private expire(room: LiveRoom, seat: Seat): Promise<void> {
    return this.serially(seat.user.id, async () => {
      if (seat.state !== 'away' || room.participants.get(seat.user.id) !== seat) return;
      this.log.info({ roomId: room.id, userId: seat.user.id }, 'seat given up after its grace period');
      await this.remove(room, seat, 'disconnected');
    });
  }

  /** Ends the meeting for everyone (host or admin). The room can no longer be joined. */
  async end(room: LiveRoom, reason: Extract<RoomClosedReason, 'ended-by-host' | 'ended-by-admin'>) {
    await this.store.end(room.id);
    room.stored = { ...room.stored, endedAt: new Date() };
    this.waiting.roomEnded(room.id);
    await this.closeFor(room, reason);
    this.io.to(channels.presence).emit('rooms:removed', { slug: room.stored.slug });
  }

  /** Broadcasts the meeting state if `changed` (the result of a Meeting change). */
  meetingChanged(room: LiveRoom, changed: boolean) {
    if (changed) this.io.to(room.channel).emit('room:meeting', { meeting: room.meeting.view() });
  }

  async setLocked(room: LiveRoom, locked: boolean) {
    await this.store.setLocked(room.id, locked);
    room.stored = { ...room.stored, locked };
    this.io.to(room.channel).emit('room:updated', { locked, waitingRoom: room.stored.waitingRoom });
    this.roomChanged(room);
  }

  /** Removes one participant, as the host (or an admin) asked; they may not rejoin this meeting. */
  async kick(room: LiveRoom, target: Seat, reason: Extract<RoomClosedReason, `removed-by-${string}`> = 'removed-by-host') {
    room.removed.add(target.user.id);
    room.retire(target, reason);
    const socketId = target.socketId;
    if (socketId) this.io.to(socketId).emit('room:closed', { reason });
    const socket = socketId ? this.io.sockets.sockets.get(socketId) : undefined;
    if (socket) await this.leave(socket, 'removed');
    else await this.serially(target.user.id, () => this.remove(room, target, 'removed'));
  }

  /**
   * The web process is stopping. Browsers are not told to rejoin: their sockets drop, their resume
   * is refused by the next process (SEAT_EXPIRED) and they join again by themselves.
   */
  async shutdown() {
    await Promise.all([...this.live.values()].map((room) => this.closeFor(room, null, 'server-stopped')));
    this.media.close();
  }

  private snapshot(room: LiveRoom, seat: Seat, chat: RoomSnapshot['chat'], transports: RoomSnapshot['transports']): RoomSnapshot {
    return {
      room: room.summary(),
      meeting: room.meeting.view(),
      maxVisibleVideos: this.opts.maxVisibleVideos,
      self: seat.view(),
      participants: room.listed().map((s) => s.view()),
      chat,
      transports,
    };
  }

  private async open(stored: StoredRoom, userId: string): Promise<LiveRoom> {
    const existing = this.live.get(stored.id);
    if (existing && !existing.closed) return existing;
    let pending = this.opening.get(stored.id);
    if (!pending) {
      pending = (async () => {
        const opened = await this.media.open(stored.id);
        const sessionId = await this.store.startMeeting(stored.id, userId);
        void this.store.touch(stored.id).catch((err: unknown) => this.log.error({ err }, 'room activity write failed'));
        const room = new LiveRoom(stored, opened.node, opened.nodeId, sessionId, opened.rtpCapabilities);
        this.live.set(stored.id, room);
        this.nodes.roomOpened(opened.node);
        this.log.info({ roomId: stored.id }, 'meeting started');
        return room;
      })().finally(() => this.opening.delete(stored.id));
      this.opening.set(stored.id, pending);
    }
    return pending;
  }

  /** The seat is gone: the node drops the peer's media, the others are told, an empty meeting ends. */
  private async remove(room: LiveRoom, seat: Seat, reason: RoomLeaveReason, keepOpen = false) {
    if (room.participants.get(seat.user.id) !== seat) return;
    const wasListed = seat.listed;
    seat.stopGrace();
    seat.state = 'gone';
    room.participants.delete(seat.user.id);
    this.meetingChanged(room, room.meeting.forget(seat.user.id));
    if (seat.isHost) this.waiting.hostChanged(room.id);
    if (seat.socketId && this.bySocket.get(seat.socketId) === room) this.bySocket.delete(seat.socketId);
    await this.media.unplace(room, seat);
    if (wasListed) {
      this.io.to(room.channel).emit('room:participant-left', { userId: seat.user.id, reason });
      void this.store.left(room.sessionId, seat.user.id, reason).catch((err: unknown) => this.log.error({ err }, 'participation write failed'));
    }
    this.presence.refresh(seat.user.id);
    if (room.participants.size === 0 && !keepOpen) await this.closeFor(room, null);
    else this.roomChanged(room);
  }

  /** Closes the meeting: everyone still in it is told why (if `reason`); the node room is closed. */
  private async closeFor(room: LiveRoom, reason: RoomClosedReason | null, recorded: string = reason ?? 'empty') {
    if (room.closed) return;
    room.closed = true;
    this.live.delete(room.id);
    this.nodes.roomClosed(room.node);
    const seats = [...room.participants.values()];
    room.participants.clear();
    for (const seat of seats) {
      seat.stopGrace();
      seat.state = 'gone';
      if (!seat.socketId) continue;
      if (reason) this.io.to(seat.socketId).emit('room:closed', { reason });
      this.bySocket.delete(seat.socketId);
      this.io.in(seat.socketId).socketsLeave(room.channel);
    }
    for (const seat of seats) this.presence.refresh(seat.user.id);
    await this.media.closeRoom(room);
    await this.store.endMeeting(room.sessionId, recorded).catch((err: unknown) => {
      this.log.error({ err }, 'meeting record write failed');
    });
    room.stored = { ...room.stored, lastActiveAt: new Date() };
    await this.store.touch(room.id).catch((err: unknown) => this.log.error({ err }, 'room activity write failed'));
    if (!room.stored.endedAt) this.roomChanged(room);
    this.log.info({ roomId: room.id, reason: recorded }, 'meeting ended');
  }

  private roomChanged(room: LiveRoom) {
    this.io.to(channels.presence).emit('rooms:updated', { room: room.summary() });
  }
}
