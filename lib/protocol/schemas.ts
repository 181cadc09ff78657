/**
 * One zod schema per inbound (client→server) event, plus the byte budget of its payload.
 * The dispatcher checks size, then shape, before any handler runs.
 */
import { z } from './zod';
import { hangupReasons } from './call';
import { mediaTroublePhases, mediaTroubleScopes } from './ice';
import { dtlsParameters, mediaKind, producerSource, rtpCapabilities, rtpParameters } from './mediasoupSchemas';
import { CHAT_MAX_CHARS, REACTIONS, ROOM_NAME_MAX } from './rooms';

/** Browser SDPs are 5–20 KB; 64 KB leaves room for many transceivers and still bounds memory. */
export const MAX_SDP_BYTES = 64 * 1024;

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');
const callId = z.uuid();
const empty = z.strictObject({});

const description = z.strictObject({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().min(1).max(MAX_SDP_BYTES),
});

const candidate = z.strictObject({
  candidate: z.string().max(2048),
  sdpMid: z.string().max(64).nullable(),
  sdpMLineIndex: z.number().int().min(0).max(1024).nullable(),
  usernameFragment: z.string().max(256).nullable(),
});

const signal = z.union([
  z.strictObject({ description }),
  z.strictObject({ candidate: candidate.nullable() }),
]);

const slug = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9-]+$/, 'must be a room slug');
/** mediasoup ids (UUIDs today; kept loose so a node upgrade does not break the protocol). */
const mediaId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_:.-]+$/, 'must be an id');
const roomPassword = z.string().min(1).max(128);

/** A finite, non-negative measurement, capped far above anything real (100 Gbit/s, 10 min). */
const measure = (max: number) => z.number().finite().min(0).max(max);

/**
 * What one browser of a 1:1 call measured over the last interval (getStats() deltas). Null where
 * it had nothing to measure yet (e.g. no RTT before the first STUN round trip).
 */
export const callStatsSummary = z.strictObject({
  /** Media sent / received, bits per second. */
  outBitrate: measure(1e11),
  inBitrate: measure(1e11),
  /** Inbound packets lost over the interval, percent. */
  packetLossPct: measure(100).nullable(),
  rttMs: measure(600_000).nullable(),
  jitterMs: measure(600_000).nullable(),
  /** Decoded inbound video, if any. */
  video: z.strictObject({ width: measure(16_384), height: measure(16_384), fps: measure(1000) }).nullable(),
  /** Type of the local candidate in use: 'relay' means the call goes through TURN. */
  candidateType: z.enum(['host', 'srflx', 'prflx', 'relay']).nullable(),
});
export type CallStatsSummary = z.output<typeof callStatsSummary>;

/** Inbound events: schema + maximum serialized payload size in bytes. */
export const inboundSpecs = {
  'presence:snapshot': { schema: empty, maxBytes: 64 },
  /** Is this connection still alive? (The browser asks when its media stalls: see checkConnection.) */
  'session:ping': { schema: empty, maxBytes: 64 },
  'ice:config': { schema: empty, maxBytes: 64 },
  // Lobby chat: `to` / `with` is the other user (null: the lobby channel); see lib/protocol/lobbyChat.ts.
  'lobby:chat-send': {
    schema: z.strictObject({ to: id.nullable(), clientId: z.uuid(), text: z.string().trim().min(1).max(CHAT_MAX_CHARS) }),
    maxBytes: CHAT_MAX_CHARS * 4 + 256,
  },
  'lobby:chat-history': { schema: z.strictObject({ with: id.nullable(), before: id.optional() }), maxBytes: 256 },
  'lobby:chat-read': { schema: z.strictObject({ with: id.nullable() }), maxBytes: 256 },
  'lobby:conversations': { schema: empty, maxBytes: 64 },
  'media:trouble': {
    schema: z.strictObject({ scope: z.enum(mediaTroubleScopes), phase: z.enum(mediaTroublePhases) }),
    maxBytes: 128,
  },
  'call:invite': { schema: z.strictObject({ calleeId: id }), maxBytes: 256 },
  'call:accept': { schema: z.strictObject({ callId }), maxBytes: 256 },
  'call:decline': { schema: z.strictObject({ callId }), maxBytes: 256 },
  'call:cancel': { schema: z.strictObject({ callId }), maxBytes: 256 },
  'call:hangup': {
    schema: z.strictObject({ callId, reason: z.enum(hangupReasons).default('hangup') }),
    maxBytes: 256,
  },
  'call:resume': {
    schema: z.strictObject({ callId, fresh: z.boolean().default(false) }),
    maxBytes: 256,
  },
  'call:signal': { schema: z.strictObject({ callId, signal }), maxBytes: MAX_SDP_BYTES + 1024 },
  'call:media': {
    schema: z.strictObject({ callId, audio: z.boolean(), video: z.boolean() }),
    maxBytes: 256,
  },
  'call:stats': { schema: z.strictObject({ callId, stats: callStatsSummary }), maxBytes: 1024 },
  'room:list': { schema: empty, maxBytes: 64 },
  'room:create': {
    schema: z.strictObject({
      name: z.string().trim().min(1).max(ROOM_NAME_MAX),
      password: roomPassword.optional(),
      waitingRoom: z.boolean().default(false),
    }),
    maxBytes: 512,
  },
  'room:mine': { schema: empty, maxBytes: 64 },
  'room:rename': { schema: z.strictObject({ slug, name: z.string().trim().min(1).max(ROOM_NAME_MAX) }), maxBytes: 512 },
  'room:delete': { schema: z.strictObject({ slug }), maxBytes: 256 },
  'room:knock': { schema: z.strictObject({ slug, password: roomPassword.optional() }), maxBytes: 512 },
  'room:knock-cancel': { schema: z.strictObject({ slug }), maxBytes: 256 },
  'room:capabilities': { schema: empty, maxBytes: 64 },
  'room:join': {
    schema: z.strictObject({
      slug,
      password: roomPassword.optional(),
      rtpCapabilities,
      forceTcp: z.boolean().default(false),
    }),
    maxBytes: 32 * 1024,
  },
  'room:resume': {
    schema: z.strictObject({
      slug,
      token: z.string().min(16).max(128),
      consumerIds: z.array(mediaId).max(200),
    }),
    maxBytes: 32 * 1024,
  },
  'room:leave': { schema: empty, maxBytes: 64 },
  'room:transport-connect': { schema: z.strictObject({ transportId: mediaId, dtlsParameters }), maxBytes: 4096 },
  'room:transport-restart-ice': { schema: z.strictObject({ transportId: mediaId }), maxBytes: 256 },
  'room:produce': {
    schema: z.strictObject({
      transportId: mediaId,
      kind: mediaKind,
      rtpParameters,
      source: producerSource,
      paused: z.boolean().default(false),
    }),
    maxBytes: 16 * 1024,
  },
  'room:producer-close': { schema: z.strictObject({ producerId: mediaId }), maxBytes: 256 },
  'room:producer-pause': { schema: z.strictObject({ producerId: mediaId }), maxBytes: 256 },
  'room:producer-resume': { schema: z.strictObject({ producerId: mediaId }), maxBytes: 256 },
  'room:consumer-resume': { schema: z.strictObject({ consumerId: mediaId }), maxBytes: 256 },
  'room:consumer-pause': { schema: z.strictObject({ consumerId: mediaId }), maxBytes: 256 },
  'room:consumer-layers': {
    schema: z.strictObject({
      consumerId: mediaId,
      spatialLayer: z.number().int().min(0).max(3),
      temporalLayer: z.number().int().min(0).max(3).optional(),
    }),
    maxBytes: 256,
  },
  'chat:send': {
    schema: z.strictObject({ clientId: z.uuid(), text: z.string().trim().min(1).max(CHAT_MAX_CHARS) }),
    maxBytes: CHAT_MAX_CHARS * 4 + 256,
  },
  'room:host-mute': { schema: z.strictObject({ userId: id }), maxBytes: 256 },
  'room:host-remove': { schema: z.strictObject({ userId: id }), maxBytes: 256 },
  'room:host-lock': { schema: z.strictObject({ locked: z.boolean() }), maxBytes: 64 },
  'room:host-end': { schema: empty, maxBytes: 64 },
  'room:host-spotlight': { schema: z.strictObject({ userId: id.nullable() }), maxBytes: 256 },
  'room:host-lower-hand': { schema: z.strictObject({ userId: id }), maxBytes: 256 },
  'room:host-admit': { schema: z.strictObject({ userId: id }), maxBytes: 256 },
  'room:host-deny': { schema: z.strictObject({ userId: id }), maxBytes: 256 },
  'room:host-admit-all': { schema: empty, maxBytes: 64 },
  'room:host-waiting-room': { schema: z.strictObject({ enabled: z.boolean() }), maxBytes: 64 },
  'room:hand': { schema: z.strictObject({ raised: z.boolean() }), maxBytes: 64 },
  'room:react': { schema: z.strictObject({ reaction: z.enum(REACTIONS) }), maxBytes: 64 },

  // Admin dashboard: every one of these is refused with FORBIDDEN unless the sender is an admin now.
  'admin:subscribe': { schema: empty, maxBytes: 64 },
  'admin:unsubscribe': { schema: empty, maxBytes: 64 },
  'admin:end-room': { schema: z.strictObject({ roomId: id }), maxBytes: 256 },
  'admin:remove-participant': { schema: z.strictObject({ roomId: id, userId: id }), maxBytes: 256 },
  'admin:end-call': { schema: z.strictObject({ callId }), maxBytes: 256 },
  'admin:set-disabled': {
    schema: z.strictObject({ userId: id, disabled: z.boolean(), reason: z.string().trim().max(200).optional() }),
    maxBytes: 1024,
  },
  'admin:set-role': { schema: z.strictObject({ userId: id, role: z.enum(['user', 'admin']) }), maxBytes: 256 },
} as const;

/** The admin-only events (the dispatcher-level contract the integration tests walk through). */
export const adminEvents = [
  'admin:subscribe',
  'admin:unsubscribe',
  'admin:end-room',
  'admin:remove-participant',
  'admin:end-call',
  'admin:set-disabled',
  'admin:set-role',
] as const satisfies readonly (keyof typeof inboundSpecs)[];
export type AdminEvent = (typeof adminEvents)[number];

export type InboundEvent = keyof typeof inboundSpecs;
export type InboundPayload<E extends InboundEvent> = z.output<(typeof inboundSpecs)[E]['schema']>;
/** What the browser may send (before defaults are applied). */
export type InboundInput<E extends InboundEvent> = z.input<(typeof inboundSpecs)[E]['schema']>;

export const isInboundEvent = (name: string): name is InboundEvent => Object.hasOwn(inboundSpecs, name);

/** The largest byte budget of any inbound event: what the socket transport must let through. */
export const MAX_EVENT_BYTES = Math.max(...Object.values(inboundSpecs).map((spec) => spec.maxBytes));
