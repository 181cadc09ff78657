/**
 * Look-alike display names: refused at sign-up (a second account cannot impersonate the first),
 * and names stored under the old rules are cleaned and re-keyed at start-up without losing anyone.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayNameKey } from '@/lib/server/displayName';
import { migrateDisplayNames } from '@/lib/server/displayNameMigration';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe('display names at sign-up', () => {
  it('refuses look-alikes of a taken name and invisible characters', async () => {
    await server.signUp('Mallory53316');
    const attempts: Array<[name: string, reason: RegExp]> = [
      ['Mall\u200bory53316', /invisible or control/], // zero-width space inside
      ['M\u0430llory53316', /looks too much like/], // Cyrillic а
      ['Mallo\u0301ry53316', /looks too much like/], // combining acute
      ['\u202eMallory53316', /invisible or control/], // RTL override
      ['MALLORY53316', /looks too much like/],
      ['MaIlory53316', /looks too much like/], // capital i
      ['MaIIory53316', /looks too much like/], // two capital i
    ];
    for (const [name, reason] of attempts) {
      await expect(server.signUp(name), JSON.stringify(name)).rejects.toThrow(reason);
    }
    // A genuinely different name is fine.
    await expect(server.signUp('Mallory53317')).resolves.toMatchObject({ name: 'Mallory53317' });
  });
});

describe('display names stored under the old rules', () => {
  it('are cleaned and re-keyed at start-up; the older account keeps a contested name', async () => {
    const make = (id: string, name: string, at: number) =>
      server.db.user.create({
        data: { id, name, nameKey: name.normalize('NFKC').toLowerCase(), email: `${id}@legacy.local`, createdAt: new Date(at) },
      });
    await make('legacy-1', 'Olga', 1_000);
    await make('legacy-2', '\u041elga', 2_000); // Cyrillic О
    await make('legacy-3', 'Trent\u200b', 3_000);
    await make('legacy-4', 'Olga 2', 500); // the variant name is taken already, by an even older account
    const log = pino({ level: 'silent' });

    expect(await migrateDisplayNames(server.db, log)).toBeGreaterThanOrEqual(3);
    const byId = async (id: string) => server.db.user.findUniqueOrThrow({ where: { id }, select: { name: true, nameKey: true } });
    expect(await byId('legacy-1')).toMatchObject({ name: 'Olga', nameKey: displayNameKey('Olga') });
    expect((await byId('legacy-2')).name).toBe('\u041elga 3');
    expect(await byId('legacy-3')).toMatchObject({ name: 'Trent', nameKey: displayNameKey('Trent') });
    const keys = (await server.db.user.findMany({ select: { nameKey: true } })).map((u) => u.nameKey);
    expect(new Set(keys).size).toBe(keys.length);

    expect(await migrateDisplayNames(server.db, log)).toBe(0);
  });
});
