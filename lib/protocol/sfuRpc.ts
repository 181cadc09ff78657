/**
 * The internal RPC between the web process (control plane) and an SFU node (media plane), over
 * socket.io with a shared secret. Both sides validate with these schemas: the node validates every
 * request, the web process validates every response and event. Acks use the same Ack<T> shape as
 * the browser protocol.
 *
 * The node knows rooms and peers only by opaque ids; it never sees accounts. The web process has
 * already decided that the peer may do what it asks. The node still checks that every transport,
 * producer and consumer id belongs to the peer and room named in the request.
 */
import { z } from './zod';
import type { Ack } from './ack';
import { dtlsParameters, mediaKind, producerSource, rtpCapabilities, rtpParameters } from './mediasoupSchemas';

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_:.-]+$/, 'must be an id');
const peer = { roomId: id, peerId: id };
const empty = z.strictObject({});

const iceParameters = z.looseObject({ usernameFragment: z.string(), password: z.string(), iceLite: z.boolean().optional() });
const iceCandidate = z.looseObject({
  foundation: z.string(),
  priority: z.number(),
  address: z.string(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.string(),
  tcpType: z.string().optional(),
});

export const transportParams = z.strictObject({
  id,
  iceParameters,
  iceCandidates: z.array(iceCandidate),
  dtlsParameters,
});
export type TransportParams = z.infer<typeof transportParams>;

/**
 * A consumer the node created for a peer, paused: what the browser needs to receive it, and whose
 * media it is. `streamId` groups a participant's audio and video in one MediaStream (lip sync).
 */
export const consumerInfo = z.strictObject({
  consumerId: id,
  producerId: id,
  /** The peer whose producer this is. */
  producerPeerId: id,
  source: producerSource,
  kind: mediaKind,
  rtpParameters,
  /** 'simulcast' consumers accept preferred layers. */
  type: z.enum(['simple', 'simulcast', 'svc', 'pipe']),
  producerPaused: z.boolean(),
  streamId: id,
});
export type ConsumerInfo = z.infer<typeof consumerInfo>;

/** Both of a peer's transports, created together at join (or again, when its worker died). */
export const peerTransports = z.strictObject({ send: transportParams, recv: transportParams });
export type PeerTransports = z.infer<typeof peerTransports>;

export const workerStats = z.strictObject({
  pid: z.number().int(),
  /** CPU time used since the worker started, in ms (getResourceUsage ru_utime + ru_stime). */
  cpuMs: z.number(),
  routers: z.number().int(),
  transports: z.number().int(),
  /** Streams browsers (and other sources) send in, and streams forwarded out; pipes between workers not counted. */
  producers: z.number().int(),
  consumers: z.number().int(),
});

const bitrate = z.number().min(0);
/** RTCP fraction lost (0–255) as a percentage. */
const lossPct = z.number().min(0).max(100);
const score = z.number().int().min(0).max(10);

/** One peer's media on the node: what `room:stats` reports (mediasoup getStats(), summarised). */
export const peerStats = z.strictObject({
  peerId: id,
  workerPid: z.number().int(),
  transports: z.array(
    z.strictObject({
      transportId: id,
      direction: z.enum(['send', 'recv']),
      /** Everything on the wire (RTP, RTX, probation, RTCP), bits per second. */
      recvBitrate: bitrate,
      sendBitrate: bitrate,
      /** The node's bandwidth estimate towards the browser (recv transports carry what it sends). */
      availableOutgoingBitrate: bitrate.nullable(),
    }),
  ),
  producers: z.array(
    z.strictObject({
      producerId: id,
      kind: mediaKind,
      source: producerSource,
      paused: z.boolean(),
      /** 0–10, mediasoup's quality score of the incoming stream (the best simulcast layer). */
      score,
      /** Sum over its RTP streams (simulcast layers). */
      bitrate,
      /** Loss the node measured on what the browser sends. */
      lossPct,
      jitterMs: z.number().min(0),
      rttMs: z.number().min(0).nullable(),
    }),
  ),
  consumers: z.array(
    z.strictObject({
      consumerId: id,
      producerId: id,
      kind: mediaKind,
      paused: z.boolean(),
      score,
      bitrate,
      /** Loss the browser reported (RTCP receiver reports) on what the node sends it. */
      lossPct,
      rttMs: z.number().min(0).nullable(),
    }),
  ),
});
export type PeerStats = z.infer<typeof peerStats>;

/** Every request: its payload schema and its response schema. */
export const sfuRpcSpecs = {
  /**
   * Create the room's first router if needed; idempotent. `nodeId` names this run of the node: a
   * different one after a reconnect means the node restarted and the room must be re-created.
   */
  'room:open': { req: z.strictObject({ roomId: id }), res: z.strictObject({ rtpCapabilities, nodeId: id }) },
  'room:close': { req: z.strictObject({ roomId: id }), res: empty },
  /**
   * Place a peer on one of the room's routers (a room may span workers) with its two transports.
   * Idempotent. The node keeps `rtpCapabilities` with the peer and, once it has answered, consumes
   * every producer of the room for it (events `consumer:new`), and every later one too.
   */
  'peer:join': {
    req: z.strictObject({ ...peer, rtpCapabilities, forceTcp: z.boolean().default(false) }),
    res: z.strictObject({
      transports: peerTransports,
      routerId: id,
      workerPid: z.number().int(),
      /** How many producers the node is about to consume for this peer (the room's, as it joins). */
      offering: z.number().int().min(0),
    }),
  },
  'peer:leave': { req: z.strictObject(peer), res: empty },
  /**
   * What the node holds for a peer, for a browser that resumes its seat: its transports (and
   * whether ICE is connected) and every consumer (the web process resumes the ones the browser
   * kept, and pushes it the others).
   */
  'peer:sync': {
    req: z.strictObject(peer),
    res: z.strictObject({
      transports: peerTransports,
      connected: z.strictObject({ send: z.boolean(), recv: z.boolean() }),
      consumers: z.array(consumerInfo),
    }),
  },
  'transport:connect': { req: z.strictObject({ ...peer, transportId: id, dtlsParameters }), res: empty },
  'transport:restart-ice': { req: z.strictObject({ ...peer, transportId: id }), res: z.strictObject({ iceParameters }) },
  'producer:create': {
    req: z.strictObject({
      ...peer,
      transportId: id,
      kind: mediaKind,
      rtpParameters,
      source: producerSource,
      paused: z.boolean().default(false),
    }),
    res: z.strictObject({ producerId: id }),
  },
  'producer:close': { req: z.strictObject({ ...peer, producerId: id }), res: empty },
  'producer:pause': { req: z.strictObject({ ...peer, producerId: id }), res: empty },
  'producer:resume': { req: z.strictObject({ ...peer, producerId: id }), res: empty },
  /** Pause the peer's producer of `source`, if it has one that is not paused (a host's mute). */
  'producer:pause-source': {
    req: z.strictObject({ ...peer, source: producerSource }),
    res: z.strictObject({ producerId: id.nullable() }),
  },
  'consumer:resume': { req: z.strictObject({ ...peer, consumerId: id }), res: empty },
  'consumer:pause': { req: z.strictObject({ ...peer, consumerId: id }), res: empty },
  'consumer:close': { req: z.strictObject({ ...peer, consumerId: id }), res: empty },
  'consumer:set-layers': {
    req: z.strictObject({
      ...peer,
      consumerId: id,
      spatialLayer: z.number().int().min(0).max(3),
      temporalLayer: z.number().int().min(0).max(3).optional(),
    }),
    res: empty,
  },
  /** Every room's router capabilities (the same for all: MEDIA_CODECS), for browsers before they join. */
  'node:capabilities': { req: empty, res: z.strictObject({ rtpCapabilities }) },
  /** The rooms open on this node (the web process closes the ones it does not hold, RoomMedia.reconcile). */
  'node:rooms': { req: empty, res: z.strictObject({ roomIds: z.array(id).max(100_000) }) },
  'node:stats': { req: empty, res: z.strictObject({ workers: z.array(workerStats), rooms: z.number().int() }) },
  /** Media stats of every peer of a room, for the admin dashboard (one getStats() per object). */
  'room:stats': { req: z.strictObject({ roomId: id }), res: z.strictObject({ peers: z.array(peerStats) }) },
} as const;

export type SfuMethod = keyof typeof sfuRpcSpecs;
export type SfuRequest<M extends SfuMethod> = z.input<(typeof sfuRpcSpecs)[M]['req']>;
export type SfuResponse<M extends SfuMethod> = z.output<(typeof sfuRpcSpecs)[M]['res']>;

/** Events a node pushes to the web process. */
export const sfuEventSpecs = {
  /** The room is gone on this node (its worker died, say); its peers must be told. */
  /** closed: the web process asked; orphaned: no web process was connected (sfu/node.ts); node-stopping: shut down. */
  'room:closed': z.strictObject({ roomId: id, reason: z.enum(['closed', 'orphaned', 'node-stopping']) }),
  /** The node created a consumer for `peerId` (paused): push it to the browser, resume it on the ack. */
  'consumer:new': z.strictObject({ ...peer, consumer: consumerInfo }),
  /** A consumer closed on its own, e.g. because its producer closed. */
  'consumer:closed': z.strictObject({ ...peer, consumerId: id, producerId: id }),
  /**
   * A consumer's media changed: its producer paused or resumed, its score (0–10, what reaches
   * the browser; producerScore, what reaches the node) or the simulcast layer it forwards.
   * Coalesced per consumer, at most a few per second.
   */
  'consumer:state': z.strictObject({
    ...peer,
    consumerId: id,
    producerPaused: z.boolean(),
    score: score,
    producerScore: score,
    spatialLayer: z.number().int().min(0).max(3).nullable(),
  }),
  /**
   * The peer's worker died: the node placed it on a live worker with two new transports. Its old
   * transports, producers and consumers are gone; the browser must produce again.
   */
  'peer:media-reset': z.strictObject({ ...peer, transports: peerTransports }),
  'room:active-speaker': z.strictObject({ roomId: id, peerId: id.nullable() }),
} as const;

export type SfuEvent = keyof typeof sfuEventSpecs;
export type SfuEventPayload<E extends SfuEvent> = z.output<(typeof sfuEventSpecs)[E]>;

/** Largest accepted request, in bytes (an rtpParameters with simulcast is ~3 KB). */
export const SFU_MAX_REQUEST_BYTES = 64 * 1024;

/**
 * Framing over socket.io: one event per method, named after it, carrying `(payload, ack)`; node
 * events are plain emits named after the event. The handshake carries `auth: SfuHandshakeAuth`.
 */
export type SfuNodeListenEvents = {
  [M in SfuMethod]: (payload: SfuRequest<M>, ack: (ack: Ack<SfuResponse<M>>) => void) => void;
};
export type SfuNodeEmitEvents = { [E in SfuEvent]: (payload: SfuEventPayload<E>) => void };
export interface SfuHandshakeAuth {
  secret: string;
}
