import { describe, expect, it } from 'vitest';
import { isLoopback, metricsAccess } from '@/lib/server/admin/metricsRoute';

const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ remoteAddress, headers });

describe('metrics access', () => {
  it('recognises loopback peers, IPv4, IPv6 and IPv4-mapped', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:192.168.1.2', '2001:db8::1', '', undefined]) expect(isLoopback(a)).toBe(false);
  });

  it('without a token: loopback only, and never through a proxy', () => {
    expect(metricsAccess(req('127.0.0.1'), undefined)).toBe('ok');
    expect(metricsAccess(req('192.168.1.5'), undefined)).toBe('forbidden');
    expect(metricsAccess(req('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), undefined)).toBe('forbidden');
    expect(metricsAccess(req('::1', { forwarded: 'for=203.0.113.9' }), undefined)).toBe('forbidden');
  });

  it('with a token: the right bearer token from anywhere, nothing else', () => {
    const token = 'a-long-metrics-token-123';
    expect(metricsAccess(req('203.0.113.9', { authorization: `Bearer ${token}` }), token)).toBe('ok');
    expect(metricsAccess(req('203.0.113.9', { authorization: `bearer   ${token}` }), token)).toBe('ok');
    expect(metricsAccess(req('127.0.0.1'), token)).toBe('unauthorized'); // loopback is no excuse once a token is set
    expect(metricsAccess(req('127.0.0.1', { authorization: 'Bearer wrong' }), token)).toBe('unauthorized');
    expect(metricsAccess(req('127.0.0.1', { authorization: `Basic ${token}` }), token)).toBe('unauthorized');
  });
});
