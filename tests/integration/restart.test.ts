import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

let second: TestServer | undefined;
let keepDir: string | undefined;
afterAll(async () => {
  await second?.stop();
  if (keepDir) fs.rmSync(keepDir, { recursive: true, force: true });
});

describe('start-up reconciliation', () => {
  it('closes sessions a crash left active with reason server-restart', async () => {
    const first = await startTestServer();
    const a = await first.signUp('Crashy');
    const b = await first.signUp('Victim');
    // Simulate a crash: a call answered and never ended, straight in the database.
    await first.db.callSession.create({
      data: {
        kind: 'P2P',
        createdById: a.id,
        answeredAt: new Date(),
        participations: { create: [{ userId: a.id, role: 'caller', joinedAt: new Date() }, { userId: b.id, role: 'callee', joinedAt: new Date() }] },
      },
    });
    keepDir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-restart-'));
    const keep = path.join(keepDir, 'db.sqlite');
    await first.db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(path.join(first.dir, 'confab.db'), keep);
    await first.stop();

    second = await startTestServer({ DATABASE_URL: `file:${keep}` });
    const sessions = await second.db.callSession.findMany({ include: { participations: true } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ endReason: 'server-restart' });
    expect(sessions[0]?.endedAt).toBeInstanceOf(Date);
    expect(sessions[0]?.participations.every((p) => p.leaveReason === 'server-restart' && p.leftAt)).toBe(true);
  });
});
