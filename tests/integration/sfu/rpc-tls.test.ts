/**
 * The SFU RPC over TLS, with a self-signed pair made by openssl: a web-process client that trusts
 * the certificate (SFU_TLS_CA) connects and makes requests; one that does not is refused by TLS
 * itself, and so is a plain-text client.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfuNodeClient } from '@/lib/server/sfu/SfuNodeClient';
import type { SfuNode } from '@/sfu/node';
import { SFU_TEST_SECRET, startTestSfu, testLog } from '../../support/sfu';

let dir: string;
let node: SfuNode;
let cert: string;
const clients: SfuNodeClient[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-tls-'));
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=confab-sfu',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
    { encoding: 'utf8' },
  );
  expect(made.status, made.stderr).toBe(0);
  cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
  node = await startTestSfu({
    SFU_WORKERS: '1',
    SFU_RTC_MIN_PORT: '47100',
    SFU_RTC_MAX_PORT: '47199',
    SFU_TLS_CERT: path.join(dir, 'cert.pem'),
    SFU_TLS_KEY: path.join(dir, 'key.pem'),
  });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await node?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function client(url: string, ca?: string) {
  const c = new SfuNodeClient({ url, secret: SFU_TEST_SECRET, ca, log: testLog, requestTimeoutMs: 5_000, reconnectDelayMs: 100 });
  clients.push(c);
  return c;
}

describe('SFU RPC over TLS', () => {
  it('serves https, and a client that trusts the certificate works', async () => {
    expect(node.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const trusted = client(node.url, cert);
    await trusted.waitConnected(5_000);
    const opened = await trusted.request('room:open', { roomId: 'tls-room' });
    expect(opened.rtpCapabilities.codecs?.length).toBeGreaterThan(0);
  });

  it('is refused by a client that does not trust the certificate, and by plain text', async () => {
    await expect(client(node.url).waitConnected(1_500)).rejects.toThrow();
    await expect(client(node.url.replace('https://', 'http://'), cert).waitConnected(1_500)).rejects.toThrow();
  });
});
