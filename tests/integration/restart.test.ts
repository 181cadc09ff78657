import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallInfo, RoomSummary } from '@/lib/protocol';
import type { SfuNode } from '@/sfu/node';
import { ask, next, startTestServer, type TestServer, type TestUser } from '../support/server';
import { SFU_TEST_SECRET, startTestSfu, until } from '../support/sfu';

let sfu: SfuNode | undefined;
let second: TestServer | undefined;
let keepDir: string | undefined;
/** The 1:1 call that was live when the first process "crashed", and its parties. */
let crashed: { callId: string; caller: TestUser; callee: TestUser; outsider: TestUser };
afterAll(async () => {
  await second?.stop();
  await sfu?.close();
  if (keepDir) fs.rmSync(keepDir, { recursive: true, force: true });
});

describe('start-up reconciliation', () => {
  it('closes the calls and room meetings a crash left active with reason server-restart', async () => {
    sfu = await startTestSfu({ SFU_RTC_MIN_PORT: '46800', SFU_RTC_MAX_PORT: '46999' });
    const first = await startTestServer({}, { sfu: [{ url: sfu.url, secret: SFU_TEST_SECRET }] });
    const a = await first.signUp('Crashy');
    const b = await first.signUp('Victim');
    const h = await first.signUp('Hostess');
    const g = await first.signUp('Guesty');
    const [sa, sb, sh, sg] = await Promise.all([a, b, h, g].map((u) => first.connect(u)));

    // A 1:1 call and a room meeting, both live, through the real handlers.
    const invited = await ask<{ call: CallInfo }>(sa!, 'call:invite', { calleeId: b.id });
    if (!invited.ok) throw new Error(invited.error.message);
    expect(await ask(sb!, 'call:accept', { callId: invited.data.call.callId })).toMatchObject({ ok: true });
    const created = await ask<{ room: RoomSummary }>(sh!, 'room:create', { name: 'Interrupted' });
    if (!created.ok) throw new Error(created.error.message);
    for (const s of [sh!, sg!])
      expect(await ask(s, 'room:join', { slug: created.data.room.slug, rtpCapabilities: {} })).toMatchObject({ ok: true });
    await first.records.flush();
    await until(
      async () => (await first.db.participation.count({ where: { session: { kind: 'ROOM' } } })) === 2,
      'room participations',
    );

    // "Crash": take the database as it is now, with everything still open.
    keepDir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-restart-'));
    const keep = path.join(keepDir, 'db.sqlite');
    await first.db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(path.join(first.dir, 'confab.db'), keep);
    const open = await first.db.callSession.findMany({ where: { endedAt: null }, select: { kind: true } });
    expect(open.map((s) => s.kind).sort()).toEqual(['P2P', 'ROOM']);
    await first.stop();

    crashed = { callId: invited.data.call.callId, caller: a, callee: b, outsider: h };
    second = await startTestServer({ DATABASE_URL: `file:${keep}`, CALL_RECONNECT_GRACE_MS: '2000' });
    const sessions = await second.db.callSession.findMany({ include: { participations: true } });
    expect(sessions.map((s) => s.kind).sort()).toEqual(['P2P', 'ROOM']);
    for (const s of sessions) {
      expect(s, s.kind).toMatchObject({ endReason: 'server-restart' });
      expect(s.endedAt).toBeInstanceOf(Date);
      expect(s.participations).toHaveLength(2);
      expect(s.participations.every((p) => p.leaveReason === 'server-restart' && p.leftAt)).toBe(true);
    }
  });

  it('lets both parties take the interrupted call over on the new process; strangers cannot', async () => {
    const { callId, caller, callee, outsider } = crashed;
    const stranger = await second!.connect(outsider);
    expect(await ask(stranger, 'call:resume', { callId, fresh: false })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(second!.calls.activeCount).toBe(0);

    const [sa, sb] = await Promise.all([second!.connect(caller), second!.connect(callee)]);
    // Both come back at once, as two browsers do when the server answers again.
    const [ra, rb] = await Promise.all([
      ask(sa, 'call:resume', { callId, fresh: false }),
      ask(sb, 'call:resume', { callId, fresh: false }),
    ]);
    expect(ra).toMatchObject({ ok: true, data: { call: { callId, phase: 'active' } } });
    expect(rb).toMatchObject({ ok: true, data: { call: { callId, phase: 'active' } } });
    expect(second!.calls.activeCount).toBe(1);
    await second!.records.flush();
    expect(await second!.db.callSession.findUniqueOrThrow({ where: { id: callId } })).toMatchObject({ endedAt: null, endReason: null });

    // Signalling flows again, the parties are busy for others, and a hang-up reaches the other side.
    const relayed = next(sb, 'call:signal');
    expect(await ask(sa, 'call:signal', { callId, signal: { candidate: null } })).toMatchObject({ ok: true });
    expect(await relayed).toMatchObject({ callId });
    expect(await ask(stranger, 'call:invite', { calleeId: callee.id })).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    const ended = next(sb, 'call:ended');
    expect(await ask(sa, 'call:hangup', { callId })).toMatchObject({ ok: true });
    expect(await ended).toEqual({ callId, reason: 'hangup' });
    await second!.records.flush();
    expect(await second!.db.callSession.findUniqueOrThrow({ where: { id: callId } })).toMatchObject({ endReason: 'hangup' });
    // Over is over: no second take-over of a call that really ended.
    expect(await ask(sa, 'call:resume', { callId, fresh: false })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('ends a taken-over call when the other party does not come back within the grace, and refuses stale ones', async () => {
    const db = second!.db;
    const [alone, gone] = await Promise.all([second!.signUp('Alone'), second!.signUp('Gone')]);
    const restarted = async (endedAgoMs: number) => {
      const id = crypto.randomUUID();
      const at = new Date(Date.now() - endedAgoMs - 60_000);
      await db.callSession.create({
        data: {
          id,
          kind: 'P2P',
          startedAt: at,
          answeredAt: at,
          endedAt: new Date(Date.now() - endedAgoMs),
          endReason: 'server-restart',
          createdById: alone.id,
          participations: { create: [{ userId: alone.id, role: 'caller', joinedAt: at }, { userId: gone.id, role: 'callee', joinedAt: at }] },
        },
      });
      return id;
    };
    const socket = await second!.connect(alone);

    const stale = await restarted(10 * 60_000); // longer ago than CALL_RESTART_RESUME_MS
    expect(await ask(socket, 'call:resume', { callId: stale, fresh: false })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const callId = await restarted(1_000);
    expect(await ask(socket, 'call:resume', { callId, fresh: false })).toMatchObject({ ok: true });
    expect(second!.presence.status(alone.id)).toBe('in-call');
    expect(await next(socket, 'call:ended', 5_000)).toEqual({ callId, reason: 'peer-lost' });
    expect(second!.presence.status(alone.id)).toBe('available');
    expect(second!.calls.activeCount).toBe(0);
  });
});
