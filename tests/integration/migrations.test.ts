/**
 * The checked-in migrations, applied for real through scripts/prisma.mjs (the Prisma CLI and the
 * offline schema-engine stand-in), to a fresh SQLite file and to a fresh PostgreSQL 15 database:
 * they apply (twice: the second run is a no-op), they produce exactly the Prisma schema (no drift,
 * and a deliberate drift is detected), and the tables are there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDeploy, paths, schemaDiff } from '../../scripts/prisma.mjs';
import { startPostgres, type TestPostgres } from '../support/postgres';

const TABLES = ['AuditLog', 'CallSession', 'account', 'participation', 'rateLimit', 'session', 'user', 'verification'];

/** Migration directory names (those with a migration.sql), oldest first. */
function migrationNames(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort();
}

describe('checked-in migrations', () => {
  it('have the same history for SQLite and PostgreSQL', () => {
    const sqlite = migrationNames(paths.migrations);
    expect(sqlite.length).toBeGreaterThan(0);
    expect(migrationNames(paths.postgresMigrations)).toEqual(sqlite);
  });

  describe('on SQLite', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-migrations-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('apply to a fresh database, idempotently, without drift', async () => {
      const file = path.join(dir, 'nested', 'fresh.db'); // the directory is created by migrateDeploy
      const url = `file:${file}`;

      expect(await migrateDeploy(url)).toMatch(/All migrations have been successfully applied/);
      expect(await migrateDeploy(url)).toMatch(/No pending migrations to apply/);
      expect(await schemaDiff(url)).toBe('');

      const db = new DatabaseSync(file, { readOnly: true });
      try {
        const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all();
        expect(tables.map((row) => row.name)).toEqual(expect.arrayContaining(TABLES));
        expect(db.prepare('SELECT count(*) AS n FROM "user"').get()).toEqual({ n: 0 });
        const applied = db.prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name').all();
        expect(applied.map((row) => row.migration_name)).toEqual(migrationNames(paths.migrations));
      } finally {
        db.close();
      }

      // …and the drift check is not vacuous: a change made behind Prisma's back shows up.
      const writable = new DatabaseSync(file);
      writable.exec('ALTER TABLE "user" ADD COLUMN "drift" TEXT');
      writable.close();
      expect(await schemaDiff(url)).toMatch(/"user"/); // SQLite redefines the table
    }, 120_000);
  });

  describe('on PostgreSQL', () => {
    let server: TestPostgres | undefined;
    beforeAll(async () => {
      server = await startPostgres({ database: 'confab_migrations' });
    }, 120_000);
    afterAll(() => server?.stop(), 60_000);

    it('apply to a fresh database, idempotently, without drift', async () => {
      const url = server!.url;

      expect(await migrateDeploy(url)).toMatch(/All migrations have been successfully applied/);
      expect(await migrateDeploy(url)).toMatch(/No pending migrations to apply/);
      expect(await schemaDiff(url)).toBe('');

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const tables = await client.query<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
        );
        expect(tables.rows.map((row) => row.name)).toEqual(expect.arrayContaining(TABLES));
        expect((await client.query('SELECT count(*)::int AS n FROM "user"')).rows).toEqual([{ n: 0 }]);
        const applied = await client.query<{ migration_name: string }>(
          'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
        );
        expect(applied.rows.map((row) => row.migration_name)).toEqual(migrationNames(paths.postgresMigrations));

        // …and the drift check is not vacuous: a change made behind Prisma's back shows up.
        await client.query('ALTER TABLE "user" ADD COLUMN "drift" TEXT');
        expect(await schemaDiff(url)).toMatch(/ALTER TABLE "user" DROP COLUMN "drift"/);
      } finally {
        await client.end();
      }
    }, 120_000);
  });
});
