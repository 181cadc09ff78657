/**
 * The control plane's side of a room's media. The SFU node is the authority: it creates consumers
 * and reports them; this forwards each one to its browser as an acked request and resumes it on
 * the ack (closes it on a refusal). It also places and removes peers, and heals a room whose node
 * went away: the room is opened again on a connected node (the restarted one, or another), every
 * seat is placed there, and each browser gets `room:media-reset` with its new transports.
 */
import { z } from 'zod';
import { ErrorCode, ProtocolError, type RoomConsumer, type SfuEventPayload, type SfuResponse } from '../../protocol';
import type { Logger } from '../logger';
import type { IoServer } from '../realtime/types';
import type { LiveRoom } from './LiveRoom';
import type { Seat } from './Seat';
import type { SfuNode, SfuNodes } from './sfuNodes';

/** A browser that has not answered a push by then is asked once more, then left to its resume. */
const PUSH_TIMEOUT_MS = 10_000;
/** A join or pre-join that finds no connected SFU node waits this long for one (a start-up, a restart). */
const NODE_WAIT_MS = 5_000;
/**
 * A join's consumers go to the browser as one batch, accepted in one renegotiation; the node makes
 * them right after its answer, in a few ms. If some never come (their producer closed), the ones
 * made go out after this long anyway.
 */
const JOIN_BATCH_MAX_WAIT_MS = 400;
/** Between attempts to re-create a room whose node went away, while no node will take it. */
const HEAL_RETRY_MS = 1_000;

/** What a browser may answer to a consumer push (anything else counts as a refusal). */
const pushAck = z.union([
  z.strictObject({ ok: z.literal(true), data: z.strictObject({ refused: z.array(z.string().max(64)).max(1000) }) }),
  z.strictObject({ ok: z.literal(false), error: z.looseObject({ code: z.string().max(64) }) }),
]);

type Joined = SfuResponse<'peer:join'>;

export class RoomMedia {
  private readonly healing = new Set<LiveRoom>();
  /** Per node: settles once the node's rooms this process does not hold were closed (reconcile). */
  private readonly reconciled = new Map<SfuNode, Promise<void>>();
  private healTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly io: IoServer,
    private readonly nodes: SfuNodes,
    private readonly roomById: (roomId: string) => LiveRoom | undefined,
    private readonly rooms: () => LiveRoom[],
    /** Whether a room is being opened (on some node) and not yet live here. */
    private readonly isOpening: (roomId: string) => boolean,
    private readonly log: Logger,
  ) {
    for (const node of nodes.nodes) this.wire(node);
  }

  async capabilities(): Promise<{ routerRtpCapabilities: unknown }> {
    const node = await this.nodes.pickWhenConnected(NODE_WAIT_MS);
    if (!node) throw unavailable();
    const { rtpCapabilities } = await node.request('node:capabilities', {});
    return { routerRtpCapabilities: rtpCapabilities };
  }

  async open(roomId: string): Promise<{ node: SfuNode; nodeId: string; rtpCapabilities: unknown }> {
    const node = await this.nodes.pickWhenConnected(NODE_WAIT_MS);
    if (!node) throw unavailable();
    await this.reconciled.get(node);
    const { rtpCapabilities, nodeId } = await node.request('room:open', { roomId });
    return { node, nodeId, rtpCapabilities };
  }

  place(room: LiveRoom, seat: Seat): Promise<Joined> {
    return room.node.request('peer:join', { roomId: room.id, peerId: seat.user.id, ...seat.media });
  }

  /** Closing the peer on the node closes its producers, and with them every consumer of them. */
  async unplace(room: LiveRoom, seat: Seat): Promise<void> {
    await room.node.request('peer:leave', { roomId: room.id, peerId: seat.user.id }).catch((err: unknown) => {
      this.log.warn({ err, roomId: room.id }, 'peer:leave failed');
    });
  }

  async closeRoom(room: LiveRoom): Promise<void> {
    this.healing.delete(room);
    await room.node.request('room:close', { roomId: room.id }).catch((err: unknown) => {
      this.log.warn({ err, roomId: room.id }, 'room:close failed');
    });
  }

  /**
   * For a resumed seat: what the node holds. Consumers the browser kept are resumed (an ack may
   * have been lost with the old socket); the ones it lacks are pushed again after the answer.
   */
  async sync(room: LiveRoom, seat: Seat, kept: string[]) {
    const peer = { roomId: room.id, peerId: seat.user.id };
    const state = await room.node.request('peer:sync', peer);
    const have = new Set(kept);
    const missing = state.consumers.filter((c) => !have.has(c.consumerId));
    for (const c of state.consumers) {
      if (have.has(c.consumerId)) void room.node.request('consumer:resume', { ...peer, consumerId: c.consumerId }).catch(() => undefined);
    }
    // What waited in the outbox is among what the node holds: `missing` replaces it.
    seat.awaitedOffers = 0;
    seat.outbox.splice(0, seat.outbox.length, ...missing.map((c) => toRoomConsumer(c)));
    setImmediate(() => this.flush(room, seat));
    return { transports: state.transports, connected: state.connected, consumerIds: state.consumers.map((c) => c.consumerId) };
  }

  /**
   * The seat's join (or move) was answered and the node is making `offering` consumers for it:
   * they go out as one batch once all are in the outbox.
   */
  placed(room: LiveRoom, seat: Seat, offering: number): void {
    clearTimeout(seat.batchTimer);
    seat.awaitedOffers = offering;
    seat.batchTimer = setTimeout(() => {
      seat.awaitedOffers = 0;
      this.flush(room, seat);
    }, JOIN_BATCH_MAX_WAIT_MS);
    seat.batchTimer.unref();
    setImmediate(() => this.flush(room, seat));
  }

  /** Pushes the seat's outbox as one batch, unless its first batch is still being made. */
  flush(room: LiveRoom, seat: Seat): void {
    if (seat.state !== 'connected' || seat.outbox.length === 0 || seat.outbox.length < seat.awaitedOffers) return;
    seat.awaitedOffers = 0;
    clearTimeout(seat.batchTimer);
    void this.push(room, seat, seat.outbox.splice(0));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.healTimer);
  }

  /** The node went away (crashed, restarting, unreachable): its rooms wait for media, and heal. */
  nodeLost(node: SfuNode): void {
    for (const room of this.rooms()) if (room.node === node) this.startHealing(room);
  }

  /** A node (re)connected: what it holds for nobody is closed, then rooms waiting for media are re-created. */
  nodeAvailable(node: SfuNode): void {
    const done = this.reconcile(node);
    this.reconciled.set(node, done);
    void done.then(() => this.healAll());
  }

  /**
   * Closes the rooms a node holds that this process does not have there: left by an earlier run of
   * this process (restarted within the node's orphan grace, sfu/node.ts), or healed onto another
   * node while this one was unreachable. Their transports would hold ports and CPU, and a rejoin
   * would find the old peers in them.
   */
  private async reconcile(node: SfuNode): Promise<void> {
    try {
      const { roomIds } = await node.request('node:rooms', {});
      const stale = roomIds.filter((id) => {
        if (this.isOpening(id)) return false;
        const room = this.roomById(id);
        return !room || (room.node !== node && !this.healing.has(room));
      });
      if (stale.length) this.log.warn({ node: node.url, rooms: stale.length }, 'closing rooms this process does not hold on the node');
      await Promise.all(stale.map((roomId) => node.request('room:close', { roomId }).catch(() => undefined)));
    } catch (err) {
      this.log.warn({ err, node: node.url }, "could not list the node's rooms");
    }
  }

  private startHealing(room: LiveRoom): void {
    if (room.closed || this.healing.has(room)) return;
    this.healing.add(room);
    room.media = 'reconnecting';
    this.io.to(room.channel).emit('room:media-state', { state: 'reconnecting' });
    this.log.warn({ roomId: room.id }, 'room media lost; re-creating it');
    void this.healAll();
  }

  private async healAll(): Promise<void> {
    clearTimeout(this.healTimer);
    const waiting = [...this.healing];
    const results = await Promise.all(waiting.map((room) => this.heal(room)));
    if (results.some((healed) => !healed) && !this.closed) {
      this.healTimer = setTimeout(() => void this.healAll(), HEAL_RETRY_MS);
      this.healTimer.unref();
    }
  }

  /** One attempt; false if no node could take the room yet. */
  private async heal(room: LiveRoom): Promise<boolean> {
    if (room.closed || !this.healing.has(room)) return true;
    const node = this.nodes.pick();
    if (!node) return false;
    try {
      await this.reconciled.get(node);
      const { rtpCapabilities, nodeId } = await node.request('room:open', { roomId: room.id });
      if (node === room.node && nodeId === room.nodeId) {
        this.log.info({ roomId: room.id }, 'the node came back with the room intact');
      } else {
        if (node !== room.node) {
          this.nodes.roomClosed(room.node);
          this.nodes.roomOpened(node);
        }
        Object.assign(room, { node, nodeId, rtpCapabilities });
        await Promise.all([...room.participants.values()].map((seat) => this.replace(room, seat)));
      }
      if (room.closed) return true;
      this.healing.delete(room);
      room.media = 'connected';
      this.io.to(room.channel).emit('room:media-state', { state: 'connected' });
      return true;
    } catch (err) {
      this.log.warn({ err, roomId: room.id }, 'could not re-create the room yet');
      return false;
    }
  }

  /** Places a seat on the room's new node and hands its browser the new transports. */
  private async replace(room: LiveRoom, seat: Seat): Promise<void> {
    const { transports, offering } = await this.place(room, seat);
    seat.outbox.length = 0; // consumers of the old node
    if (seat.socketId && seat.state === 'connected') {
      this.io.to(seat.socketId).emit('room:media-reset', { transports });
      this.placed(room, seat, offering);
    }
    // An away seat learns them when it resumes (the transports it holds are unknown by then).
  }

  private seatOf(roomId: string, peerId: string): { room: LiveRoom; seat: Seat } | undefined {
    const room = this.roomById(roomId);
    const seat = room?.participants.get(peerId);
    return room && seat ? { room, seat } : undefined;
  }

  /** Asks the browser to accept a batch of consumers; resumes each it took, closes each it refused. */
  private async push(room: LiveRoom, seat: Seat, consumers: RoomConsumer[], attempt = 1): Promise<void> {
    const socketId = seat.socketId;
    const socket = socketId ? this.io.sockets.sockets.get(socketId) : undefined;
    if (!socket || seat.state !== 'connected') return; // its resume will bring them
    let raw: unknown;
    try {
      raw = await socket.timeout(PUSH_TIMEOUT_MS).emitWithAck('room:consumers-new', { consumers });
    } catch {
      if (attempt < 2 && seat.socketId === socketId) return this.push(room, seat, consumers, attempt + 1);
      // The page did not answer twice: its consumers stay paused on the node until its seat resumes.
      this.log.warn({ roomId: room.id, userId: seat.user.id, consumers: consumers.length }, 'a consumer push went unanswered');
      return;
    }
    const ack = pushAck.safeParse(raw);
    if (room.node !== this.roomById(room.id)?.node) return; // the room moved meanwhile
    const refused = new Set(ack.success && ack.data.ok ? ack.data.data.refused : consumers.map((c) => c.consumerId));
    if (refused.size) {
      this.log.warn({ roomId: room.id, userId: seat.user.id, refused: refused.size, ack: ack.success ? ack.data : 'malformed' }, 'browser refused consumers');
    }
    await Promise.all(
      consumers.map(({ consumerId }) => {
        const method = refused.has(consumerId) ? 'consumer:close' : 'consumer:resume';
        return room.node.request(method, { roomId: room.id, peerId: seat.user.id, consumerId }).catch((err: unknown) => this.quiet(err, method));
      }),
    );
  }

  /** NOT_FOUND and FORBIDDEN are races with a consumer or peer that just went away. */
  private quiet(err: unknown, method: string) {
    if (err instanceof ProtocolError && (err.code === ErrorCode.NotFound || err.code === ErrorCode.Forbidden)) return;
    this.log.warn({ err, method }, 'SFU request after a consumer push failed');
  }

  private wire(node: SfuNode): void {
    node.on('consumer:new', ({ roomId, peerId, consumer }) => {
      const found = this.seatOf(roomId, peerId);
      if (!found || found.room.node !== node) return;
      const { room, seat } = found;
      // An away seat gets what the node holds when it resumes (sync).
      if (seat.state !== 'joining' && seat.state !== 'connected') return;
      seat.outbox.push(toRoomConsumer(consumer));
      // Announcements that arrive together go out together.
      setImmediate(() => this.flush(room, seat));
    });
    node.on('consumer:closed', ({ roomId, peerId, consumerId }) => this.toSeat(node, roomId, peerId, 'room:consumer-closed', { consumerId }));
    node.on('consumer:state', ({ roomId, peerId, ...state }) => this.toSeat(node, roomId, peerId, 'room:consumer-state', state));
    node.on('peer:media-reset', ({ roomId, peerId, transports }) => this.toSeat(node, roomId, peerId, 'room:media-reset', { transports }));
    node.on('room:active-speaker', ({ roomId, peerId }) => {
      const room = this.roomById(roomId);
      if (room?.node === node) this.io.to(room.channel).emit('room:active-speaker', { userId: peerId });
    });
    node.on('room:closed', ({ roomId, reason }) => {
      const room = this.roomById(roomId);
      if (room?.node !== node || room.closed) return;
      this.log.error({ roomId, reason }, 'the SFU node closed a live room');
      this.startHealing(room);
    });
  }

  private toSeat<E extends 'room:consumer-closed' | 'room:consumer-state' | 'room:media-reset'>(
    node: SfuNode,
    roomId: string,
    peerId: string,
    event: E,
    payload: Parameters<import('../../protocol').ServerToClientEvents[E]>[0],
  ) {
    const found = this.seatOf(roomId, peerId);
    if (!found || found.room.node !== node || !found.seat.socketId) return;
    (this.io.to(found.seat.socketId).emit as (e: string, p: unknown) => void)(event, payload);
  }
}

function toRoomConsumer({ producerPeerId, ...rest }: SfuEventPayload<'consumer:new'>['consumer']): RoomConsumer {
  return { ...rest, userId: producerPeerId };
}

const unavailable = () => new ProtocolError(ErrorCode.Unavailable, 'The media server is not available right now. Try again shortly');
