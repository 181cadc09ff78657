import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Env } from './env';

/**
 * The auth secret signs session cookies, so it must survive restarts. When AUTH_SECRET is unset we
 * generate one on first start and keep it (mode 600) beside the embedded database.
 */
export function resolveAuthSecret(env: Env, dataDir = env.DATA_DIR): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  const file = path.join(dataDir, 'auth-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = crypto.randomBytes(32).toString('hex');
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
