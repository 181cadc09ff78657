import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { iceServersFor } from '@/lib/server/iceServers';

const base = { STUN_URLS: [] as string[], TURN_URLS: [] as string[], TURN_SECRET: undefined as string | undefined, TURN_TTL_SECONDS: 3600 };

describe('ICE servers', () => {
  it('is empty when nothing is configured', () => {
    expect(iceServersFor('u1', base)).toEqual([]);
  });

  it('mints coturn use-auth-secret credentials that expire after the TTL', () => {
    const now = Date.UTC(2026, 0, 1);
    const [stun, turn] = iceServersFor(
      'user-1',
      { ...base, STUN_URLS: ['stun:stun.example.org'], TURN_URLS: ['turn:turn.example.org?transport=udp'], TURN_SECRET: 's3cret-s3cret' },
      now,
    );
    expect(stun).toEqual({ urls: ['stun:stun.example.org'] });
    const expiry = now / 1000 + 3600;
    expect(turn?.username).toBe(`${expiry}:user-1`);
    // What coturn computes on its side: base64(HMAC-SHA1(secret, username)).
    expect(turn?.credential).toBe(crypto.createHmac('sha1', 's3cret-s3cret').update(`${expiry}:user-1`).digest('base64'));
    expect(JSON.stringify(turn)).not.toContain('s3cret');
  });
});
