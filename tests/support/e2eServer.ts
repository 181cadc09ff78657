/**
 * The web process for end-to-end tests: the real server.ts on a fresh, migrated SQLite database in a
 * temp dir, with short timers so timeout paths are testable. The database is removed on exit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateDeploy } from '../../scripts/prisma.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-e2e-'));
const url = `file:${path.join(dir, 'e2e.db')}`;
await migrateDeploy(url);

Object.assign(process.env, {
  PORT: process.env.E2E_PORT ?? '3210',
  DATABASE_URL: url,
  AUTH_SECRET: 'e2e-secret-e2e-secret-e2e-secret-e2e',
  ADMIN_EMAIL: 'admin@e2e.local',
  ADMIN_PASSWORD: 'admin-password-e2e',
  PRESENCE_LINGER_MS: '500',
  // Tests touch only loopback (the default would be the machine's primary interface).
  SFU_LISTEN_IP: '127.0.0.1',
  // Every test registers fresh users from one address; keep the sign-up limit out of the way.
  SIGNUP_RATE_LIMIT: '1000',
  // The admin signs in once per test; `--repeat-each` must not run into the per-minute limit.
  SIGNIN_RATE_LIMIT: '1000',
  LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
});
const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
process.on('exit', cleanup);

await import('../../server');
