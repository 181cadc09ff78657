/**
 * zod shapes for the mediasoup objects that cross process boundaries (browser → web → SFU node).
 * They bound sizes and check structure; mediasoup validates the finer semantics itself and its
 * errors come back as typed BAD_REQUEST errors.
 */
import { z } from './zod';

const str = (max = 256) => z.string().max(max);
const int = z.number().int();
/** Codec parameters (e.g. profile-level-id, packetization-mode); the overall size is bounded by the event budget. */
const params = z.record(z.string().max(64), z.unknown());

export const dtlsParameters = z.strictObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(z.strictObject({ algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']), value: str(256) }))
    .min(1)
    .max(8),
});

const rtcpFeedback = z.strictObject({ type: str(32), parameter: str(32).optional() });

const codecParameters = z.looseObject({
  mimeType: str(64),
  payloadType: int.min(0).max(127),
  clockRate: int.min(1),
  channels: int.min(1).max(8).optional(),
  parameters: params.optional(),
  rtcpFeedback: z.array(rtcpFeedback).max(32).optional(),
});

/** The highest maxBitrate an encoding may ask for (a screen share uses 2.5 Mbps). */
export const MAX_ENCODING_BITRATE = 4_000_000;

const encoding = z.looseObject({
  ssrc: int.optional(),
  rid: str(32).optional(),
  codecPayloadType: int.optional(),
  rtx: z.strictObject({ ssrc: int }).optional(),
  dtx: z.boolean().optional(),
  scalabilityMode: str(16).optional(),
  scaleResolutionDownBy: z.number().min(1).max(64).optional(),
  maxBitrate: int.min(0).max(MAX_ENCODING_BITRATE).optional(),
  active: z.boolean().optional(),
});

export const rtpParameters = z.looseObject({
  mid: str(32).optional(),
  codecs: z.array(codecParameters).min(1).max(32),
  headerExtensions: z
    .array(z.looseObject({ uri: str(256), id: int.min(1).max(255), encrypt: z.boolean().optional(), parameters: params.optional() }))
    .max(32)
    .optional(),
  encodings: z.array(encoding).max(8).optional(),
  rtcp: z.looseObject({ cname: str(256).optional(), reducedSize: z.boolean().optional() }).optional(),
  msid: str(256).optional(),
});

export const rtpCapabilities = z.looseObject({
  codecs: z
    .array(
      z.looseObject({
        kind: z.enum(['audio', 'video']),
        mimeType: str(64),
        preferredPayloadType: int.optional(),
        clockRate: int.min(1),
        channels: int.optional(),
        parameters: params.optional(),
        rtcpFeedback: z.array(rtcpFeedback).max(32).optional(),
      }),
    )
    .max(128)
    .optional(),
  headerExtensions: z
    .array(z.looseObject({ kind: z.enum(['audio', 'video']), uri: str(256), preferredId: int, direction: str(16).optional() }))
    .max(64)
    .optional(),
});

export const mediaKind = z.enum(['audio', 'video']);
/** What a producer carries; decides how the UI shows it. */
export const producerSource = z.enum(['camera', 'mic', 'screen']);
export type ProducerSource = z.infer<typeof producerSource>;
