/**
 * The generated admin password goes to a mode-600 file whose path is printed; neither stdout nor
 * the structured log ever carries the password itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, expect, inject, it } from 'vitest';
import { startConfab, type Confab } from '@/lib/server/app';
import { parseEnv } from '@/lib/server/env';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-seed-'));
let confab: Confab | undefined;
afterAll(async () => {
  await confab?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('writes a generated admin password to a 0600 file and logs only its path', async () => {
  const dbFile = path.join(dir, 'confab.db');
  fs.copyFileSync(inject('templateDb'), dbFile);
  const logged: string[] = [];
  const printed: string[] = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => void logged.push(line) });
  const originalLog = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(' '));
  try {
    confab = await startConfab({
      env: parseEnv({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${dbFile}`,
        DATA_DIR: path.join(dir, 'data'),
        ADMIN_EMAIL: 'root@seed.local',
      }),
      log,
    });
  } finally {
    console.log = originalLog;
  }

  const file = path.join(dir, 'data', 'admin-password');
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  const [email, password] = fs.readFileSync(file, 'utf8').trim().split('\n');
  expect(email).toBe('root@seed.local');
  expect(password!.length).toBeGreaterThanOrEqual(16);
  expect(printed.join('\n')).toContain(file);
  expect(printed.join('\n')).not.toContain(password);
  expect(logged.join('\n')).toContain('admin-password');
  expect(logged.join('\n')).not.toContain(password);

  const signIn = await fetch(`${confab.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(signIn.status).toBe(200);
  // The auth secret lives in the same directory, also mode 600.
  expect(fs.statSync(path.join(dir, 'data', 'auth-secret')).mode & 0o777).toBe(0o600);
});
