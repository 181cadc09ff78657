/**
 * One participant's media on this node: at most one send and one recv WebRtcTransport, up to one
 * producer per source (camera, mic, screen) and a bounded number of consumers, all on the router
 * of the worker the peer was placed on.
 *
 * Every id a request names is looked up among this peer's own objects: an id owned by another peer
 * of the room is FORBIDDEN, an unknown one NOT_FOUND (e.g. a consumer that just closed with its
 * producer: a race the web process should shrug off, not flag as abuse).
 *
 * Requests of one peer run one at a time (`serial`), so checks like "one transport per direction"
 * cannot be raced by two concurrent requests; different peers still run concurrently.
 */
import type { types } from 'mediasoup';
import type { ProducerSource } from '../lib/protocol/mediasoupSchemas';
import type { TransportParams } from '../lib/protocol/sfuRpc';
import type { Logger } from '../lib/server/logger';
import { badRequest, forbidden, invalidState, mediasoupCall, notFound } from './errors';
import type { ProducerAppData, TransportAppData } from './types';

/**
 * Transports need no number here: one per direction (consumer:create names no transport, so the
 * recv transport must be unique), hence two at most.
 */
export const PEER_LIMITS = {
  /** camera, mic, screen: one producer each. */
  producers: 3,
  /** Enough for a large meeting's audio + video; bounds what one peer can make the node do. */
  consumers: 100,
  /**
   * What a send transport accepts, in bits/s (mediasoup tells the browser through its bandwidth
   * feedback): a camera's three simulcast layers (≤ 2.15 Mbps), a screen (≤ 2.5 Mbps) and a mic,
   * with headroom. A peer that ignores its own encodings' caps gets no more than this.
   */
  incomingBitrate: 6_000_000,
} as const;

/** A first estimate for send-side bandwidth estimation, so video starts watchable (default: 600 kbps). */
const INITIAL_OUTGOING_BITRATE = 1_000_000;

/**
 * Key-frame requests to a browser's encoder are at least this far apart; one asked for meanwhile
 * is sent when the time is up. Chrome ignores a request that comes within 300 ms of its last key
 * frame, and mediasoup then re-asks only after 1 s. That hit every consumer on a router the
 * producer had just been piped to: the pipe's own request took the key frame, the new consumer's
 * request was ignored, and its first picture came ~1.3 s after joining instead of ~0.4 s.
 */
const KEY_FRAME_REQUEST_SPACING_MS = 350;

const SOURCE_KIND: Record<ProducerSource, types.MediaKind> = { camera: 'video', mic: 'audio', screen: 'video' };

export type OwnedKind = 'transport' | 'producer' | 'consumer';

export interface PeerOptions {
  id: string;
  roomId: string;
  router: types.Router;
  webRtcServer: types.WebRtcServer;
  /** Whether another peer of the room owns this id: FORBIDDEN rather than NOT_FOUND. */
  ownedElsewhere: (kind: OwnedKind, id: string) => boolean;
  /** A consumer closed because its producer closed (not because this peer closed it). */
  onConsumerLost: (consumer: types.Consumer) => void;
  log: Logger;
}

export class Peer {
  readonly id: string;
  readonly router: types.Router;
  private readonly transports = new Map<string, types.WebRtcTransport<TransportAppData>>();
  private readonly producers = new Map<string, types.Producer<ProducerAppData>>();
  private readonly consumers = new Map<string, types.Consumer>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: PeerOptions) {
    this.id = opts.id;
    this.router = opts.router;
  }

  /**
   * Runs `task` after every earlier task of this peer has settled. mediasoup 3.27 puts no timeout
   * on worker requests, so a hung worker stalls this queue; the web process's request timeout
   * reports it, and nothing else on a hung worker could progress either.
   */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined); // a failed task does not fail the ones after it
    return run;
  }

  /** This peer's live transports, producers and consumers, as a snapshot (for stats). */
  media() {
    return {
      transports: [...this.transports.values()],
      producers: [...this.producers.values()],
      consumers: [...this.consumers.values()],
    };
  }

  owns(kind: OwnedKind, id: string): boolean {
    return this.collection(kind).has(id);
  }

  async createTransport(direction: 'send' | 'recv', forceTcp: boolean): Promise<TransportParams> {
    this.assertOpen();
    if ([...this.transports.values()].some((t) => t.appData.direction === direction)) {
      throw invalidState(`Peer already has a ${direction} transport`);
    }
    const transport = await mediasoupCall(() =>
      this.router.createWebRtcTransport<TransportAppData>({
        webRtcServer: this.opts.webRtcServer,
        // forceTcp is for networks that drop UDP (or when UDP just failed): offer TCP only, so the
        // browser does not spend its ICE timeout on UDP pairs first.
        enableUdp: !forceTcp,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE,
        appData: { direction, connected: false },
      }),
    );
    if (direction === 'send') {
      await mediasoupCall(() => transport.setMaxIncomingBitrate(PEER_LIMITS.incomingBitrate)).catch((err: unknown) => {
        transport.close();
        throw err;
      });
    }
    if (this.closed) {
      transport.close(); // the peer left while the worker was creating it
      throw invalidState('Peer left');
    }
    this.transports.set(transport.id, transport);
    transport.observer.once('close', () => this.transports.delete(transport.id));
    transport.on('dtlsstatechange', (state) => {
      // Logged, not acted on: the browser sees the same failure and decides (recreate or leave).
      if (state === 'failed' || state === 'closed') {
        this.opts.log.warn(
          { roomId: this.opts.roomId, peerId: this.id, transportId: transport.id, state },
          'transport DTLS ended',
        );
      }
    });
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      // Only the contract's fields: `ip` is mediasoup's deprecated alias of `address`.
      iceCandidates: transport.iceCandidates.map(
        ({ foundation, priority, address, protocol, port, type, tcpType }) => ({
          foundation,
          priority,
          address,
          protocol,
          port,
          type,
          ...(tcpType ? { tcpType } : {}),
        }),
      ),
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    const transport = this.own('transport', transportId);
    if (transport.appData.connected) throw invalidState('Transport already connected');
    await mediasoupCall(() => transport.connect({ dtlsParameters }));
    // Only after success: a refused connect (bad fingerprint, say) left the transport unconnected,
    // and a corrected retry is legitimate.
    transport.appData.connected = true;
  }

  async restartIce(transportId: string): Promise<types.IceParameters> {
    const transport = this.own('transport', transportId);
    return mediasoupCall(() => transport.restartIce());
  }

  async produce(req: {
    transportId: string;
    kind: types.MediaKind;
    rtpParameters: types.RtpParameters;
    source: ProducerSource;
    paused: boolean;
  }): Promise<types.Producer<ProducerAppData>> {
    const transport = this.own('transport', req.transportId);
    if (transport.appData.direction !== 'send') throw badRequest('Producers need a send transport');
    this.assertCanProduce(req.source, req.kind);
    const producer = await mediasoupCall(() =>
      transport.produce<ProducerAppData>({
        kind: req.kind,
        rtpParameters: req.rtpParameters,
        paused: req.paused,
        keyFrameRequestDelay: req.kind === 'video' ? KEY_FRAME_REQUEST_SPACING_MS : 0,
        appData: { peerId: this.id, source: req.source },
      }),
    );
    this.trackProducer(producer);
    return producer;
  }

  /**
   * Makes an existing producer on this peer's router one of its own. produce() uses it; so can
   * in-process sources (e.g. a PlainTransport RTP ingest), which the RPC does not offer.
   */
  trackProducer(producer: types.Producer<ProducerAppData>): void {
    try {
      this.assertCanProduce(producer.appData.source, producer.kind);
    } catch (err) {
      producer.close(); // e.g. the peer left while the worker was creating it
      throw err;
    }
    this.producers.set(producer.id, producer);
    producer.observer.once('close', () => this.producers.delete(producer.id));
  }

  producer(producerId: string): types.Producer<ProducerAppData> {
    return this.own('producer', producerId);
  }

  /**
   * Consumes a producer that is already on this peer's router (the room pipes it here first).
   * Always paused: media must not flow before the browser has its consumer to receive it.
   */
  async consume(producerId: string, rtpCapabilities: types.RtpCapabilities): Promise<types.Consumer> {
    this.assertOpen();
    const transport = [...this.transports.values()].find((t) => t.appData.direction === 'recv');
    if (!transport) throw invalidState('Create a recv transport before consuming');
    if (this.consumers.size >= PEER_LIMITS.consumers) {
      throw invalidState(`Consumer limit (${PEER_LIMITS.consumers}) reached`);
    }
    // canConsume also validates the capabilities (returning false rather than throwing).
    if (!this.router.canConsume({ producerId, rtpCapabilities })) {
      throw badRequest(`These rtpCapabilities cannot consume producer ${producerId}`);
    }
    const consumer = await mediasoupCall(() =>
      transport.consume({
        producerId,
        rtpCapabilities,
        paused: true,
        // Simulcast starts on the lowest layer: its key frame is small and arrives first (join
        // time p50 −35 ms, bench/join-time.ts); the browser then asks for the layer its tile needs.
        preferredLayers: { spatialLayer: 0 },
        appData: { peerId: this.id },
      }),
    );
    this.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => this.consumers.delete(consumer.id));
    consumer.once('producerclose', () => this.opts.onConsumerLost(consumer));
    return consumer;
  }

  consumer(consumerId: string): types.Consumer {
    return this.own('consumer', consumerId);
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    const consumer = this.own('consumer', consumerId);
    await mediasoupCall(() => consumer.resume());
    // The worker already asks for a key frame when a consumer resumes while active; asking here too
    // costs one coalesced PLI and makes the first frame not depend on that worker detail.
    if (consumer.kind === 'video') await mediasoupCall(() => consumer.requestKeyFrame());
  }

  async setConsumerLayers(consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    const consumer = this.own('consumer', consumerId);
    if (consumer.type !== 'simulcast' && consumer.type !== 'svc') {
      throw badRequest(`A ${consumer.type} consumer has no layers`);
    }
    await mediasoupCall(() => consumer.setPreferredLayers({ spatialLayer, temporalLayer }));
  }

  /** Closing the transports closes every producer and consumer on them. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const transport of this.transports.values()) transport.close();
  }

  private assertCanProduce(source: ProducerSource, kind: types.MediaKind): void {
    this.assertOpen();
    if (SOURCE_KIND[source] !== kind) throw badRequest(`A ${source} producer must be ${SOURCE_KIND[source]}`);
    if ([...this.producers.values()].some((p) => p.appData.source === source)) {
      throw invalidState(`Peer already produces ${source}`);
    }
    if (this.producers.size >= PEER_LIMITS.producers) throw invalidState('Producer limit reached');
  }

  private assertOpen(): void {
    if (this.closed) throw invalidState('Peer left');
  }

  private collection(kind: 'transport'): Map<string, types.WebRtcTransport<TransportAppData>>;
  private collection(kind: 'producer'): Map<string, types.Producer<ProducerAppData>>;
  private collection(kind: 'consumer'): Map<string, types.Consumer>;
  private collection(kind: OwnedKind): Map<string, unknown>;
  private collection(kind: OwnedKind) {
    return kind === 'transport' ? this.transports : kind === 'producer' ? this.producers : this.consumers;
  }

  private own(kind: 'transport', id: string): types.WebRtcTransport<TransportAppData>;
  private own(kind: 'producer', id: string): types.Producer<ProducerAppData>;
  private own(kind: 'consumer', id: string): types.Consumer;
  private own(kind: OwnedKind, id: string): unknown {
    const found = this.collection(kind).get(id);
    if (found) return found;
    if (this.opts.ownedElsewhere(kind, id)) throw forbidden(`${kind} ${id} belongs to another peer`);
    throw notFound(`No ${kind} ${id} for peer ${this.id}`);
  }
}
