/**
 * Admin actions against a real server, database and SFU node: each one reaches the people it acts
 * on (with an admin reason, no grace period) and is written to the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SfuNode } from '@/sfu/node';
import { activeCall, adminHarness, liveRoom, subscribe } from '../support/admin';
import { ask, next, startTestServer, type TestServer } from '../support/server';
import { SFU_TEST_SECRET, startTestSfu } from '../support/sfu';

let sfu: SfuNode;
let server: TestServer;
beforeAll(async () => {
  sfu = await startTestSfu({ SFU_RTC_MIN_PORT: '46300', SFU_RTC_MAX_PORT: '46399' });
  server = await startTestServer({}, { sfu: [{ url: sfu.url, secret: SFU_TEST_SECRET }] });
});
afterAll(async () => {
  await server?.stop();
  await sfu?.close();
});

const { user } = adminHarness(() => server);

describe('admin: actions', () => {
  it('ends a room: every participant is told "ended by an admin", the room is gone, and it is audited', async () => {
    const [, admin] = await user('Ender', 'admin');
    const [, hostSocket] = await user('Host');
    const [, guestSocket] = await user('Guest');
    const room = await liveRoom(hostSocket, [guestSocket], 'Doomed');
    const { rooms } = await subscribe(admin);
    const roomId = rooms.find((r) => r.slug === room.slug)!.id;

    const closed = [next(hostSocket, 'room:closed'), next(guestSocket, 'room:closed')];
    expect(await ask(admin, 'admin:end-room', { roomId })).toEqual({ ok: true, data: {} });
    expect(await Promise.all(closed)).toEqual([{ reason: 'ended-by-admin' }, { reason: 'ended-by-admin' }]);
    expect(server.rooms.liveRooms().some((r) => r.id === roomId)).toBe(false);
    expect(await ask(guestSocket, 'room:join', { slug: room.slug, rtpCapabilities: {} })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE' },
    });
    expect(await ask(admin, 'admin:end-room', { roomId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const audit = await server.db.auditLog.findFirstOrThrow({ where: { targetId: roomId } });
    expect(audit).toMatchObject({ action: 'room.end', targetType: 'room', targetLabel: 'Doomed' });
    expect(JSON.parse(audit.detail!).participants).toHaveLength(2);
  });

  it('removes one participant, who may not rejoin; ends a 1:1 call for both parties', async () => {
    const [, admin] = await user('Mod', 'admin');
    const [, hostSocket] = await user('Host');
    const [guest, guestSocket] = await user('Guest');
    const room = await liveRoom(hostSocket, [guestSocket], 'Moderated');
    const roomId = server.rooms.liveRooms().find((r) => r.stored.slug === room.slug)!.id;
    const closed = next(guestSocket, 'room:closed');
    const left = next(hostSocket, 'room:participant-left');
    expect(await ask(admin, 'admin:remove-participant', { roomId, userId: guest.id })).toEqual({ ok: true, data: {} });
    expect(await closed).toEqual({ reason: 'removed-by-admin' });
    expect(await left).toEqual({ userId: guest.id, reason: 'removed' });
    expect(await ask(guestSocket, 'room:join', { slug: room.slug, rtpCapabilities: {} })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    const [, a] = await user('Talker');
    const [bob, b] = await user('Listener');
    const call = await activeCall(a, b, bob);
    const ended = [next(a, 'call:ended'), next(b, 'call:ended')];
    expect(await ask(admin, 'admin:end-call', { callId: call.callId })).toEqual({ ok: true, data: {} });
    expect(await Promise.all(ended)).toEqual([
      { callId: call.callId, reason: 'ended-by-admin' },
      { callId: call.callId, reason: 'ended-by-admin' },
    ]);
    await server.records.flush();
    expect(await server.db.callSession.findUnique({ where: { id: call.callId } })).toMatchObject({
      endReason: 'ended-by-admin',
    });
    const actions = await server.db.auditLog.findMany({ where: { targetId: { in: [roomId, call.callId] } } });
    expect(actions.map((x) => x.action).sort()).toEqual(['call.end', 'room.remove-participant']);
  });

  it('disabling a user drops their sockets at once, ends their call, kills their sessions; re-enabling lets them back', async () => {
    const [, admin] = await user('Sheriff', 'admin');
    const [outlaw, o1] = await user('Outlaw');
    const o2 = await server.connect(outlaw); // a second tab
    const [peer, p] = await user('Peer');
    const call = await activeCall(p, o1, outlaw);

    const revoked = [next(o1, 'session:revoked'), next(o2, 'session:revoked')];
    const dropped = [o1, o2].map((s) => new Promise<string>((resolve) => s.once('disconnect', resolve)));
    const peerEnded = next(p, 'call:ended');
    expect(await ask(admin, 'admin:set-disabled', { userId: outlaw.id, disabled: true, reason: 'spam' })).toEqual({
      ok: true,
      data: {},
    });
    expect(await Promise.all(revoked)).toEqual([
      { reason: 'Your account was disabled by an admin.' },
      { reason: 'Your account was disabled by an admin.' },
    ]);
    expect(await Promise.all(dropped)).toEqual(['io server disconnect', 'io server disconnect']);
    // No reconnect grace: the other party hears at once that an admin ended it.
    expect(await peerEnded).toEqual({ callId: call.callId, reason: 'ended-by-admin' });
    expect(server.presence.status(peer.id)).toBe('available');

    expect(await server.db.session.count({ where: { userId: outlaw.id } })).toBe(0);
    await expect(server.connect(outlaw)).rejects.toThrow(/Sign in/);
    const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: outlaw.email, password: 'correct-horse-battery' }),
    });
    expect(signIn.status).toBe(403);
    expect(await ask(admin, 'admin:set-disabled', { userId: outlaw.id, disabled: true })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE' },
    });

    expect(await ask(admin, 'admin:set-disabled', { userId: outlaw.id, disabled: false })).toEqual({
      ok: true,
      data: {},
    });
    const again = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: outlaw.email, password: 'correct-horse-battery' }),
    });
    expect(again.status).toBe(200);
    const audit = await server.db.auditLog.findMany({ where: { targetId: outlaw.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((x) => [x.action, x.detail])).toEqual([
      ['user.disable', JSON.stringify({ reason: 'spam' })],
      ['user.enable', null],
    ]);
  });

  it('better-auth’s own admin endpoints are closed: every admin action goes through the audited path', async () => {
    const [boss] = await user('Chief', 'admin');
    // (Every way of writing such a path is in auth-routes.test.ts.)
    const res = await fetch(`${server.url}/api/auth/admin/list-users`, { headers: { cookie: boss.cookie } });
    expect(res.status).toBe(404);
  });
});
