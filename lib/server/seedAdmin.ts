import crypto from 'node:crypto';
import type { Auth } from './auth';
import type { Db } from './db';
import type { Env } from './env';
import type { Logger } from './logger';

/**
 * Makes sure ADMIN_EMAIL exists and is an admin. A new admin gets ADMIN_PASSWORD, or a generated
 * password printed exactly once (it is never stored in clear). An existing account keeps its password.
 */
export async function seedAdmin(auth: Auth, db: Db, env: Env, log: Logger, print = console.log) {
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
  const nameTaken = await db.user.findFirst({ where: { nameKey: env.ADMIN_NAME.toLowerCase() } });
  const name = nameTaken ? `${env.ADMIN_NAME} ${crypto.randomInt(1000, 9999)}` : env.ADMIN_NAME;
  const { user } = await auth.api.signUpEmail({ body: { email, password, name } });
  await db.user.update({ where: { id: user.id }, data: { role: 'admin' } });
  log.info({ email }, 'admin account created');
  if (!env.ADMIN_PASSWORD) {
    print(
      [
        '',
        '  ┌──────────────────────────────────────────────────────────────┐',
        '  │ Confab admin account created. The password is shown only once.',
        `  │   email:    ${email}`,
        `  │   password: ${password}`,
        '  │ Set ADMIN_EMAIL / ADMIN_PASSWORD to choose your own.',
        '  └──────────────────────────────────────────────────────────────┘',
        '',
      ].join('\n'),
    );
  }
}
