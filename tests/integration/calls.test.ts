import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallInfo } from '@/lib/protocol';
import { ask, next, record, sleep, startTestServer, type TestServer, type TestSocket, type TestUser } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CALL_RING_TIMEOUT_MS: '600', CALL_RECONNECT_GRACE_MS: '400' });
});
afterAll(() => server.stop());

let n = 0;
async function pair(): Promise<[TestUser, TestSocket, TestUser, TestSocket]> {
  n++;
  const a = await server.signUp(`Caller${n}`);
  const b = await server.signUp(`Callee${n}`);
  return [a, await server.connect(a), b, await server.connect(b)];
}

async function invite(from: TestSocket, to: TestUser): Promise<CallInfo> {
  const ack = await ask<{ call: CallInfo }>(from, 'call:invite', { calleeId: to.id });
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data.call;
}

async function connected(): Promise<[CallInfo, TestSocket, TestSocket, TestUser, TestUser]> {
  const [a, sa, b, sb] = await pair();
  const incoming = next(sb, 'call:incoming');
  const call = await invite(sa, b);
  await incoming;
  const accepted = next(sa, 'call:accepted');
  const ack = await ask(sb, 'call:accept', { callId: call.callId });
  expect(ack.ok).toBe(true);
  await accepted;
  return [call, sa, sb, a, b];
}

const sessionOf = async (callId: string) => {
  await server.records.flush();
  return server.db.callSession.findUnique({ where: { id: callId }, include: { participations: true } });
};

describe('1:1 calls', () => {
  it('invite rings the callee; accept connects both; signals relay; hang-up ends for both and is recorded', async () => {
    const [a, sa, b, sb] = await pair();
    const incoming = next(sb, 'call:incoming');
    const call = await invite(sa, b);
    expect(call).toMatchObject({ phase: 'ringing', caller: { id: a.id }, callee: { id: b.id } });
    expect((await incoming).call.callId).toBe(call.callId);
    expect(server.presence.status(b.id)).toBe('ringing');

    const accepted = next(sa, 'call:accepted');
    const ack = await ask<{ call: CallInfo }>(sb, 'call:accept', { callId: call.callId });
    expect(ack).toMatchObject({ ok: true, data: { call: { phase: 'active' } } });
    expect((await accepted).call.answeredAt).toBeGreaterThan(0);
    expect(server.presence.status(a.id)).toBe('in-call');

    const signal = next(sb, 'call:signal');
    const offer = { description: { type: 'offer', sdp: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n' } };
    expect(await ask(sa, 'call:signal', { callId: call.callId, signal: offer })).toEqual({ ok: true, data: {} });
    expect(await signal).toEqual({ callId: call.callId, signal: offer });

    const endedA = next(sa, 'call:ended');
    const endedB = next(sb, 'call:ended');
    expect(await ask(sb, 'call:hangup', { callId: call.callId })).toEqual({ ok: true, data: {} });
    expect(await endedA).toEqual({ callId: call.callId, reason: 'hangup' });
    expect(await endedB).toEqual({ callId: call.callId, reason: 'hangup' });
    expect(server.presence.status(a.id)).toBe('available');

    const row = await sessionOf(call.callId);
    expect(row).toMatchObject({ kind: 'P2P', createdById: a.id, endReason: 'hangup' });
    expect(row?.answeredAt).toBeInstanceOf(Date);
    expect(row?.endedAt).toBeInstanceOf(Date);
    expect(row?.participations.map((p) => p.role).sort()).toEqual(['callee', 'caller']);
    expect(row?.participations.every((p) => p.leftAt && p.leaveReason === 'hangup')).toBe(true);
  });

  it('decline tells the caller and frees both', async () => {
    const [, sa, b, sb] = await pair();
    const call = await invite(sa, b);
    const ended = next(sa, 'call:ended');
    expect(await ask(sb, 'call:decline', { callId: call.callId })).toEqual({ ok: true, data: {} });
    expect(await ended).toEqual({ callId: call.callId, reason: 'declined' });
    expect((await sessionOf(call.callId))?.endReason).toBe('declined');
  });

  it('the caller can cancel while it rings', async () => {
    const [, sa, b, sb] = await pair();
    const call = await invite(sa, b);
    const ended = next(sb, 'call:ended');
    expect(await ask(sa, 'call:cancel', { callId: call.callId })).toEqual({ ok: true, data: {} });
    expect(await ended).toEqual({ callId: call.callId, reason: 'cancelled' });
    // The callee can no longer accept it.
    expect(await ask(sb, 'call:accept', { callId: call.callId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('an unanswered call becomes a missed call for both after the ring timeout', async () => {
    const [, sa, b, sb] = await pair();
    const endedA = next(sa, 'call:ended', 3000);
    const endedB = next(sb, 'call:ended', 3000);
    const call = await invite(sa, b);
    expect(await endedA).toEqual({ callId: call.callId, reason: 'missed' });
    expect(await endedB).toEqual({ callId: call.callId, reason: 'missed' });
    expect((await sessionOf(call.callId))?.answeredAt).toBeNull();
  });

  it('busy: a callee who is ringing or in a call cannot be called, and the attempt is recorded', async () => {
    const [call, , , a, b] = await connected();
    const carol = await server.signUp(`Carol${++n}`);
    const sc = await server.connect(carol);
    const busy = await ask(sc, 'call:invite', { calleeId: b.id });
    expect(busy).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    expect(await ask(sc, 'call:invite', { calleeId: a.id })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    await server.records.flush();
    const attempts = await server.db.callSession.findMany({ where: { createdById: carol.id } });
    expect(attempts.map((s) => s.endReason)).toEqual(['busy', 'busy']);
    expect(server.calls.list().map((c) => c.callId)).toContain(call.callId);

    // Ringing counts as busy too.
    const [, s2a, d] = await pair();
    await invite(s2a, d);
    expect(await ask(sc, 'call:invite', { calleeId: d.id })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
  });

  it('refuses to relay for anyone who is not a party, or from a tab that does not hold the call', async () => {
    const [call, sa, , , b] = await connected();
    const eve = await server.signUp(`Eve${++n}`);
    const se = await server.connect(eve);
    const leaked = record(sa, 'call:signal');
    const signal = { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null } };
    expect(await ask(se, 'call:signal', { callId: call.callId, signal })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await ask(se, 'call:hangup', { callId: call.callId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Bob's second tab is Bob, but the call belongs to his first tab.
    const bobTab2 = await server.connect(b);
    expect(await ask(bobTab2, 'call:signal', { callId: call.callId, signal })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await sleep(100);
    expect(leaked).toEqual([]);
  });

  it('identity comes from the session: a forged field is rejected, not trusted', async () => {
    const [, sa, b] = await pair();
    const ack = await ask(sa, 'call:invite', { calleeId: b.id, callerId: 'someone-else' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('glare: two users calling each other at once end up in one call', async () => {
    const [a, sa, b, sb] = await pair();
    const [ackA, ackB] = await Promise.all([
      ask<{ call: CallInfo }>(sa, 'call:invite', { calleeId: b.id }),
      ask<{ call: CallInfo }>(sb, 'call:invite', { calleeId: a.id }),
    ]);
    expect(ackA.ok && ackB.ok).toBe(true);
    if (!ackA.ok || !ackB.ok) return;
    expect(ackA.data.call.callId).toBe(ackB.data.call.callId);
    expect(server.presence.status(a.id)).toBe('in-call');
    expect(server.presence.status(b.id)).toBe('in-call');
  });

  it('waits a grace period for a dropped party, then ends the call for the other', async () => {
    const [call, sa, sb] = await connected();
    const notice = next(sa, 'call:peer-link');
    const ended = next(sa, 'call:ended', 3000);
    sb.disconnect();
    expect(await notice).toMatchObject({ callId: call.callId, state: 'reconnecting', graceMs: 400 });
    expect(await ended).toEqual({ callId: call.callId, reason: 'peer-lost' });
  });

  it('a party that comes back within the grace period keeps the call', async () => {
    const [call, sa, sb, , b] = await connected();
    sb.disconnect();
    await next(sa, 'call:peer-link');
    const back = await server.connect(b);
    const resumed = next(sa, 'call:peer-link');
    const ack = await ask(back, 'call:resume', { callId: call.callId, fresh: true });
    expect(ack).toMatchObject({ ok: true, data: { call: { callId: call.callId, phase: 'active' } } });
    expect(await resumed).toEqual({ callId: call.callId, state: 'resumed', fresh: true });
    await sleep(600);
    expect(server.calls.list().map((c) => c.callId)).toContain(call.callId);
    const signal = next(back, 'call:signal');
    await ask(sa, 'call:signal', { callId: call.callId, signal: { candidate: null } });
    expect(await signal).toEqual({ callId: call.callId, signal: { candidate: null } });
  });

  it('rejects calling yourself, an offline user, and a second call while in one', async () => {
    const [call, sa, , a] = await connected();
    expect(await ask(sa, 'call:invite', { calleeId: a.id })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const offline = await server.signUp(`Offline${++n}`);
    const fresh = await server.signUp(`Fresh${n}`);
    const sf = await server.connect(fresh);
    expect(await ask(sf, 'call:invite', { calleeId: offline.id })).toMatchObject({ ok: false, error: { code: 'OFFLINE' } });
    expect(await ask(sa, 'call:invite', { calleeId: fresh.id })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(call.callId).toBeTruthy();
  });
});
