/**
 * Start-up reconciliation (closeStaleSessions) against a real SQLite database built from the
 * checked-in migrations: sessions a crash left open, 1:1 and room alike, are closed with reason
 * server-restart; what had already ended keeps its own end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeStaleSessions } from '@/lib/server/calls/callRecords';
import { createDb, type Db } from '@/lib/server/db';

let dir: string;
let db: Db;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-reconcile-'));
  const file = path.join(dir, 'db.sqlite');
  const sqlite = new DatabaseSync(file);
  const migrations = path.resolve(import.meta.dirname, '../../../prisma/migrations');
  for (const name of fs.readdirSync(migrations).sort()) {
    const sql = path.join(migrations, name, 'migration.sql');
    if (fs.existsSync(sql)) sqlite.exec(fs.readFileSync(sql, 'utf8'));
  }
  sqlite.close();
  db = await createDb(`file:${file}`);
});
afterAll(async () => {
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const user = (name: string) =>
  db.user.create({
    data: { id: `u-${name}`, name, nameKey: name.toLowerCase(), email: `${name.toLowerCase()}@test.local` },
  });

describe('closeStaleSessions', () => {
  it('closes every session and participation a crash left open, and leaves finished ones alone', async () => {
    const [alice, bob, carol] = await Promise.all([user('Alice'), user('Bob'), user('Carol')]);
    const t0 = new Date('2026-11-21T10:00:00Z');
    const ended = new Date('2026-11-21T10:05:00Z');
    const room = await db.room.create({ data: { slug: 'standup-abcd', name: 'Standup', hostId: alice.id } });

    // A 1:1 call in progress.
    const live = await db.callSession.create({
      data: {
        kind: 'P2P',
        createdById: alice.id,
        startedAt: t0,
        answeredAt: t0,
        participations: {
          create: [
            { userId: alice.id, role: 'caller', joinedAt: t0 },
            { userId: bob.id, role: 'callee', joinedAt: t0 },
          ],
        },
      },
    });
    // A call still ringing: the callee never joined, so their participation has nothing to close.
    const ringing = await db.callSession.create({
      data: {
        kind: 'P2P',
        createdById: bob.id,
        startedAt: t0,
        participations: {
          create: [
            { userId: bob.id, role: 'caller', joinedAt: t0 },
            { userId: carol.id, role: 'callee' },
          ],
        },
      },
    });
    // A room meeting in progress; Carol had already left it.
    const meeting = await db.callSession.create({
      data: {
        kind: 'ROOM',
        roomId: room.id,
        createdById: alice.id,
        startedAt: t0,
        answeredAt: t0,
        participations: {
          create: [
            { userId: alice.id, role: 'host', joinedAt: t0 },
            { userId: carol.id, role: 'member', joinedAt: t0, leftAt: ended, leaveReason: 'left' },
          ],
        },
      },
    });
    // A call that ended normally before the crash.
    const done = await db.callSession.create({
      data: {
        kind: 'P2P',
        createdById: carol.id,
        startedAt: t0,
        answeredAt: t0,
        endedAt: ended,
        endReason: 'hangup',
        participations: {
          create: [
            { userId: carol.id, role: 'caller', joinedAt: t0, leftAt: ended, leaveReason: 'hangup' },
            { userId: alice.id, role: 'callee', joinedAt: t0, leftAt: ended, leaveReason: 'hangup' },
          ],
        },
      },
    });

    const now = new Date('2026-11-21T11:00:00Z');
    expect(await closeStaleSessions(db, now)).toBe(3);

    const byId = async (id: string) =>
      db.callSession.findUniqueOrThrow({ where: { id }, include: { participations: true } });
    for (const id of [live.id, ringing.id, meeting.id]) {
      expect(await byId(id)).toMatchObject({ endedAt: now, endReason: 'server-restart' });
    }
    expect((await byId(live.id)).participations.map((p) => [p.leftAt, p.leaveReason])).toEqual([
      [now, 'server-restart'],
      [now, 'server-restart'],
    ]);
    const ringingParts = (await byId(ringing.id)).participations;
    expect(ringingParts.find((p) => p.userId === carol.id)).toMatchObject({
      joinedAt: null,
      leftAt: null,
      leaveReason: null,
    });
    const meetingParts = (await byId(meeting.id)).participations;
    expect(meetingParts.find((p) => p.userId === alice.id)).toMatchObject({
      leftAt: now,
      leaveReason: 'server-restart',
    });
    expect(meetingParts.find((p) => p.userId === carol.id)).toMatchObject({ leftAt: ended, leaveReason: 'left' });
    const finished = await byId(done.id);
    expect(finished).toMatchObject({ endedAt: ended, endReason: 'hangup' });
    expect(
      finished.participations.every((p) => p.leaveReason === 'hangup' && p.leftAt?.getTime() === ended.getTime()),
    ).toBe(true);

    // Idempotent: a second start-up finds nothing left open.
    expect(await closeStaleSessions(db, new Date())).toBe(0);
  });
});
