/**
 * The admin-only pages under path tricks, for anonymous, user and admin sessions, against the
 * production server (Next.js included); the security headers on pages; and a Content-Security-
 * Policy the app itself passes (no violation reported while a new user signs up and opens the
 * lobby and a room). Raw requests go out through node:http with the path exactly as written.
 */
import http from 'node:http';
import { expect, test } from '@playwright/test';
import { registerUser, signInAdmin } from './fixtures';

const port = Number(process.env.E2E_PORT ?? 3210);

function get(path: string, cookie?: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers: { host: `localhost:${port}`, ...(cookie ? { cookie } : {}) }, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

const ADMIN_PATHS = ['/admin', '/admin/users', '/admin/audit', '/admin/history', '/admin/history/export'];
const TRICKS: Array<(p: string) => string> = [
  (p) => p,
  (p) => `/lobby/..${p}`,
  (p) => `/.${p}`,
  (p) => `/%2e${p}`,
  (p) => `/x/%2e%2e${p}`,
  (p) => p.replace('/admin', '/ADMIN'),
  (p) => p.replace('/admin', '/%61dmin'),
  (p) => (p.includes('?') ? p.replace('?', '/?') : `${p}/`),
  (p) => `/${p}`,
  (p) => p.replace('/admin', '/admin/'),
  (p) => `\\${p.slice(1)}`,
];

/** What an admin-only page shows its admins, and nobody else. */
const ADMIN_MARKERS = [/data-testid="(admin|audit|history)-/];

async function cookieOf(page: import('@playwright/test').Page): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

test('admin-only pages refuse every path trick to anonymous and plain users, and still serve admins', async ({ browser }) => {
  test.setTimeout(120_000);
  const user = await registerUser(browser, 'Plain');
  const userCookie = await cookieOf(user.page);
  const admin = await signInAdmin(browser);
  const adminCookie = await cookieOf(admin.page);

  const leaks: string[] = [];
  for (const path of ADMIN_PATHS) {
    for (const trick of TRICKS) {
      const target = trick(path);
      for (const [who, cookie] of [['anonymous', undefined], ['user', userCookie]] as const) {
        const res = await get(target, cookie);
        const leaked =
          res.status === 200 && (ADMIN_MARKERS.some((m) => m.test(res.body)) || String(res.headers['content-type']).startsWith('text/csv'));
        if (leaked || res.status >= 500) leaks.push(`${who} GET ${target} → ${res.status}`);
      }
    }
    // The admin still gets the real thing at the plain path.
    const res = await get(path, adminCookie);
    expect(res.status, `admin GET ${path}`).toBe(200);
  }
  expect(leaks).toEqual([]);
  await admin.close();
});

test('pages carry security headers and a nonce-based CSP that the app passes', async ({ browser }) => {
  const res = await get('/login');
  expect(res.status).toBe(200);
  const csp = String(res.headers['content-security-policy']);
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('same-origin');
  expect(res.headers['x-frame-options']).toBe('DENY');
  // Next put the nonce on its own scripts, and a second request gets a fresh one.
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  expect(res.body).toContain(`nonce="${nonce}"`);
  expect(String((await get('/login')).headers['content-security-policy'])).not.toContain(nonce);

  // A new user's first minutes: sign-up, lobby, a room's pre-join screen — no CSP violation.
  const user = await registerUser(browser, 'Csp');
  await user.page.getByLabel('Room name').fill('Policy');
  await user.page.getByRole('button', { name: 'Create room' }).click();
  await user.page.getByRole('button', { name: 'Join' }).click();
  await expect(user.page.getByTestId('room')).toBeVisible();
  expect(await user.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
});
