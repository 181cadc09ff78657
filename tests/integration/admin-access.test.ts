/**
 * Admin access and the live feed, against a real server, database and SFU node: every admin event
 * is refused for non-admins; role changes reach sockets already open; the snapshot is pushed (not
 * polled) every 2 s while an admin watches, with calls, rooms, users and workers in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEvents, ADMIN_SNAPSHOT_INTERVAL_MS, type CallInfo } from '@/lib/protocol';
import type { SfuNode } from '@/sfu/node';
import { activeCall, adminHarness, liveRoom, stats, subscribe } from '../support/admin';
import { ask, next, record, sleep, startTestServer, type TestServer } from '../support/server';
import { SFU_TEST_SECRET, startTestSfu } from '../support/sfu';

let sfu: SfuNode;
let server: TestServer;
beforeAll(async () => {
  sfu = await startTestSfu({ SFU_RTC_MIN_PORT: '46200', SFU_RTC_MAX_PORT: '46299' });
  server = await startTestServer({}, { sfu: [{ url: sfu.url, secret: SFU_TEST_SECRET }] });
});
afterAll(async () => {
  await server?.stop();
  await sfu?.close();
});

const { user } = adminHarness(() => server);

const validPayloads: Record<(typeof adminEvents)[number], unknown> = {
  'admin:subscribe': {},
  'admin:unsubscribe': {},
  'admin:end-room': { roomId: 'someroom' },
  'admin:remove-participant': { roomId: 'someroom', userId: 'someone' },
  'admin:end-call': { callId: crypto.randomUUID() },
  'admin:set-disabled': { userId: 'someone', disabled: true },
  'admin:set-role': { userId: 'someone', role: 'admin' },
};

describe('admin: access', () => {
  it('refuses every admin event to a non-admin with FORBIDDEN, and pushes them nothing', async () => {
    const [, socket] = await user('Mallory');
    const audited = await server.db.auditLog.count();
    const pushed = record(socket, 'admin:snapshot');
    for (const event of adminEvents) {
      expect(await ask(socket, event, validPayloads[event]), event).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    // Even one aimed at themselves, with a real target.
    const [victim] = await user('Victim');
    expect(await ask(socket, 'admin:set-role', { userId: victim.id, role: 'admin' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await sleep(ADMIN_SNAPSHOT_INTERVAL_MS + 500);
    expect(pushed).toEqual([]);
    expect(await server.db.auditLog.count()).toBe(audited);
  });

  it('promotion and demotion reach sockets that are already open', async () => {
    const [rootUser, root] = await user('Root', 'admin');
    const [deputy, deputySocket] = await user('Deputy');
    expect(await ask(deputySocket, 'admin:subscribe', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    expect(await ask(root, 'admin:set-role', { userId: deputy.id, role: 'admin' })).toEqual({ ok: true, data: {} });
    await subscribe(deputySocket); // same socket, now an admin
    await next(deputySocket, 'admin:snapshot', ADMIN_SNAPSHOT_INTERVAL_MS + 1000);

    const revoked = next(deputySocket, 'admin:revoked');
    expect(await ask(root, 'admin:set-role', { userId: deputy.id, role: 'user' })).toEqual({ ok: true, data: {} });
    expect(await revoked).toEqual({ reason: 'An admin removed your admin role.' });
    const after = record(deputySocket, 'admin:snapshot');
    expect(await ask(deputySocket, 'admin:end-call', { callId: crypto.randomUUID() })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await sleep(ADMIN_SNAPSHOT_INTERVAL_MS + 500);
    expect(after).toEqual([]);

    // Nobody can change their own role (an admin demoting themselves could leave none).
    expect(await ask(root, 'admin:set-role', { userId: rootUser.id, role: 'user' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await ask(root, 'admin:set-disabled', { userId: rootUser.id, disabled: true })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    const audit = await server.db.auditLog.findMany({ where: { targetId: deputy.id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['user.promote', 'user.demote']);
  });

  it('a role taken away behind the dashboard’s back (in the database) stops the pushes at the next tick', async () => {
    const [watcher, socket] = await user('Watcher', 'admin');
    await subscribe(socket);
    const revoked = next(socket, 'admin:revoked', ADMIN_SNAPSHOT_INTERVAL_MS * 2);
    await server.db.user.update({ where: { id: watcher.id }, data: { role: 'user' } });
    expect(await revoked).toEqual({ reason: 'You are no longer an admin.' });
  });
});

describe('admin: live snapshot', () => {
  it('shows online users, a live call with both parties’ stats and a live room with media figures, every ≤ 2 s', async () => {
    const [, admin] = await user('Boss', 'admin');
    const [alice, a] = await user('Alice');
    const [bob, b] = await user('Bob');
    const [, outsider] = await user('Outsider');
    const [host, hostSocket] = await user('Host');
    const [guest, guestSocket] = await user('Guest');

    const call = await activeCall(a, b, bob);
    expect(await ask(a, 'call:stats', { callId: call.callId, stats })).toEqual({ ok: true, data: {} });
    expect(await ask(b, 'call:stats', { callId: call.callId, stats: { ...stats, candidateType: 'relay' } })).toEqual({
      ok: true,
      data: {},
    });
    // Only a party may report, and only with a well-formed summary.
    expect(await ask(outsider, 'call:stats', { callId: call.callId, stats })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await ask(a, 'call:stats', { callId: call.callId, stats: { ...stats, rttMs: -1 } })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    const room = await liveRoom(hostSocket, [guestSocket], 'Observed');

    const first = await subscribe(admin);
    expect(first.users.map((u) => u.id)).toEqual(expect.arrayContaining([alice.id, bob.id, host.id, guest.id]));
    expect(first.users.find((u) => u.id === alice.id)).toMatchObject({ status: 'in-call', tabs: 1, role: 'user' });
    const liveCall = first.calls.find((c) => c.callId === call.callId);
    expect(liveCall).toMatchObject({ phase: 'active', caller: { id: alice.id }, callee: { id: bob.id } });
    expect(liveCall!.stats[alice.id]).toMatchObject({ ...stats, at: expect.any(Number) });
    expect(liveCall!.stats[bob.id]).toMatchObject({ candidateType: 'relay' });

    const liveRoomView = first.rooms.find((r) => r.slug === room.slug);
    expect(liveRoomView).toMatchObject({ name: 'Observed', node: sfu.url });
    expect(liveRoomView!.participants.map((p) => p.userId).sort()).toEqual([host.id, guest.id].sort());
    const hostView = liveRoomView!.participants.find((p) => p.userId === host.id)!;
    expect(hostView).toMatchObject({ isHost: true, audio: 'none', video: 'none', screen: false });
    // The SFU node answered room:stats: the peer's worker is one of the node's.
    const pids = sfu.pool.workers.map((w) => w.worker.pid);
    expect(pids).toContain(hostView.media?.workerPid);
    expect(first.workers.map((w) => w.pid).sort()).toEqual([...pids].sort());
    expect(first.workers.reduce((sum, w) => sum + w.routers, 0)).toBeGreaterThan(0);
    expect(first.nodes).toEqual([{ url: sfu.url, state: 'connected' }]);

    // Pushed, not polled: two snapshots arrive on their own, at most ~2 s apart, with CPU by then.
    const t0 = Date.now();
    await next(admin, 'admin:snapshot', ADMIN_SNAPSHOT_INTERVAL_MS + 1000);
    const second = await next(admin, 'admin:snapshot', ADMIN_SNAPSHOT_INTERVAL_MS + 1000);
    expect(Date.now() - t0).toBeLessThan(2 * ADMIN_SNAPSHOT_INTERVAL_MS + 1000);
    expect(second.workers.every((w) => typeof w.cpuPercent === 'number')).toBe(true);

    // Unsubscribing stops the pushes.
    expect(await ask(admin, 'admin:unsubscribe', {})).toEqual({ ok: true, data: {} });
    expect(server.admin.monitor.subscriberCount).toBe(0);
    const after = record(admin, 'admin:snapshot');
    await sleep(ADMIN_SNAPSHOT_INTERVAL_MS + 500);
    expect(after).toEqual([]);
  });

  it('call stats: only from the tab holding an answered call, and rate-limited', async () => {
    const [, a] = await user('Caller');
    const [bob, b] = await user('Callee');
    const invited = await ask<{ call: CallInfo }>(a, 'call:invite', { calleeId: bob.id });
    if (!invited.ok) throw new Error(invited.error.message);
    const callId = invited.data.call.callId;
    expect(await ask(a, 'call:stats', { callId, stats })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE' },
    });
    await ask(b, 'call:accept', { callId });
    const burst = await Promise.all(Array.from({ length: 5 }, () => ask(b, 'call:stats', { callId, stats })));
    expect(burst.filter((r) => r.ok)).toHaveLength(3);
    expect(burst.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED')).toHaveLength(2);
  });
});
