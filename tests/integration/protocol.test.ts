import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, inboundSpecs, type PresenceSnapshot } from '@/lib/protocol';
import { ask, next, sleep, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Deterministic PRNG so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

function junk(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * 12);
  switch (pick) {
    case 0: return null;
    case 1: return rand() * 1e9 - 5e8;
    case 2: return 'x'.repeat(Math.floor(rand() * 200));
    case 3: return rand() > 0.5;
    case 4: return depth > 3 ? [] : Array.from({ length: Math.floor(rand() * 4) }, () => junk(rand, depth + 1));
    case 5: return { callId: 'not-a-uuid', signal: junk(rand, depth + 1) };
    case 6: return { calleeId: rand() > 0.5 ? '' : 'a'.repeat(100) };
    case 7: return { __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } };
    case 8: return { callId: crypto.randomUUID(), signal: { description: { type: 'offer', sdp: 'v'.repeat(70_000) } } };
    case 9: return { callId: crypto.randomUUID(), extra: 'field' };
    case 10: return depth > 3 ? {} : { a: junk(rand, depth + 1), b: junk(rand, depth + 1) };
    default: return undefined;
  }
}

describe('protocol robustness', () => {
  it('answers unknown events, bad shapes and oversized payloads with typed errors', async () => {
    const user = await server.signUp('Fuzzy');
    const s = await server.connect(user);
    expect(await ask(s, 'no:such:event', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    expect(await ask(s, 'call:invite', { calleeId: 42 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const huge = { callId: crypto.randomUUID(), signal: { description: { type: 'offer', sdp: 'x'.repeat(200_000) } } };
    expect(await ask(s, 'call:signal', huge)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
    // No ack callback: the error arrives as protocol:error instead.
    const err = next(s, 'protocol:error');
    (s as unknown as { emit(e: string, p: unknown): void }).emit('call:accept', { callId: 'nope' });
    expect(await err).toMatchObject({ event: 'call:accept', error: { code: 'BAD_REQUEST' } });
  });

  it('1,000 random malformed payloads get only typed errors, and the server still answers', async () => {
    const user = await server.signUp('Chaos');
    const s = await server.connect(user);
    const rand = rng(20261121);
    const events = [...Object.keys(inboundSpecs), 'unknown:event', 'constructor', '__proto__', ''];
    const codes = new Set(Object.values(ErrorCode) as string[]);
    const seen = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const event = events[Math.floor(rand() * events.length)]!;
      let payload = junk(rand);
      // Mostly-valid shapes with one wrong field find different paths than pure noise.
      if (event === 'call:signal' && rand() > 0.7) payload = { callId: crypto.randomUUID(), signal: { candidate: junk(rand) } };
      const ack = await ask(s, event, payload);
      if (ack.ok) {
        // Only legitimately well-formed requests may succeed (e.g. an empty snapshot request).
        expect(['presence:snapshot', 'ice:config']).toContain(event);
        continue;
      }
      expect(codes.has(ack.error.code), `untyped error ${JSON.stringify(ack)}`).toBe(true);
      expect(typeof ack.error.message).toBe('string');
      seen.set(ack.error.code, (seen.get(ack.error.code) ?? 0) + 1);
    }
    expect(seen.get('BAD_REQUEST')).toBeGreaterThan(100);
    expect(seen.get('UNKNOWN_EVENT')).toBeGreaterThan(10);
    expect(s.connected).toBe(true);

    await sleep(1500); // let the flood guard refill; RATE_LIMITED is a typed error too
    const snapshot = await ask<PresenceSnapshot>(s, 'presence:snapshot', {});
    expect(snapshot).toMatchObject({ ok: true, data: { me: { id: user.id } } });
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
