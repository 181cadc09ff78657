import { describe, expect, it } from 'vitest';
import { describeSfuConfig, parseSfuConfig } from '@/sfu/config';

const secret = { SFU_SECRET: '0123456789abcdef' };

describe('SFU node config', () => {
  it('has defaults for a single machine', () => {
    const c = parseSfuConfig({ ...secret, SFU_WORKERS: '2' });
    // The listen address defaults to the primary interface's (sfu/address.ts), which is machine-specific.
    expect(c.SFU_LISTEN_IP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(parseSfuConfig({ ...secret, SFU_LISTEN_IP: '127.0.0.1' })).toMatchObject({ SFU_LISTEN_IP: '127.0.0.1', listenSource: 'SFU_LISTEN_IP' });
    expect(() => parseSfuConfig({ ...secret, SFU_LISTEN_IP: 'eth0' })).toThrow(/SFU_LISTEN_IP: must be auto/);
    expect(c).toMatchObject({
      SFU_RTC_MIN_PORT: 40000,
      SFU_RTC_MAX_PORT: 40999,
      SFU_WORKERS: 2,
      SFU_RPC_HOST: '127.0.0.1',
      SFU_RPC_PORT: 4100,
    });
    expect(c.SFU_ANNOUNCED_IP).toBeUndefined();
  });

  it('requires a long enough secret and never logs it', () => {
    expect(() => parseSfuConfig({})).toThrow(/SFU_SECRET/);
    expect(() => parseSfuConfig({ SFU_SECRET: 'short' })).toThrow(/SFU_SECRET: must be at least 16/);
    expect(JSON.stringify(describeSfuConfig(parseSfuConfig(secret)))).not.toContain(secret.SFU_SECRET);
  });

  it('needs an announced address when listening on a wildcard', () => {
    expect(() => parseSfuConfig({ ...secret, SFU_LISTEN_IP: '0.0.0.0' })).toThrow(/SFU_ANNOUNCED_IP/);
    expect(() => parseSfuConfig({ ...secret, SFU_LISTEN_IP: '::' })).toThrow(/SFU_ANNOUNCED_IP/);
    expect(() => parseSfuConfig({ ...secret, SFU_LISTEN_IP: '0.0.0.0', SFU_ANNOUNCED_IP: '0.0.0.0' })).toThrow(
      /wildcard/,
    );
    expect(
      parseSfuConfig({ ...secret, SFU_LISTEN_IP: '0.0.0.0', SFU_ANNOUNCED_IP: '203.0.113.7' }).SFU_ANNOUNCED_IP,
    ).toBe('203.0.113.7');
    expect(() => parseSfuConfig({ ...secret, SFU_ANNOUNCED_IP: 'meet.example.org' })).toThrow(/IPv4 or IPv6/);
  });

  it('checks the port range against the number of workers', () => {
    expect(() => parseSfuConfig({ ...secret, SFU_RTC_MIN_PORT: '41000', SFU_RTC_MAX_PORT: '40000' })).toThrow(
      /SFU_RTC_MAX_PORT/,
    );
    expect(() =>
      parseSfuConfig({ ...secret, SFU_WORKERS: '4', SFU_RTC_MIN_PORT: '40000', SFU_RTC_MAX_PORT: '40002' }),
    ).toThrow(/one port per worker/);
    expect(() => parseSfuConfig({ ...secret, SFU_RTC_MIN_PORT: '80' })).toThrow(/SFU_RTC_MIN_PORT/);
    expect(parseSfuConfig({ ...secret, SFU_RPC_PORT: '0' }).SFU_RPC_PORT).toBe(0);
  });
});
