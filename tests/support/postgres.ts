/**
 * A throwaway PostgreSQL server for tests: Debian's PostgreSQL 15 (apt package `postgresql`),
 * a fresh cluster (initdb, trust auth) in a temp directory, on 127.0.0.1 and a free port. As root,
 * the server runs as the `postgres` system user (initdb/postgres refuse root), which then owns
 * the temp directory.
 *
 *   const pg = await startPostgres();
 *   try { … pg.url … } finally { await pg.stop(); }   // or in beforeAll / afterAll
 *
 * stop() shuts the server down and removes the directory; a failed start cleans up before
 * rejecting, and if stop() is never called, a process 'exit' hook kills the server and removes
 * the directory. The implementation lives in scripts/prisma/postgres-server.mjs (plain JS) because
 * `node scripts/prisma.mjs migrate-dev` needs the same server to create PostgreSQL migrations.
 */
import { startPostgres as startServer } from '../../scripts/prisma/postgres-server.mjs';

export interface TestPostgres {
  /** postgresql://postgres@127.0.0.1:<port>/<database>; the database exists. */
  url: string;
  port: number;
  /** The cluster's data directory (inside the temp directory that stop() removes). */
  dataDir: string;
  /** Fast shutdown, then removes the temp directory. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Database to create and point `url` at (default `confab`). */
  database?: string;
  /** How long to wait for the server to accept connections (default 60 s). */
  timeoutMs?: number;
}

export function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  return startServer(options);
}
