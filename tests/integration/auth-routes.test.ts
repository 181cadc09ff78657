/**
 * No way around the audit log through better-auth's own endpoints: every path trick aimed at a
 * blocked /api/auth route (dot segments, encoded dots and slashes, double slashes, case, trailing
 * slashes, backslashes) is refused for anonymous, user and admin sessions alike, and changes
 * nothing. Requests go out through node:http with the path exactly as written (fetch would
 * normalise it before sending). Plus the other HTTP edges: malformed Host headers and paths get a
 * 4xx at once, and oversized auth bodies a 413.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_BODY_LIMIT } from '@/lib/server/http/authRoute';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

interface RawResponse {
  status: number;
  body: string;
}

function raw(server: TestServer, method: string, path: string, opts: { cookie?: string; body?: string; host?: string } = {}) {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        headers: {
          host: opts.host ?? `127.0.0.1:${server.port}`,
          origin: `http://127.0.0.1:${server.port}`,
          ...(opts.cookie ? { cookie: opts.cookie } : {}),
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 5 s`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** One HTTP/1.1 request written byte for byte, for what node:http would refuse to send. */
function rawBytes(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (c) => {
      data += c.toString('utf8');
      if (/\r\n\r\n/.test(data)) socket.end();
    });
    socket.on('end', () => resolve(data));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.write(text);
  });
}

/** better-auth admin-plugin endpoints (and others Confab's pages never call). */
const BLOCKED: Array<[method: string, endpoint: string]> = [
  ['GET', 'admin/list-users'],
  ['POST', 'admin/set-role'],
  ['POST', 'admin/ban-user'],
  ['POST', 'admin/unban-user'],
  ['POST', 'admin/impersonate-user'],
  ['POST', 'admin/create-user'],
  ['POST', 'admin/remove-user'],
  ['POST', 'admin/set-user-password'],
  ['POST', 'admin/revoke-user-sessions'],
  ['POST', 'update-user'],
  ['POST', 'delete-user'],
  ['GET', 'list-sessions'],
];

/** Ways of writing /api/auth/<endpoint> that a prefix check on the raw path would miss. */
const TRICKS: Array<(endpoint: string) => string> = [
  (e) => `/api/auth/${e}`,
  (e) => `/api/auth/x/../${e}`,
  (e) => `/api/auth/./${e}`,
  (e) => `/api/auth/%2e/${e}`,
  (e) => `/api/auth/x/%2e%2e/${e}`,
  (e) => `/api/auth/x/%2E%2E/${e}`,
  (e) => `/api/auth/x/.%2e/${e}`,
  (e) => `/api/auth//${e}`,
  (e) => `/api/auth/${e.replace('/', '//')}`,
  (e) => `/api/auth/${e.toUpperCase()}`,
  (e) => `/api/auth/${e[0]!.toUpperCase()}${e.slice(1)}`,
  (e) => `/api/auth/${e}/`,
  (e) => `/api/auth/${e}//`,
  (e) => `/api/auth/${e.replace('/', '%2f')}`,
  (e) => `/api/auth/x%2f..%2f${e}`,
  (e) => `/api/auth\\x\\..\\${e}`,
  (e) => `/api/auth/x/..;/${e}`,
  (e) => `/api/auth/%${e.charCodeAt(0).toString(16)}${e.slice(1)}`,
  (e) => `/api/auth/${e}?x=1`,
  (e) => `/api/auth/${e}#frag`,
  (e) => `/api/x/../auth/${e}`,
  (e) => `/API/AUTH/${e}`,
];

let server: TestServer;
let admin: TestUser & { cookie: string };
let user: TestUser;
let victim: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  user = await server.signUp('Plain');
  victim = await server.signUp('Victim');
  const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@test.local', password: 'admin-password-1' }),
  });
  expect(signIn.status).toBe(200);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  admin = { id: '', name: 'Admin', email: 'admin@test.local', cookie };
});
afterAll(() => server?.stop());

describe('blocked /api/auth routes', () => {
  it('the endpoints the pages use still work', async () => {
    const session = await raw(server, 'GET', '/api/auth/get-session', { cookie: user.cookie });
    expect(session.status).toBe(200);
    expect(JSON.parse(session.body)).toMatchObject({ user: { id: user.id } });
  });

  it.each(['anonymous', 'user', 'admin'] as const)('refuses every trick against every blocked endpoint (%s)', async (who) => {
    const cookie = who === 'anonymous' ? undefined : who === 'user' ? user.cookie : admin.cookie;
    const auditRows = await server.db.auditLog.count();
    const answered: string[] = [];
    for (const [method, endpoint] of BLOCKED) {
      for (const trick of TRICKS) {
        const path = trick(endpoint);
        const body = method === 'POST' ? JSON.stringify({ userId: victim.id, role: 'admin', banReason: 'x', newPassword: 'pwned-pwned-1' }) : undefined;
        const res = await raw(server, method, path, { cookie, body });
        if (res.status < 400 || res.status >= 500) answered.push(`${method} ${path} → ${res.status} ${res.body.slice(0, 80)}`);
      }
    }
    expect(answered).toEqual([]);
    // …and none of them did anything.
    const after = await server.db.user.findUniqueOrThrow({ where: { id: victim.id } });
    expect(after.role).toBe('user');
    expect(after.banned).not.toBe(true);
    expect(await server.db.auditLog.count()).toBe(auditRows);
    const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: victim.email, password: 'correct-horse-battery' }),
    });
    expect(signIn.status).toBe(200);
  });
});

describe('HTTP edges', () => {
  it.each(['/room/%ff%fe', '/room/%E0%A4%A', '/api/auth/%ff'])('answers %s with 400 at once', async (path) => {
    expect((await raw(server, 'GET', path)).status).toBe(400);
  });

  it.each(['a b', '[', 'x/y', ''])('answers a malformed Host header (%j) with 400 at once', async (host) => {
    const reply = await rawBytes(server.port, `GET /api/auth/get-session HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('refuses an oversized auth body with 413, declared or chunked', async () => {
    const big = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(AUTH_BODY_LIMIT) });
    expect((await raw(server, 'POST', '/api/auth/sign-in/email', { body: big })).status).toBe(413);
    const chunked = await rawBytes(
      server.port,
      `POST /api/auth/sign-in/email HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${(AUTH_BODY_LIMIT + 10).toString(16)}\r\n${'x'.repeat(AUTH_BODY_LIMIT + 10)}\r\n0\r\n\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /);
  });
});

describe('behind HTTPS', () => {
  let https: TestServer;
  beforeAll(async () => {
    https = await startTestServer({ PUBLIC_URL: 'https://meet.confab.test', TRUST_PROXY: '1' });
  });
  afterAll(() => https?.stop());

  it('session cookies are Secure and HttpOnly', async () => {
    const res = await fetch(`${https.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://meet.confab.test', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ email: 'secure@test.local', password: 'correct-horse-battery', name: 'Secure' }),
    });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
    }
  });
});
