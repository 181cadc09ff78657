/**
 * Bulk users with ready-made sessions, for the presence benchmark. Signing up 10k users through
 * better-auth would spend minutes in scrypt, so the rows are inserted directly — the same user and
 * session rows a sign-up creates (minus the password account, which socket auth never reads) — and
 * each session token is signed into a cookie exactly as better-auth (better-call) signs it:
 * `<cookie name>=encodeURIComponent(token + '.' + base64(HMAC-SHA256(secret, token)))`.
 */
import crypto from 'node:crypto';
import { createDb } from '../../lib/server/db';

export interface SeededUser {
  id: string;
  /** The value of the session cookie, already signed and URL-encoded. */
  cookieValue: string;
}

const BATCH = 1000;

export async function seedUsers(databaseUrl: string, count: number, secret: string): Promise<SeededUser[]> {
  const db = await createDb(databaseUrl);
  const users: SeededUser[] = [];
  try {
    const expiresAt = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    for (let start = 0; start < count; start += BATCH) {
      const ids = Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => String(start + i).padStart(6, '0'));
      const tokens = ids.map(() => crypto.randomBytes(24).toString('base64url'));
      await db.user.createMany({
        data: ids.map((n) => ({ id: `bench-${n}`, name: `Bench ${n}`, nameKey: `bench ${n}`, email: `bench.${n}@bench.local` })),
      });
      await db.session.createMany({
        data: ids.map((n, i) => ({ id: `bench-session-${n}`, token: tokens[i]!, userId: `bench-${n}`, expiresAt })),
      });
      ids.forEach((n, i) => users.push({ id: `bench-${n}`, cookieValue: signedCookieValue(tokens[i]!, secret) }));
    }
  } finally {
    await db.$disconnect();
  }
  return users;
}

export function signedCookieValue(token: string, secret: string): string {
  const signature = crypto.createHmac('sha256', secret).update(token).digest('base64');
  return encodeURIComponent(`${token}.${signature}`);
}

/**
 * The session cookie's name as this server sets it: `better-auth.session_token`, with a `__Secure-`
 * prefix when better-auth decides cookies are secure (in production without an http PUBLIC_URL).
 * Asking a real sign-up keeps the benchmark right whatever the configuration.
 */
export async function sessionCookieName(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    // Production better-auth refuses cookie-setting requests without an Origin (CSRF protection).
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email: `cookie-probe.${Date.now()}@bench.local`, password: 'bench-password-123', name: `Cookie probe ${Date.now()}` }),
  });
  if (!res.ok) throw new Error(`sign-up failed (${res.status}): ${await res.text()}`);
  const name = res.headers
    .getSetCookie()
    .map((c) => c.split('=')[0]!)
    .find((n) => n.endsWith('better-auth.session_token'));
  if (!name) throw new Error('sign-up set no session cookie');
  return name;
}
