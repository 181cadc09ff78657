/**
 * The browser side of a room's media, around mediasoup-client: one Device loaded with the router's
 * capabilities, the send and receive transports the server created at join (connected here), one
 * producer per source (camera: VP8 simulcast, 3 layers; mic: opus; screen) and the consumers the
 * server pushes. Signalling goes through the web process (`request`); the node checks every id.
 */
import { Device, type types } from 'mediasoup-client';
import type { IceConfig, PeerTransports, ProducerSource, RoomConsumer } from '../../protocol';
import { fetchIceConfig } from '../ice';
import { checkConnection, request } from '../socket';

type Transport = types.Transport;
type Producer = types.Producer;
type Consumer = types.Consumer;

/**
 * Three simulcast layers at 1/4, 1/2 and full resolution. Each has three temporal layers (L1T3), so
 * the SFU can also thin the frame rate for a receiver on a poor link.
 */
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 1_500_000, scalabilityMode: 'L1T3' },
];

/** A video consumer's preferred layer is applied after its first media, or after this long without. */
const FIRST_MEDIA_MAX_WAIT_MS = 3000;

/** ICE `disconnected` often heals by itself; restart only if it lasts this long. */
const DISCONNECTED_RESTART_MS = 3000;

export type TransportState = types.ConnectionState;

export interface SfuClientEvents {
  onTransportState?: (direction: 'send' | 'recv', state: TransportState) => void;
  /** A local track ended outside our control (screen share stopped from the browser's own bar). */
  onProducerEnded?: (source: ProducerSource) => void;
}

export class SfuClient {
  private device: Device | null = null;
  private loading: Promise<void> | null = null;
  private loadedWith: string | null = null;
  /** Fetched once, with the first transports. */
  private ice: Promise<IceConfig> | null = null;
  private sendTransport: Transport | null = null;
  private recvTransport: Transport | null = null;
  private readonly producers = new Map<ProducerSource, Producer>();
  /** Keyed by consumer id (the server's). */
  private readonly consumers = new Map<string, Consumer>();
  /**
   * Consumes under way: the server pushes a batch again when our ack is late (a busy page), and the
   * second push must get the same consumer, not a second consume of the same id that fails and has
   * the server close the consumer the first push is still making.
   */
  private readonly accepting = new Map<string, Promise<Consumer>>();
  /** Consumers the server closed while we were still making them: closed as soon as they exist. */
  private readonly droppedWhileAccepting = new Set<string>();
  /** Transports with an ICE restart under way. */
  private readonly restarting = new Set<string>();
  /** The simulcast layer each consumer's tile asked for (see setPreferredLayer). */
  private readonly wantedLayers = new Map<string, number>();
  private closed = false;

  constructor(private readonly events: SfuClientEvents = {}) {}

  /** Loads the device (once per set of capabilities: every router of a deployment has the same). */
  load(routerRtpCapabilities: unknown): Promise<void> {
    const key = JSON.stringify(routerRtpCapabilities);
    if (this.loading && this.loadedWith === key) return this.loading;
    this.loadedWith = key;
    this.loading = (async () => {
      const device = await Device.factory();
      await device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
      this.device = device;
    })();
    this.loading.catch(() => {
      if (this.loadedWith === key) this.loading = this.loadedWith = null;
    });
    return this.loading;
  }

  /** Fetches the ICE servers ahead of connect() (the pre-join screen calls it), saving a round trip. */
  prefetchIce(): void {
    this.ice ??= fetchIceConfig();
    this.ice.catch(() => (this.ice = null));
  }

  get rtpCapabilities(): types.RtpCapabilities {
    if (!this.device) throw new Error('SfuClient.load() first');
    return this.device.rtpCapabilities;
  }

  /**
   * Takes the transports the server created for this seat. Anything from an earlier pair (the
   * server moved our media) is closed first: producers must be made again on the new one.
   */
  async connect(params: PeerTransports): Promise<void> {
    await this.loading;
    this.dropMedia();
    this.ice ??= fetchIceConfig();
    const ice = await this.ice;
    if (this.closed) return;
    this.sendTransport = this.createTransport('send', params.send, ice);
    this.recvTransport = this.createTransport('recv', params.recv, ice);
  }

  /** Whether these are the transports we hold (a resumed seat may have been given new ones). */
  holds(params: PeerTransports): boolean {
    return this.sendTransport?.id === params.send.id && this.recvTransport?.id === params.recv.id;
  }

  producer(source: ProducerSource): Producer | undefined {
    return this.producers.get(source);
  }

  /** Sends a track; `paused` creates the producer paused on the server too (no second request). */
  async produce(source: ProducerSource, track: MediaStreamTrack, paused: boolean): Promise<Producer> {
    const transport = this.requireTransport('send');
    const vp8 = this.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
    const producer = await transport.produce({
      track,
      appData: { source, paused },
      stopTracks: false,
      // A paused microphone sends no RTP at all (not even silence), so muting is airtight.
      zeroRtpOnPause: source === 'mic',
      ...(source === 'camera' ? { encodings: CAMERA_ENCODINGS, codec: vp8 } : {}),
      ...(source === 'screen' ? { encodings: [{ maxBitrate: 2_500_000 }], codec: vp8 } : {}),
      ...(source === 'mic' ? { codecOptions: { opusStereo: false, opusDtx: true, opusFec: true } } : {}),
    });
    if (paused) producer.pause();
    producer.on('trackended', () => {
      void this.stopProducing(source);
      this.events.onProducerEnded?.(source);
    });
    this.producers.set(source, producer);
    return producer;
  }

  async stopProducing(source: ProducerSource) {
    const producer = this.producers.get(source);
    if (!producer) return;
    this.producers.delete(source);
    producer.close();
    await request('room:producer-close', { producerId: producer.id }).catch(() => undefined);
  }

  /** Pause or resume what we send for a source; the server pauses forwarding too, and others see it. */
  async setProducerPaused(source: ProducerSource, paused: boolean) {
    const producer = this.producers.get(source);
    if (!producer || producer.paused === paused) return;
    if (paused) producer.pause();
    else producer.resume();
    await request(paused ? 'room:producer-pause' : 'room:producer-resume', { producerId: producer.id });
  }

  /** The host paused our mic on the server: mirror it locally so the UI and the wire agree. */
  pausedByServer(producerId: string) {
    for (const producer of this.producers.values()) if (producer.id === producerId) producer.pause();
  }

  async replaceTrack(source: ProducerSource, track: MediaStreamTrack) {
    await this.producers.get(source)?.replaceTrack({ track });
  }

  /**
   * Accepts a consumer the server created (paused) for us: creates it locally, so that the first
   * packets after the server resumes it (and the key frame it asks for) have somewhere to go.
   * Idempotent: a push repeated after a lost ack gets the consumer made the first time.
   */
  accept(info: RoomConsumer): Promise<Consumer> {
    const existing = this.consumers.get(info.consumerId);
    if (existing && !existing.closed) return Promise.resolve(existing);
    const inFlight = this.accepting.get(info.consumerId);
    if (inFlight) return inFlight;
    const made = this.consume(info).finally(() => {
      this.accepting.delete(info.consumerId);
      this.droppedWhileAccepting.delete(info.consumerId);
    });
    this.accepting.set(info.consumerId, made);
    return made;
  }

  private async consume(info: RoomConsumer): Promise<Consumer> {
    const transport = this.requireTransport('recv');
    const consumer = await transport.consume({
      id: info.consumerId,
      producerId: info.producerId,
      kind: info.kind,
      rtpParameters: info.rtpParameters as types.RtpParameters,
      // The same participant's camera and mic in one stream: the browser keeps them in lip-sync.
      streamId: info.streamId,
      // Set once its first media has arrived: only then may its layer move up (setPreferredLayer).
      appData: { flowing: false },
    });
    if (this.closed || transport !== this.recvTransport) {
      consumer.close();
      throw new Error('the media transport changed meanwhile');
    }
    if (this.droppedWhileAccepting.has(consumer.id)) {
      consumer.close();
      throw new Error('the server closed this consumer meanwhile');
    }
    this.consumers.set(consumer.id, consumer);
    if (consumer.kind === 'video') {
      void firstMedia(consumer.track, FIRST_MEDIA_MAX_WAIT_MS).then(() => {
        consumer.appData.flowing = true;
        const layer = this.wantedLayers.get(consumer.id);
        if (layer !== undefined) void this.setPreferredLayer(consumer.id, layer);
      });
    }
    return consumer;
  }

  consumerIds(): string[] {
    return [...this.consumers.keys()];
  }

  /** Consumers we paused ourselves (off-screen tiles): re-applied after a resume. */
  pausedConsumerIds(): string[] {
    return [...this.consumers.values()].filter((c) => c.paused).map((c) => c.id);
  }

  /** The server closed the consumer (its producer went away), or no longer holds it. */
  drop(consumerId: string) {
    if (this.accepting.has(consumerId)) this.droppedWhileAccepting.add(consumerId);
    this.consumers.get(consumerId)?.close();
    this.consumers.delete(consumerId);
    this.wantedLayers.delete(consumerId);
  }

  /** Off-screen tiles need no media: pausing the consumer stops the SFU forwarding it. */
  async setConsumerPaused(consumerId: string, paused: boolean, force = false) {
    const consumer = this.consumers.get(consumerId);
    if (!consumer || consumer.closed || (consumer.paused === paused && !force)) return;
    if (paused) consumer.pause();
    else consumer.resume();
    await request(paused ? 'room:consumer-pause' : 'room:consumer-resume', { consumerId }).catch(() => undefined);
  }

  /**
   * 0 = lowest simulcast layer … 2 = full resolution. Remembered per consumer: the SFU starts each
   * consumer on the lowest layer, whose small key frame makes the first picture come sooner, and
   * the layer the tile asked for is applied once that first media has arrived.
   */
  async setPreferredLayer(consumerId: string, spatialLayer: number) {
    this.wantedLayers.set(consumerId, spatialLayer);
    const consumer = this.consumers.get(consumerId);
    if (!consumer || consumer.closed || consumer.kind !== 'video' || !consumer.appData.flowing) return;
    await request('room:consumer-layers', { consumerId, spatialLayer }).catch(() => undefined);
  }

  /**
   * Restarts ICE on each transport that is not connected: after a resume, those the server does
   * not see connected; on the user's "Try again", those this browser does not.
   */
  restartIceWhereDown(connected?: { send: boolean; recv: boolean }) {
    const up = (t: Transport | null) => !t || t.connectionState === 'connected' || t.connectionState === 'new';
    const send = connected?.send ?? up(this.sendTransport);
    const recv = connected?.recv ?? up(this.recvTransport);
    if (!send && this.sendTransport) void this.restartIce(this.sendTransport);
    if (!recv && this.recvTransport) void this.restartIce(this.recvTransport);
  }

  /** getStats() of every live consumer, for the quality indicators. */
  async consumerStats(): Promise<Map<string, RTCStatsReport>> {
    const entries = await Promise.all(
      [...this.consumers.values()].map(async (c) => [c.id, await c.getStats().catch(() => null)] as const),
    );
    return new Map(entries.filter((e): e is [string, RTCStatsReport] => e[1] !== null));
  }

  close() {
    this.closed = true;
    this.dropMedia();
  }

  private dropMedia() {
    for (const consumer of this.consumers.values()) consumer.close();
    for (const producer of this.producers.values()) producer.close();
    this.consumers.clear();
    this.producers.clear();
    this.wantedLayers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = this.recvTransport = null;
  }

  private requireTransport(direction: 'send' | 'recv'): Transport {
    const transport = direction === 'send' ? this.sendTransport : this.recvTransport;
    if (!transport) throw new Error(`No ${direction} transport`);
    return transport;
  }

  private createTransport(direction: 'send' | 'recv', params: PeerTransports['send'], ice: IceConfig): Transport {
    if (!this.device) throw new Error('SfuClient.load() first');
    const options = {
      id: params.id,
      iceParameters: params.iceParameters as types.IceParameters,
      iceCandidates: params.iceCandidates as types.IceCandidate[],
      dtlsParameters: params.dtlsParameters as types.DtlsParameters,
      // TURN servers matter here too: a browser that may only relay (ICE_TRANSPORT_POLICY, or a
      // network that blocks UDP) reaches the SFU through TURN.
      iceServers: ice.iceServers,
      iceTransportPolicy: ice.iceTransportPolicy,
    };
    const transport = direction === 'send' ? this.device.createSendTransport(options) : this.device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      request('room:transport-connect', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(
        () => callback(),
        errback,
      );
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const { source, paused } = appData as { source: ProducerSource; paused: boolean };
        request('room:produce', { transportId: transport.id, kind, rtpParameters: rtpParameters as never, source, paused }).then(
          ({ producerId }) => callback({ id: producerId }),
          errback,
        );
      });
    }
    let disconnectTimer: ReturnType<typeof setTimeout> | undefined;
    let restartedAfterFailure = false;
    transport.on('connectionstatechange', (state) => {
      if (transport.closed) return;
      this.events.onTransportState?.(direction, state);
      clearTimeout(disconnectTimer);
      if (state === 'connected') restartedAfterFailure = false;
      // Media stalled: the network may have changed under the signalling connection too.
      if (state === 'disconnected' || state === 'failed') void checkConnection();
      if (state === 'disconnected') disconnectTimer = setTimeout(() => void this.restartIce(transport), DISCONNECTED_RESTART_MS);
      if (state === 'failed' && !restartedAfterFailure) {
        restartedAfterFailure = true;
        void this.restartIce(transport);
      }
    });
    return transport;
  }

  /**
   * Retried every few seconds while the transport is not connected (its request may be lost with a
   * dead socket). One at a time per transport: two in flight could apply their ICE credentials out
   * of order, leaving the browser with older ones than the server expects.
   */
  private async restartIce(transport: Transport) {
    if (this.closed || transport.closed || transport.connectionState === 'connected') return;
    if (this.restarting.has(transport.id)) return;
    this.restarting.add(transport.id);
    let retry = false;
    try {
      const { iceParameters } = await request('room:transport-restart-ice', { transportId: transport.id }, 5_000);
      await transport.restartIce({ iceParameters: iceParameters as types.IceParameters });
    } catch (err) {
      retry = !transport.closed;
      if (retry) console.warn('[confab] ICE restart failed; trying again', err);
    } finally {
      this.restarting.delete(transport.id);
    }
    if (retry) setTimeout(() => void this.restartIce(transport), DISCONNECTED_RESTART_MS);
  }
}

/** Resolves when a remote track gets its first media (it starts muted), or after `maxWaitMs`. */
/** Resolves when the track's first media arrived (it unmutes), or after `maxWaitMs`. */
export function firstMedia(track: MediaStreamTrack, maxWaitMs: number): Promise<void> {
  if (!track.muted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxWaitMs);
    track.addEventListener(
      'unmute',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
