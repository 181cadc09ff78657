import { describe, expect, it } from 'vitest';
import { isValidHostHeader, parseRequestTarget } from '@/lib/server/http/requestTarget';

describe('parseRequestTarget', () => {
  const ok = (url: string) => parseRequestTarget(url, 'localhost:3000');

  it.each([
    ['/api/auth/x/../admin/list-users', '/api/auth/admin/list-users'],
    ['/api/auth/./admin/list-users', '/api/auth/admin/list-users'],
    ['/api/auth/%2e/admin/list-users', '/api/auth/admin/list-users'],
    ['/api/auth/x/%2e%2e/admin/list-users', '/api/auth/admin/list-users'],
    ['/api/auth/x/%2E%2E/admin/list-users', '/api/auth/admin/list-users'],
    ['/api/auth\\x\\..\\admin/list-users', '/api/auth/admin/list-users'],
    ['/a/b/../../../../etc/passwd', '/etc/passwd'],
    ['/room/caf%C3%A9?x=1', '/room/caf%C3%A9'],
  ])('normalises %s to %s, as the routers behind it will', (raw, pathname) => {
    expect(ok(raw)).toMatchObject({ ok: true, pathname });
  });

  it('keeps the query', () => {
    expect(ok('/metrics?x=1&y')).toEqual({ ok: true, pathname: '/metrics', search: '?x=1&y' });
  });

  it.each([
    '/room/%ff%fe',
    '/room/%E0%A4%A',
    '/api/auth//admin/list-users',
    '/api/auth/admin%2flist-users',
    '/api/auth/x%2F..%2Fadmin/list-users',
    '/api/auth/admin%5clist-users',
    '//evil.example/path',
    'http://evil.example/api/auth/admin/list-users',
    '*',
    '',
  ])('refuses %j with 400', (raw) => {
    expect(ok(raw)).toMatchObject({ ok: false, status: 400 });
  });

  it.each(['localhost', 'localhost:3000', 'meet.example.org', '127.0.0.1:80', '[::1]:3000', 'a-b.c', 'confab_web:3000'])('accepts Host %s', (host) => {
    expect(isValidHostHeader(host)).toBe(true);
  });

  it.each([undefined, '', 'a b', '[', 'a/b', 'a@b', 'host:port', 'a:1:2', '-a', 'x'.repeat(300), 'ex\u0430mple.org'])(
    'refuses Host %j',
    (host) => {
      expect(isValidHostHeader(host)).toBe(false);
      expect(parseRequestTarget('/', host)).toMatchObject({ ok: false, status: 400 });
    },
  );
});
