import { describe, expect, it } from 'vitest';
import { clientAddress, requestOrigin, requestProtocol } from '@/lib/server/http/proxy';

const req = (headers: Record<string, string>, remoteAddress = '10.0.0.2', encrypted = false) => ({
  headers,
  socket: { remoteAddress, encrypted },
});

describe('clientAddress', () => {
  it('is the TCP peer when no proxy is trusted, whatever the headers say', () => {
    expect(clientAddress(req({ 'x-forwarded-for': '6.6.6.6' }), 0)).toBe('10.0.0.2');
  });

  it('takes the entry the trusted proxies vouch for, not the leftmost one the client wrote', () => {
    // client sent "X-Forwarded-For: 6.6.6.6"; the one proxy appended the real client 203.0.113.7
    expect(clientAddress(req({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }), 1)).toBe('203.0.113.7');
    // two proxies: the outer one appended the client, the inner one the outer proxy
    expect(clientAddress(req({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.9' }), 2)).toBe('203.0.113.7');
  });

  it('falls back to the furthest address when the chain is shorter than the hops', () => {
    expect(clientAddress(req({}), 1)).toBe('10.0.0.2');
    expect(clientAddress(req({ 'x-forwarded-for': '203.0.113.7' }), 3)).toBe('203.0.113.7');
  });
});

describe('requestProtocol / requestOrigin', () => {
  it('believes X-Forwarded-Proto only from a trusted proxy', () => {
    expect(requestProtocol(req({ 'x-forwarded-proto': 'https' }), 0)).toBe('http');
    expect(requestProtocol(req({ 'x-forwarded-proto': 'https' }), 1)).toBe('https');
    expect(requestProtocol(req({}, '1.2.3.4', true), 0)).toBe('https');
  });

  it('is scheme and host', () => {
    expect(requestOrigin(req({ host: 'Meet.Example.org' }), 0)).toBe('http://meet.example.org');
  });
});
