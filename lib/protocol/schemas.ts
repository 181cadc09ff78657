/**
 * One zod schema per inbound (client→server) event, plus the byte budget of its payload.
 * The dispatcher checks size, then shape, before any handler runs.
 */
import { z } from 'zod';
import { hangupReasons } from './call';

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

/** Inbound events: schema + maximum serialized payload size in bytes. */
export const inboundSpecs = {
  'presence:snapshot': { schema: empty, maxBytes: 64 },
  'ice:config': { schema: empty, maxBytes: 64 },
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
} as const;

export type InboundEvent = keyof typeof inboundSpecs;
export type InboundPayload<E extends InboundEvent> = z.output<(typeof inboundSpecs)[E]['schema']>;
/** What the browser may send (before defaults are applied). */
export type InboundInput<E extends InboundEvent> = z.input<(typeof inboundSpecs)[E]['schema']>;

export const isInboundEvent = (name: string): name is InboundEvent => Object.hasOwn(inboundSpecs, name);
