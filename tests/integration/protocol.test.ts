import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceSnapshot } from '@/lib/protocol';
import { fuzzSockets, type FuzzSocket } from '../../bench/lib/socketFuzz';
import { ask, next, sleep, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

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

  it('2,000 fuzzed events over eight sockets get only typed errors, none internal, and nobody is dropped', { timeout: 120_000 }, async () => {
    const users = await Promise.all(['Chaos', 'Havoc', 'Mayhem', 'Tumult', 'Riot', 'Bedlam', 'Uproar', 'Frenzy'].map((n) => server.signUp(n)));
    const sockets = await Promise.all(users.map((u) => server.connect(u)));
    const report = await fuzzSockets(sockets as unknown as FuzzSocket[], 2_000);
    console.log(`fuzz: ${JSON.stringify({ ...report, untyped: report.untyped.slice(0, 5) })}`);
    expect(report.untyped).toEqual([]);
    expect(report.internal).toBe(0);
    expect(report.dropped).toBe(0);
    expect(report.byCode.BAD_REQUEST).toBeGreaterThan(300);
    expect(report.byCode.UNKNOWN_EVENT).toBeGreaterThan(50);
    // Paced under the flood guard, the events reach the handlers rather than bouncing off it.
    expect(report.byCode.RATE_LIMITED ?? 0).toBeLessThan(20);

    await sleep(1500); // let the flood guard refill; RATE_LIMITED is a typed error too
    const snapshot = await ask<PresenceSnapshot>(sockets[0]!, 'presence:snapshot', {});
    expect(snapshot).toMatchObject({ ok: true, data: { me: { id: users[0]!.id } } });
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
