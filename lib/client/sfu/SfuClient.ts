/**
 * The browser side of a room's media, around mediasoup-client: one Device loaded with the router's
 * capabilities, one send and one receive transport, producers for camera (VP8 simulcast, 3 layers),
 * microphone (opus) and screen, and one consumer per remote producer. All signalling goes through
 * the web process (`request`), which checks every id against what this user owns.
 */
import { Device, type types } from 'mediasoup-client';
import type { IceConfig, ProducerSource } from '../../protocol';
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
  private loaded: Promise<void> | null = null;
  /** Fetched once, with the first transport. */
  private ice: Promise<IceConfig> | null = null;
  private sendTransport: Transport | null = null;
  private recvTransport: Transport | null = null;
  private readonly producers = new Map<ProducerSource, Producer>();
  /** Keyed by the remote producer id. */
  private readonly consumers = new Map<string, Consumer>();
  /** The simulcast layer each remote producer's tile asked for (see setPreferredLayer). */
  private readonly wantedLayers = new Map<string, number>();
  private closed = false;

  constructor(private readonly events: SfuClientEvents = {}) {}

  load(routerRtpCapabilities: unknown): Promise<void> {
    this.loaded ??= (async () => {
      const device = await Device.factory();
      await device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
      this.device = device;
    })();
    return this.loaded;
  }

  /**
   * Starts creating a transport now. Its server half needs no device, so asking for it while
   * load() is still probing the browser saves a round trip on the way to the first remote frame.
   */
  prepareTransport(direction: 'send' | 'recv') {
    this.transport(direction).catch(() => undefined); // a real use reports the error
  }

  get rtpCapabilities() {
    return this.requireDevice().rtpCapabilities;
  }

  producer(source: ProducerSource): Producer | undefined {
    return this.producers.get(source);
  }

  consumerFor(producerId: string): Consumer | undefined {
    return this.consumers.get(producerId);
  }

  async produce(source: ProducerSource, track: MediaStreamTrack): Promise<Producer> {
    const transport = await this.transport('send');
    const device = this.requireDevice();
    const vp8 = device.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
    const producer = await transport.produce({
      track,
      appData: { source },
      stopTracks: false,
      // A paused microphone sends no RTP at all (not even silence), so muting is airtight.
      zeroRtpOnPause: source === 'mic',
      ...(source === 'camera' ? { encodings: CAMERA_ENCODINGS, codec: vp8 } : {}),
      ...(source === 'screen' ? { encodings: [{ maxBitrate: 2_500_000 }], codec: vp8 } : {}),
      ...(source === 'mic' ? { codecOptions: { opusStereo: false, opusDtx: true, opusFec: true } } : {}),
    });
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
   * Consume a remote producer. The server creates the consumer paused; we resume it only once our
   * local consumer exists, so the first packets (and the key frame the resume requests) are not lost.
   */
  async consume(producerId: string): Promise<Consumer> {
    const existing = this.consumers.get(producerId);
    if (existing && !existing.closed) return existing;
    const transport = await this.transport('recv');
    const params = await request('room:consume', { producerId, rtpCapabilities: this.rtpCapabilities });
    const consumer = await transport.consume({
      id: params.consumerId,
      producerId: params.producerId,
      kind: params.kind,
      rtpParameters: params.rtpParameters as types.RtpParameters,
      // Set once its first media has arrived: only then may its layer move up (setPreferredLayer).
      appData: { flowing: false },
    });
    if (this.closed) {
      consumer.close();
      throw new Error('closed');
    }
    this.consumers.set(producerId, consumer);
    await request('room:consumer-resume', { consumerId: consumer.id });
    if (consumer.kind === 'video') {
      void firstMedia(consumer.track, FIRST_MEDIA_MAX_WAIT_MS).then(() => {
        consumer.appData.flowing = true;
        const layer = this.wantedLayers.get(producerId);
        if (layer !== undefined) void this.setPreferredLayer(producerId, layer);
      });
    }
    return consumer;
  }

  /** The server closed the consumer (its producer went away). */
  consumerClosed(consumerId: string): string | undefined {
    for (const [producerId, consumer] of this.consumers) {
      if (consumer.id !== consumerId) continue;
      consumer.close();
      this.consumers.delete(producerId);
      return producerId;
    }
    return undefined;
  }

  dropConsumer(producerId: string) {
    this.consumers.get(producerId)?.close();
    this.consumers.delete(producerId);
    this.wantedLayers.delete(producerId);
  }

  /** Off-screen tiles need no media: pausing the consumer stops the SFU forwarding it. */
  async setConsumerPaused(producerId: string, paused: boolean) {
    const consumer = this.consumers.get(producerId);
    if (!consumer || consumer.closed || consumer.paused === paused) return;
    if (paused) consumer.pause();
    else consumer.resume();
    await request(paused ? 'room:consumer-pause' : 'room:consumer-resume', { consumerId: consumer.id }).catch(() => undefined);
  }

  /**
   * 0 = lowest simulcast layer … 2 = full resolution. Remembered per producer: the SFU starts each
   * consumer on the lowest layer, whose small key frame makes the first picture come sooner, and
   * the layer the tile asked for (usually before its consumer existed) is applied once that first
   * media has arrived.
   */
  async setPreferredLayer(producerId: string, spatialLayer: number) {
    this.wantedLayers.set(producerId, spatialLayer);
    const consumer = this.consumers.get(producerId);
    if (!consumer || consumer.closed || consumer.kind !== 'video' || !consumer.appData.flowing) return;
    await request('room:consumer-layers', { consumerId: consumer.id, spatialLayer }).catch(() => undefined);
  }

  close() {
    this.closed = true;
    for (const consumer of this.consumers.values()) consumer.close();
    for (const producer of this.producers.values()) producer.close();
    this.consumers.clear();
    this.producers.clear();
    this.wantedLayers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = this.recvTransport = null;
  }

  private requireDevice(): Device {
    if (!this.device) throw new Error('SfuClient.load() first');
    return this.device;
  }

  private pending = new Map<'send' | 'recv', Promise<Transport>>();

  /** Transports are created on first use, once. */
  private transport(direction: 'send' | 'recv'): Promise<Transport> {
    const ready = direction === 'send' ? this.sendTransport : this.recvTransport;
    if (ready) return Promise.resolve(ready);
    let pending = this.pending.get(direction);
    if (!pending) {
      pending = this.createTransport(direction).finally(() => this.pending.delete(direction));
      this.pending.set(direction, pending);
    }
    return pending;
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<Transport> {
    if (!this.loaded) throw new Error('SfuClient.load() first');
    const asked = request('room:transport-create', { direction });
    // TURN servers matter here too: a browser that may only relay (ICE_TRANSPORT_POLICY, or a
    // network that blocks UDP) reaches the SFU through TURN.
    this.ice ??= fetchIceConfig();
    const [params, , ice] = await Promise.all([asked, this.loaded, this.ice]);
    const device = this.requireDevice();
    const options = {
      id: params.id,
      iceParameters: params.iceParameters as types.IceParameters,
      iceCandidates: params.iceCandidates as types.IceCandidate[],
      dtlsParameters: params.dtlsParameters as types.DtlsParameters,
      iceServers: ice.iceServers,
      iceTransportPolicy: ice.iceTransportPolicy,
    };
    const transport = direction === 'send' ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      request('room:transport-connect', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(
        () => callback(),
        errback,
      );
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        request('room:produce', {
          transportId: transport.id,
          kind,
          rtpParameters: rtpParameters as never,
          source: (appData as { source: ProducerSource }).source,
        }).then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    let disconnectTimer: ReturnType<typeof setTimeout> | undefined;
    let restartedAfterFailure = false;
    transport.on('connectionstatechange', (state) => {
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
    if (this.closed) {
      transport.close();
      throw new Error('closed');
    }
    if (direction === 'send') this.sendTransport = transport;
    else this.recvTransport = transport;
    return transport;
  }

  /** Retried every few seconds while the transport is not connected (its request may be lost with a dead socket). */
  private async restartIce(transport: Transport) {
    if (this.closed || transport.closed || transport.connectionState === 'connected') return;
    try {
      const { iceParameters } = await request('room:transport-restart-ice', { transportId: transport.id }, 5_000);
      await transport.restartIce({ iceParameters: iceParameters as types.IceParameters });
    } catch (err) {
      console.warn('[confab] ICE restart failed; trying again', err);
      setTimeout(() => void this.restartIce(transport), DISCONNECTED_RESTART_MS);
    }
  }
}

/** Resolves when a remote track gets its first media (it starts muted), or after `maxWaitMs`. */
function firstMedia(track: MediaStreamTrack, maxWaitMs: number): Promise<void> {
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
