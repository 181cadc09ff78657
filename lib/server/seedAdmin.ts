import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Auth } from './auth';
import type { Db } from './db';
import { displayNameKey } from './displayName';
import type { Env } from './env';
import type { Logger } from './logger';

/**
 * Makes sure ADMIN_EMAIL exists and is an admin. A new admin gets ADMIN_PASSWORD, or a generated
 * password written to a file only this OS user can read (mode 600), whose path is printed. The
 * password itself never reaches stdout or the structured log, which often end up in a shared log
 * store. An existing account keeps its password.
 */
export async function seedAdmin(
  auth: Auth,
  db: Db,
  env: Env,
  log: Logger,
  print = console.log,
) {
  const email = env.ADMIN_EMAIL.toLowerCase();
  const existing = await db.user.findUnique({ where: { email }, select: { id: true, role: true } });
  if (existing) {
    if (existing.role !== 'admin') {
      await db.user.update({ where: { id: existing.id }, data: { role: 'admin' } });
      log.info({ email }, 'promoted configured ADMIN_EMAIL to admin');
    }
    return;
  }
  const password = env.ADMIN_PASSWORD ?? crypto.randomBytes(12).toString('base64url');
  const nameTaken = await db.user.findFirst({ where: { nameKey: displayNameKey(env.ADMIN_NAME) } });
  const name = nameTaken ? `${env.ADMIN_NAME} ${crypto.randomInt(1000, 9999)}` : env.ADMIN_NAME;
  const { user } = await auth.api.signUpEmail({ body: { email, password, name } });
  await db.user.update({ where: { id: user.id }, data: { role: 'admin' } });
  log.info({ email }, 'admin account created');
  if (env.ADMIN_PASSWORD) return;
  const file = path.join(env.DATA_DIR, 'admin-password');
  fs.mkdirSync(env.DATA_DIR, { recursive: true });
  // A file left by an earlier database is replaced, never appended to or opened by another user.
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, `${email}\n${password}\n`, { mode: 0o600, flag: 'wx' });
  log.info({ email, passwordFile: file }, 'generated admin password written to a file');
  print(
    [
      '',
      `  Confab admin account created: ${email}`,
      `  Its password is in ${file} (readable by this user only).`,
      '  Sign in, then delete that file. Set ADMIN_EMAIL / ADMIN_PASSWORD to choose your own.',
      '',
    ].join('\n'),
  );
}
