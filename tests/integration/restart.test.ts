import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallInfo, RoomSummary } from '@/lib/protocol';
import type { SfuNode } from '@/sfu/node';
import { ask, startTestServer, type TestServer } from '../support/server';
import { SFU_TEST_SECRET, startTestSfu, until } from '../support/sfu';

let sfu: SfuNode | undefined;
let second: TestServer | undefined;
let keepDir: string | undefined;
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
      expect(await ask(s, 'room:join', { slug: created.data.room.slug })).toMatchObject({ ok: true });
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

    second = await startTestServer({ DATABASE_URL: `file:${keep}` });
    const sessions = await second.db.callSession.findMany({ include: { participations: true } });
    expect(sessions.map((s) => s.kind).sort()).toEqual(['P2P', 'ROOM']);
    for (const s of sessions) {
      expect(s, s.kind).toMatchObject({ endReason: 'server-restart' });
      expect(s.endedAt).toBeInstanceOf(Date);
      expect(s.participations).toHaveLength(2);
      expect(s.participations.every((p) => p.leaveReason === 'server-restart' && p.leftAt)).toBe(true);
    }
  });
});
