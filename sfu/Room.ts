/**
 * A room on this node. It may span workers: it keeps one router per worker its peers were placed
 * on (the first one, the primary, also hosts the active-speaker observer). A producer is piped to
 * another router (router.pipeToRouter) the first time a peer there consumes it; mediasoup reuses one
 * PipeTransport pair per router pair, and the room remembers which producer went where.
 *
 * The room closes itself when asked (room:close) or when one of its workers dies: its peers lost
 * part of their media and the simplest correct recovery is for the web process to reopen the room
 * (on a fresh router) and have the browsers rejoin. Either way it emits room:closed.
 */
import type { types } from 'mediasoup';
import type { SfuEventPayload } from '../lib/protocol/sfuRpc';
import type { Logger } from '../lib/server/logger';
import { ActiveSpeaker } from './activeSpeaker';
import { badRequest, forbidden, invalidState, mediasoupCall, notFound } from './errors';
import { Peer, type OwnedKind } from './Peer';
import type { EmitSfuEvent, ProducerAppData } from './types';
import type { PooledWorker, WorkerPool } from './workers';

/** Every router of every room offers the same codecs, so any peer can consume any producer. */
export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  // Start new video streams near 1 Mbps instead of libwebrtc's conservative 300 kbps ramp.
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
];

export type RoomCloseReason = SfuEventPayload<'room:closed'>['reason'];

export interface RoomOptions {
  id: string;
  pool: WorkerPool;
  emit: EmitSfuEvent;
  log: Logger;
  /** Called once, after the room closed for any reason. */
  onClose: (room: Room) => void;
}

/** A joined peer and the worker slot it holds. */
export interface Member {
  peer: Peer;
  worker: PooledWorker;
  release: () => void;
}

interface PublishedProducer {
  producer: types.Producer<ProducerAppData>;
  owner: Peer;
  /** Router id → the pipe of this producer to it (settled or in flight). */
  pipes: Map<string, Promise<void>>;
}

export class Room {
  readonly id: string;
  private readonly routers = new Map<PooledWorker, Promise<types.Router>>();
  private readonly members = new Map<string, Member>();
  private readonly joining = new Map<string, Promise<Member>>();
  private readonly producers = new Map<string, PublishedProducer>();
  private speaker!: ActiveSpeaker;
  private readonly unwatchWorkers: () => void;
  /** Set once create() succeeded; only an opened room reports room:closed. */
  private opened = false;
  private closed = false;

  private constructor(
    private readonly opts: RoomOptions,
    private readonly primary: types.Router,
    primaryWorker: PooledWorker,
  ) {
    this.id = opts.id;
    this.routers.set(primaryWorker, Promise.resolve(primary));
    // Includes a router still being created on that worker: it is in `routers` from the start.
    this.unwatchWorkers = opts.pool.onWorkerDied((dead) => {
      if (this.usesWorker(dead)) this.close('worker-died');
    });
  }

  static async create(opts: RoomOptions): Promise<Room> {
    const worker = opts.pool.leastLoaded();
    const router = await mediasoupCall(() =>
      worker.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { roomId: opts.id } }),
    );
    const room = new Room(opts, router, worker);
    try {
      room.speaker = await ActiveSpeaker.create(router, (peerId) =>
        room.emit('room:active-speaker', { roomId: room.id, peerId }),
      );
    } catch (err) {
      room.close('closed'); // silent: it was never reported open
      throw err;
    }
    room.opened = true;
    return room;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.primary.rtpCapabilities;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  usesWorker(worker: PooledWorker): boolean {
    return this.routers.has(worker);
  }

  /**
   * Places the peer on the least-loaded worker (creating the room's router there if needed).
   * Idempotent: a join retried after a timeout gets the placement the first attempt made.
   */
  join(peerId: string): Promise<Member> {
    this.assertOpen();
    const member = this.members.get(peerId);
    if (member) return Promise.resolve(member);
    let pending = this.joining.get(peerId);
    if (!pending) {
      pending = this.place(peerId);
      this.joining.set(peerId, pending);
      const settle = () => this.joining.delete(peerId);
      pending.then(settle, settle);
    }
    return pending;
  }

  /** The member, or FORBIDDEN: only joined peers act in a room. */
  member(peerId: string): Member {
    const member = this.members.get(peerId);
    if (!member) throw forbidden(`Peer ${peerId} has not joined room ${this.id}`);
    return member;
  }

  /** Every joined peer and its worker (a snapshot, for stats). */
  memberList(): Member[] {
    return [...this.members.values()];
  }

  /** Closes the peer's transports (and so its producers: their consumers elsewhere close too). */
  leave(peerId: string): void {
    const member = this.members.get(peerId);
    if (!member) return;
    this.members.delete(peerId);
    member.peer.close();
    member.release();
  }

  /**
   * Registers a producer of `peer` with the room: other peers may consume it from now on, and a
   * microphone joins the active-speaker observer.
   */
  async publish(peer: Peer, producer: types.Producer<ProducerAppData>): Promise<void> {
    const entry: PublishedProducer = { producer, owner: peer, pipes: new Map() };
    this.producers.set(producer.id, entry);
    producer.observer.once('close', () => this.producers.delete(producer.id));
    if (producer.kind !== 'audio') return;
    try {
      await this.pipe(entry, this.primary);
      await this.speaker.add(producer);
    } catch (err) {
      // Not fatal to the producer: others still hear it, it just cannot become the active speaker.
      if (!producer.closed)
        this.opts.log.warn({ err, roomId: this.id, producerId: producer.id }, 'active-speaker setup failed');
    }
  }

  /** For in-process sources: track an existing producer on the peer's router as the peer's own and publish it. */
  async addProducer(peerId: string, producer: types.Producer<ProducerAppData>): Promise<void> {
    const { peer } = this.member(peerId);
    peer.trackProducer(producer);
    await this.publish(peer, producer);
  }

  /** Consumes a producer of this room for `peer`, piping it to the peer's router first if needed. */
  async consume(peer: Peer, producerId: string, rtpCapabilities: types.RtpCapabilities): Promise<types.Consumer> {
    const entry = this.producers.get(producerId);
    if (!entry) throw notFound(`No producer ${producerId} in room ${this.id}`);
    if (entry.owner === peer) throw badRequest('A peer cannot consume its own producer');
    await this.pipe(entry, peer.router);
    if (entry.producer.closed) throw notFound(`Producer ${producerId} closed`);
    return peer.consume(producerId, rtpCapabilities);
  }

  close(reason: RoomCloseReason): void {
    if (this.closed) return;
    this.closed = true; // from here on, the teardown's own consumer closures are not reported
    this.unwatchWorkers();
    for (const member of this.members.values()) {
      member.peer.close(); // requests still queued for the peer now fail as INVALID_STATE
      member.release();
    }
    this.members.clear();
    // Closing a router closes its transports, producers, consumers and observers in the worker.
    for (const router of this.routers.values())
      router.then(
        (r) => r.close(),
        () => undefined,
      );
    if (!this.opened) return;
    this.opts.log.info({ roomId: this.id, reason }, 'room closed');
    this.opts.emit('room:closed', { roomId: this.id, reason });
    this.opts.onClose(this);
  }

  private async place(peerId: string): Promise<Member> {
    const { worker, release } = this.opts.pool.place((w) => this.routers.has(w));
    try {
      const router = await this.routerOn(worker);
      this.assertOpen();
      const peer = new Peer({
        id: peerId,
        roomId: this.id,
        router,
        webRtcServer: worker.webRtcServer,
        ownedElsewhere: (kind, id) => this.ownedByOther(peerId, kind, id),
        onConsumerLost: (consumer) =>
          this.emit('consumer:closed', {
            roomId: this.id,
            peerId,
            consumerId: consumer.id,
            producerId: consumer.producerId,
          }),
        log: this.opts.log,
      });
      const member: Member = { peer, worker, release };
      this.members.set(peerId, member);
      return member;
    } catch (err) {
      release();
      throw err;
    }
  }

  /** The room's router on `worker`, created on first use (one per worker, however many joins race). */
  private routerOn(worker: PooledWorker): Promise<types.Router> {
    let router = this.routers.get(worker);
    if (!router) {
      router = mediasoupCall(() =>
        worker.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { roomId: this.id } }),
      );
      this.routers.set(worker, router);
      router.then(
        (r) => this.closed && r.close(), // the room closed while the worker was creating it
        () => this.routers.delete(worker),
      );
    }
    return router;
  }

  /** Makes the producer available on `router` (no-op on its own router; once per router). */
  private pipe(entry: PublishedProducer, router: types.Router): Promise<void> {
    const source = entry.owner.router;
    if (source === router) return Promise.resolve();
    let piped = entry.pipes.get(router.id);
    if (!piped) {
      // Loopback UDP between two workers of this node, no SRTP: nothing leaves the machine.
      piped = mediasoupCall(() => source.pipeToRouter({ producerId: entry.producer.id, router })).then(() => undefined);
      entry.pipes.set(router.id, piped);
      piped.catch(() => entry.pipes.delete(router.id)); // let the next consumer retry
    }
    return piped;
  }

  private ownedByOther(peerId: string, kind: OwnedKind, id: string): boolean {
    for (const [otherId, { peer }] of this.members) if (otherId !== peerId && peer.owns(kind, id)) return true;
    return false;
  }

  private emit: EmitSfuEvent = (event, payload) => {
    if (!this.closed) this.opts.emit(event, payload);
  };

  private assertOpen(): void {
    if (this.closed) throw invalidState(`Room ${this.id} is closed`);
  }
}
