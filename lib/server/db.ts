/**
 * The Prisma client for the configured database. SQLite (embedded default) uses better-sqlite3;
 * a postgres:// URL uses node-postgres. One client per process, created by the composition root.
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../generated/prisma/client';

export type Db = PrismaClient;

export function isPostgresUrl(url: string) {
  return /^postgres(ql)?:\/\//.test(url);
}

export async function createDb(url: string): Promise<Db> {
  if (isPostgresUrl(url)) {
    // The PostgreSQL client is generated from prisma/postgres/schema.prisma; same models, same API.
    const [{ PrismaPg }, pg] = await Promise.all([
      import('@prisma/adapter-pg'),
      import('../../generated/prisma-pg/client'),
    ]);
    return new pg.PrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  }
  const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
  // WAL lets readers (the Next.js pages) run while the socket handlers write; busy_timeout rides out
  // the short write locks instead of failing with SQLITE_BUSY.
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
  return db;
}
