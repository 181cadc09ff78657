/**
 * One participant's media on this node: one send and one recv WebRtcTransport (created together,
 * see createTransports), up to one producer per source (camera, mic, screen) and a bounded number
 * of consumers, all on the router of the worker the peer was placed on. The browser's
 * rtpCapabilities are given once, at join, and kept here: every consumer is made with them.
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
import type { ConsumerInfo, PeerTransports, TransportParams } from '../lib/protocol/sfuRpc';
import type { Logger } from '../lib/server/logger';
import { badRequest, forbidden, invalidState, mediasoupCall, notFound } from './errors';
import type { ProducerAppData, TransportAppData } from './types';

/** Transports need no number here: a peer has exactly one per direction. */
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

/** Stamped on every consumer: what the browser is told about it (see ConsumerInfo). */
export interface ConsumerAppData {
  [key: string]: unknown;
  producerPeerId: string;
  source: ProducerSource;
  streamId: string;
}

export interface PeerOptions {
  id: string;
  roomId: string;
  router: types.Router;
  webRtcServer: types.WebRtcServer;
  /** The browser's, validated by the schema; mediasoup checks them against each producer. */
  rtpCapabilities: types.RtpCapabilities;
  /** Offer TCP candidates only (networks that drop UDP). */
  forceTcp: boolean;
  /** Whether another peer of the room owns this id: FORBIDDEN rather than NOT_FOUND. */
  ownedElsewhere: (kind: OwnedKind, id: string) => boolean;
  /** A consumer closed because its producer closed (not because this peer closed it). */
  onConsumerLost: (consumer: types.Consumer<ConsumerAppData>) => void;
  /** A consumer's producer paused or resumed (`pauseChanged`), its score or its layers changed. */
  onConsumerChanged: (consumer: types.Consumer<ConsumerAppData>, pauseChanged: boolean) => void;
  log: Logger;
}

/** The same participant's camera and mic share one stream id; a screen share has its own. */
export const streamIdOf = (peerId: string, source: ProducerSource) => `${peerId}.${source === 'screen' ? 'screen' : 'av'}`;

export class Peer {
  readonly id: string;
  readonly router: types.Router;
  private readonly transports = new Map<string, types.WebRtcTransport<TransportAppData>>();
  private readonly producers = new Map<string, types.Producer<ProducerAppData>>();
  private readonly consumers = new Map<string, types.Consumer<ConsumerAppData>>();
  /** Producers a consume() is under way for (see consume). */
  private readonly consuming = new Set<string>();
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

  get isClosed(): boolean {
    return this.closed;
  }

  owns(kind: OwnedKind, id: string): boolean {
    return this.collection(kind).has(id);
  }

  /** Both transports, created once (in parallel: each is one worker round trip). */
  async createTransports(): Promise<PeerTransports> {
    this.assertOpen();
    if (this.transports.size) throw invalidState('Peer already has its transports');
    const [send, recv] = await Promise.all([this.createTransport('send'), this.createTransport('recv')]);
    return { send, recv };
  }

  /** The parameters of both transports, as the browser needs them (again, on a resumed seat). */
  transportParams(): PeerTransports {
    return { send: paramsOf(this.transport('send')), recv: paramsOf(this.transport('recv')) };
  }

  /** Whether ICE is connected on each transport (a resumed browser restarts ICE where it is not). */
  transportsConnected(): { send: boolean; recv: boolean } {
    const up = (t: types.WebRtcTransport) => t.iceState === 'connected' || t.iceState === 'completed';
    return { send: up(this.transport('send')), recv: up(this.transport('recv')) };
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<TransportParams> {
    const forceTcp = this.opts.forceTcp;
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
    return paramsOf(transport);
  }

  private transport(direction: 'send' | 'recv'): types.WebRtcTransport<TransportAppData> {
    const found = [...this.transports.values()].find((t) => t.appData.direction === direction);
    if (!found) throw invalidState(`Peer has no ${direction} transport`);
    return found;
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

  producerOf(source: ProducerSource): types.Producer<ProducerAppData> | undefined {
    return [...this.producers.values()].find((p) => p.appData.source === source);
  }

  producer(producerId: string): types.Producer<ProducerAppData> {
    return this.own('producer', producerId);
  }

  /** Whether this peer already consumes the producer, or is being given it (one consumer per producer). */
  consumes(producerId: string): boolean {
    if (this.consuming.has(producerId)) return true;
    for (const c of this.consumers.values()) if (c.producerId === producerId) return true;
    return false;
  }

  /**
   * Consumes a producer that is already on this peer's router (the room pipes it here first).
   * Always paused: media must not flow before the browser has its consumer to receive it.
   */
  async consume(producer: { id: string; appData: ProducerAppData }): Promise<types.Consumer<ConsumerAppData>> {
    this.assertOpen();
    const transport = this.transport('recv');
    if (this.consumes(producer.id)) throw invalidState(`Peer already consumes producer ${producer.id}`);
    if (this.consumers.size + this.consuming.size >= PEER_LIMITS.consumers) {
      throw invalidState(`Consumer limit (${PEER_LIMITS.consumers}) reached`);
    }
    const { rtpCapabilities } = this.opts;
    // canConsume also validates the capabilities (returning false rather than throwing).
    if (!this.router.canConsume({ producerId: producer.id, rtpCapabilities })) {
      throw badRequest(`These rtpCapabilities cannot consume producer ${producer.id}`);
    }
    const { peerId, source } = producer.appData;
    // Reserved before the await: consumes of one peer run concurrently (a join's N producers cost
    // about one worker round trip, not N), and the checks above must hold for all of them.
    this.consuming.add(producer.id);
    const consumer = await mediasoupCall(() =>
      transport.consume<ConsumerAppData>({
        producerId: producer.id,
        rtpCapabilities,
        paused: true,
        // Simulcast starts on the lowest layer: its key frame is small and arrives first (join
        // time p50 −35 ms, bench/join-time.ts); the browser then asks for the layer its tile needs.
        preferredLayers: { spatialLayer: 0 },
        appData: { producerPeerId: peerId, source, streamId: streamIdOf(peerId, source) },
      }),
    ).finally(() => this.consuming.delete(producer.id));
    if (this.closed) {
      consumer.close(); // the peer left while the worker was creating it
      throw invalidState('Peer left');
    }
    this.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => this.consumers.delete(consumer.id));
    consumer.once('producerclose', () => this.opts.onConsumerLost(consumer));
    consumer.on('producerpause', () => this.opts.onConsumerChanged(consumer, true));
    consumer.on('producerresume', () => this.opts.onConsumerChanged(consumer, true));
    consumer.on('score', () => this.opts.onConsumerChanged(consumer, false));
    consumer.on('layerschange', () => this.opts.onConsumerChanged(consumer, false));
    return consumer;
  }

  consumer(consumerId: string): types.Consumer<ConsumerAppData> {
    return this.own('consumer', consumerId);
  }

  /** Every consumer, as the browser is told about them. */
  consumerInfos(): ConsumerInfo[] {
    return [...this.consumers.values()].map(infoOf);
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
  private collection(kind: 'consumer'): Map<string, types.Consumer<ConsumerAppData>>;
  private collection(kind: OwnedKind): Map<string, unknown>;
  private collection(kind: OwnedKind) {
    return kind === 'transport' ? this.transports : kind === 'producer' ? this.producers : this.consumers;
  }

  private own(kind: 'transport', id: string): types.WebRtcTransport<TransportAppData>;
  private own(kind: 'producer', id: string): types.Producer<ProducerAppData>;
  private own(kind: 'consumer', id: string): types.Consumer<ConsumerAppData>;
  private own(kind: OwnedKind, id: string): unknown {
    const found = this.collection(kind).get(id);
    if (found) return found;
    if (this.opts.ownedElsewhere(kind, id)) throw forbidden(`${kind} ${id} belongs to another peer`);
    throw notFound(`No ${kind} ${id} for peer ${this.id}`);
  }
}

function paramsOf(transport: types.WebRtcTransport): TransportParams {
  return {
    id: transport.id,
    iceParameters: transport.iceParameters,
    // Only the contract's fields: `ip` is mediasoup's deprecated alias of `address`.
    iceCandidates: transport.iceCandidates.map(({ foundation, priority, address, protocol, port, type, tcpType }) => ({
      foundation,
      priority,
      address,
      protocol,
      port,
      type,
      ...(tcpType ? { tcpType } : {}),
    })),
    dtlsParameters: transport.dtlsParameters,
  };
}

export function infoOf(consumer: types.Consumer<ConsumerAppData>): ConsumerInfo {
  return {
    consumerId: consumer.id,
    producerId: consumer.producerId,
    producerPeerId: consumer.appData.producerPeerId,
    source: consumer.appData.source,
    kind: consumer.kind,
    rtpParameters: consumer.rtpParameters,
    type: consumer.type,
    producerPaused: consumer.producerPaused,
    streamId: consumer.appData.streamId,
  };
}
