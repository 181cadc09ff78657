import { describe, expect, it } from 'vitest';
import { inboundSpecs, isInboundEvent, MAX_ENCODING_BITRATE, MAX_SDP_BYTES } from '@/lib/protocol';

const callId = '3f2b8c1e-9a4d-4e2b-8f6a-1c2d3e4f5a6b';
const parse = (event: keyof typeof inboundSpecs, payload: unknown) => inboundSpecs[event].schema.safeParse(payload);

describe('inbound schemas', () => {
  it('accept well-formed payloads', () => {
    expect(parse('call:invite', { calleeId: 'abcDEF123_-' }).success).toBe(true);
    expect(parse('call:signal', { callId, signal: { description: { type: 'offer', sdp: 'v=0\r\n' } } }).success).toBe(true);
    expect(
      parse('call:signal', {
        callId,
        signal: { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null } },
      }).success,
    ).toBe(true);
    expect(parse('call:signal', { callId, signal: { candidate: null } }).success).toBe(true);
    expect(parse('call:hangup', { callId })).toMatchObject({ success: true, data: { reason: 'hangup' } });
  });

  it.each([
    ['call:invite', {}],
    ['call:invite', { calleeId: '' }],
    ['call:invite', { calleeId: 'a'.repeat(65) }],
    ['call:invite', { calleeId: 'x', extra: 1 }],
    ['call:invite', { calleeId: '../../etc' }],
    ['call:accept', { callId: 'not-a-uuid' }],
    ['call:accept', null],
    ['call:accept', 'string'],
    ['call:hangup', { callId, reason: 'ended-by-admin' }],
    ['call:signal', { callId, signal: {} }],
    ['call:signal', { callId, signal: { description: { type: 'rollback', sdp: 'x' } } }],
    ['call:signal', { callId, signal: { description: { type: 'offer', sdp: 'x'.repeat(MAX_SDP_BYTES + 1) } } }],
    ['call:signal', { callId, signal: { description: { type: 'offer', sdp: 'x' }, candidate: null } }],
    ['call:signal', { callId, signal: { candidate: { candidate: 1, sdpMid: null, sdpMLineIndex: null, usernameFragment: null } } }],
    ['call:media', { callId, audio: 'yes', video: true }],
    ['presence:snapshot', { all: true }],
  ] as const)('reject %s %j', (event, payload) => {
    expect(parse(event, payload).success).toBe(false);
  });

  it('knows its own event names and nothing else', () => {
    expect(isInboundEvent('call:invite')).toBe(true);
    expect(isInboundEvent('toString')).toBe(false);
    expect(isInboundEvent('__proto__')).toBe(false);
    expect(isInboundEvent('call:whatever')).toBe(false);
  });

  it('gives every event a byte budget, and signals room for a maximal SDP', () => {
    for (const spec of Object.values(inboundSpecs)) expect(spec.maxBytes).toBeGreaterThan(0);
    expect(inboundSpecs['call:signal'].maxBytes).toBeGreaterThan(MAX_SDP_BYTES);
  });
});

describe('producer encodings', () => {
  const produce = (maxBitrate: number) =>
    inboundSpecs['room:produce'].schema.safeParse({
      transportId: crypto.randomUUID(),
      kind: 'video',
      source: 'camera',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }], encodings: [{ ssrc: 1, maxBitrate }] },
    });

  it('may ask for up to MAX_ENCODING_BITRATE, and no more', () => {
    expect(produce(MAX_ENCODING_BITRATE).success).toBe(true);
    expect(produce(MAX_ENCODING_BITRATE + 1).success).toBe(false);
    expect(produce(50_000_000).success).toBe(false);
  });
});
