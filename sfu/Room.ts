/**
 * A room on this node, and the one authority on its media: who is placed where, what each peer
 * sends, and what it receives. The node drives consumption (as mediasoup-demo's server does): when
 * a peer joins it consumes every producer of the room for it, and when a producer appears it is
 * consumed for every other peer. Each consumer is announced (`consumer:new`) paused; the web
 * process resumes it once the browser has accepted it.
 *
 * A room may span workers: it keeps one router per worker its peers were placed on. The primary
 * router also hosts the active-speaker observer. A producer is piped to another router
 * (router.pipeToRouter) at once when that router is created, and otherwise the first time a peer
 * there consumes it; mediasoup reuses one PipeTransport pair per router pair.
 *
 * A dead worker does not close the room: its peers are placed again on a live worker with new
 * transports (`peer:media-reset`) and consume everything again (see RoomHealer).
 */
import type { types } from 'mediasoup';
import type { SfuEventPayload } from '../lib/protocol/sfuRpc';
import type { Logger } from '../lib/server/logger';
import { ActiveSpeaker } from './activeSpeaker';
import { ConsumerStateReporter } from './consumerState';
import { forbidden, invalidState, mediasoupCall } from './errors';
import { infoOf, Peer, type OwnedKind } from './Peer';
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

/** What a peer joins with: its browser's capabilities, and whether to offer TCP only. */
export interface PeerSpec {
  rtpCapabilities: types.RtpCapabilities;
  forceTcp: boolean;
}

/** A joined peer and the worker slot it holds. */
export interface Member {
  peer: Peer;
  spec: PeerSpec;
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
  /** Peers that left while their join was still placing them: the join undoes itself. */
  private readonly leftWhileJoining = new Set<string>();
  /** Peers of a dead worker, until they are placed again. */
  private readonly moving = new Set<string>();
  private readonly producers = new Map<string, PublishedProducer>();
  private readonly consumerStates: ConsumerStateReporter;
  private primary!: { worker: PooledWorker; router: types.Router; speaker: ActiveSpeaker };
  private readonly unwatchWorkers: () => void;
  /** Set once create() succeeded; only an opened room reports room:closed. */
  private opened = false;
  private closed = false;

  private constructor(private readonly opts: RoomOptions) {
    this.id = opts.id;
    this.consumerStates = new ConsumerStateReporter((payload) => this.emit('consumer:state', payload));
    this.unwatchWorkers = opts.pool.onWorkerDied((dead) => {
      if (this.usesWorker(dead)) void this.workerDied(dead);
    });
  }

  static async create(opts: RoomOptions): Promise<Room> {
    const room = new Room(opts);
    try {
      await room.setPrimary(opts.pool.leastLoaded());
    } catch (err) {
      room.close('closed'); // silent: it was never reported open
      throw err;
    }
    room.opened = true;
    return room;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.primary.router.rtpCapabilities;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  usesWorker(worker: PooledWorker): boolean {
    return this.routers.has(worker);
  }

  /**
   * Places the peer on the least-loaded worker (creating the room's router there if needed) with
   * its two transports. Idempotent: a join retried after a timeout gets the first attempt's peer.
   */
  join(peerId: string, spec: PeerSpec): Promise<Member> {
    this.assertOpen();
    const member = this.members.get(peerId);
    if (member) return Promise.resolve(member);
    let pending = this.joining.get(peerId);
    if (!pending) {
      pending = this.place(peerId, spec);
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
    if (!member) {
      if (this.joining.has(peerId) || this.moving.has(peerId)) this.leftWhileJoining.add(peerId);
      return;
    }
    this.members.delete(peerId);
    member.peer.close();
    member.release();
  }

  /**
   * Registers a producer of `peer` with the room and consumes it for every other peer. A microphone
   * also joins the active-speaker observer.
   */
  async publish(peer: Peer, producer: types.Producer<ProducerAppData>): Promise<void> {
    const entry: PublishedProducer = { producer, owner: peer, pipes: new Map() };
    this.producers.set(producer.id, entry);
    producer.observer.once('close', () => this.producers.delete(producer.id));
    for (const member of this.members.values()) if (member.peer !== peer) void this.consumeFor(member.peer, entry);
    if (producer.kind === 'audio') await this.listenTo(entry);
  }

  /** For in-process sources: track an existing producer on the peer's router as the peer's own and publish it. */
  async addProducer(peerId: string, producer: types.Producer<ProducerAppData>): Promise<void> {
    const { peer } = this.member(peerId);
    peer.trackProducer(producer);
    await this.publish(peer, producer);
  }

  /**
   * Consumes every producer of the room for a peer that just joined, all at once: joining a room
   * of N senders costs the time of one consume, not N in a row.
   */
  consumeAll(peer: Peer): Promise<void> {
    return Promise.all(this.owed(peer).map((entry) => this.consumeFor(peer, entry))).then(() => undefined);
  }

  /** How many producers consumeAll() is about to offer the peer (the join tells its browser). */
  offerCount(peer: Peer): number {
    return this.owed(peer).length;
  }

  close(reason: RoomCloseReason): void {
    if (this.closed) return;
    this.closed = true; // from here on, the teardown's own consumer closures are not reported
    this.unwatchWorkers();
    this.consumerStates.clear();
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

  /** Consumes one producer for one peer and announces it; failures are logged, never thrown. */
  /** Whether the peer should be offered this producer and has not been yet. */
  private owes(peer: Peer, entry: PublishedProducer): boolean {
    return entry.owner !== peer && !peer.consumes(entry.producer.id);
  }

  private owed(peer: Peer): PublishedProducer[] {
    return [...this.producers.values()].filter((entry) => this.owes(peer, entry));
  }

  private async consumeFor(peer: Peer, entry: PublishedProducer): Promise<void> {
    if (!this.owes(peer, entry)) return;
    try {
      await this.pipe(entry, peer.router);
      if (entry.producer.closed) return;
      // Checked again after the pipe: a join's consumeAll and a new producer's fan-out may race.
      const consumer = peer.consumes(entry.producer.id) ? null : await peer.consume(entry.producer);
      if (consumer) this.emit('consumer:new', { roomId: this.id, peerId: peer.id, consumer: infoOf(consumer) });
    } catch (err) {
      if (peer.isClosed || entry.producer.closed || this.closed) return; // a race with leaving: nothing to do
      this.opts.log.warn({ err, roomId: this.id, peerId: peer.id, producerId: entry.producer.id }, 'could not consume for peer');
    }
  }

  private async place(peerId: string, spec: PeerSpec): Promise<Member> {
    const { worker, release } = await this.opts.pool.placeWhenAvailable((w) => this.routers.has(w));
    try {
      const router = await this.routerOn(worker);
      this.assertOpen();
      const peer = new Peer({
        id: peerId,
        roomId: this.id,
        router,
        webRtcServer: worker.webRtcServer,
        rtpCapabilities: spec.rtpCapabilities,
        forceTcp: spec.forceTcp,
        ownedElsewhere: (kind, id) => this.ownedByOther(peerId, kind, id),
        onConsumerLost: (consumer) => {
          this.consumerStates.forget(consumer.id);
          this.emit('consumer:closed', { roomId: this.id, peerId, consumerId: consumer.id, producerId: consumer.producerId });
        },
        onConsumerChanged: (consumer, pauseChanged) => this.consumerStates.changed(this.id, peerId, consumer, pauseChanged),
        log: this.opts.log,
      });
      await peer.createTransports();
      this.assertOpen();
      const member: Member = { peer, spec, worker, release };
      this.members.set(peerId, member);
      if (this.leftWhileJoining.delete(peerId)) {
        this.leave(peerId);
        throw invalidState('Peer left while joining');
      }
      return member;
    } catch (err) {
      release();
      throw err;
    }
  }

  /**
   * The room's router on `worker`, created on first use (one per worker, however many joins race).
   * A new router gets every producer of the room piped to it at once, so that the first peer placed
   * there does not wait for the pipes when it consumes.
   */
  private routerOn(worker: PooledWorker): Promise<types.Router> {
    let router = this.routers.get(worker);
    if (!router) {
      router = mediasoupCall(() => worker.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData: { roomId: this.id } }));
      this.routers.set(worker, router);
      router.then(
        (r) => {
          if (this.closed) return r.close(); // the room closed while the worker was creating it
          for (const entry of this.producers.values()) this.pipe(entry, r).catch(() => undefined);
        },
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

  /** The primary router (and its active-speaker observer) on `worker`; every microphone joins it. */
  private async setPrimary(worker: PooledWorker): Promise<void> {
    const router = await this.routerOn(worker);
    const speaker = await ActiveSpeaker.create(router, (peerId) => this.emit('room:active-speaker', { roomId: this.id, peerId }));
    this.primary = { worker, router, speaker };
    for (const entry of this.producers.values()) if (entry.producer.kind === 'audio') await this.listenTo(entry);
  }

  private async listenTo(entry: PublishedProducer): Promise<void> {
    const { producer } = entry;
    try {
      const { router, speaker } = this.primary;
      await this.pipe(entry, router);
      await speaker.add(producer);
    } catch (err) {
      // Not fatal to the producer: others still hear it, it just cannot become the active speaker.
      if (!producer.closed) this.opts.log.warn({ err, roomId: this.id, producerId: producer.id }, 'active-speaker setup failed');
    }
  }

  /**
   * A worker of this room died, and with it its router, the transports, producers and consumers on
   * it, and the pipes through it (mediasoup closed them before telling us; consumers elsewhere of
   * producers that lived there already reported `consumer:closed`). Its peers are placed again, on
   * a live worker, with new transports; they consume everything again, and their browsers send
   * again on the new transports.
   */
  private async workerDied(dead: PooledWorker): Promise<void> {
    const deadRouter = await this.routers.get(dead)?.catch(() => undefined);
    this.routers.delete(dead);
    if (deadRouter) for (const entry of this.producers.values()) entry.pipes.delete(deadRouter.id);
    const moved = [...this.members.values()].filter((m) => m.worker === dead);
    for (const m of moved) {
      this.moving.add(m.peer.id);
      this.members.delete(m.peer.id);
      m.peer.close();
      m.release();
    }
    this.opts.log.warn({ roomId: this.id, workerPid: dead.worker.pid, peers: moved.length }, 'worker died: moving its peers');
    try {
      if (this.primary.worker === dead) await this.setPrimary(await this.opts.pool.whenAvailable());
    } catch (err) {
      this.opts.log.error({ err, roomId: this.id }, 'could not set up a new primary router');
    }
    await Promise.all(moved.map((m) => this.replace(m)));
  }

  /** Places a peer whose worker died again, tells its browser the new transports, and consumes. */
  private async replace(old: Member): Promise<void> {
    try {
      this.moving.delete(old.peer.id);
      if (this.leftWhileJoining.delete(old.peer.id)) return; // it left while its worker was being replaced
      const member = await this.join(old.peer.id, old.spec);
      this.emit('peer:media-reset', { roomId: this.id, peerId: old.peer.id, transports: member.peer.transportParams() });
      await this.consumeAll(member.peer);
    } catch (err) {
      if (this.closed || (err instanceof Error && err.message === 'Peer left while joining')) return;
      // The web process sees the peer's media silent and its next request FORBIDDEN; it can rejoin.
      this.opts.log.error({ err, roomId: this.id, peerId: old.peer.id }, 'could not move peer off a dead worker');
    }
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
