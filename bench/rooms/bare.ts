/**
 * The baseline for room joins: a blank page with mediasoup-client only (bench/rooms/bareClient.ts),
 * joining the same room on the same SFU node as Confab's page does, through the node's RPC called
 * from this process. What Confab adds on top of it (the web process, authorization, the database,
 * the app's page) is the difference between the two.
 */
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { build } from 'esbuild';
import type { ConsumerInfo } from '../../lib/protocol';
import { SfuNodeClient } from '../../lib/server/sfu/SfuNodeClient';
import type { SfuNode } from '../../sfu/node';
import { testLog } from '../../tests/support/sfu';

export interface BareJoiner {
  /** One join of a fresh peer: ms until a frame of each of `videos` remote videos was presented. */
  join(videos: number): Promise<number>;
  close(): Promise<void>;
}

export async function bareJoiner(browser: Browser, baseURL: string, node: SfuNode, secret: string, roomId: string): Promise<BareJoiner> {
  const bundle = await build({
    entryPoints: [path.join(import.meta.dirname, 'bareClient.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const client = new SfuNodeClient({ url: node.url, secret, log: testLog });
  await client.waitConnected(10_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  let peerId = '';
  let expected = 0;
  let offered: ConsumerInfo[] = [];
  let arrived: (() => void) | null = null;
  client.on('consumer:new', ({ peerId: to, consumer }) => {
    if (to !== peerId) return;
    offered.push(consumer);
    if (offered.length >= expected) arrived?.();
  });
  await page.exposeFunction('benchJoin', async (caps: string) => {
    const all = new Promise<void>((resolve) => (arrived = resolve));
    const { transports } = await client.request('peer:join', { roomId, peerId, rtpCapabilities: JSON.parse(caps) });
    if (offered.length < expected) await all;
    return { recv: transports.recv, consumers: offered };
  });
  await page.exposeFunction('benchConnect', (transportId: string, dtls: string) =>
    client.request('transport:connect', { roomId, peerId, transportId, dtlsParameters: JSON.parse(dtls) }).then(() => undefined),
  );
  await page.exposeFunction('benchResume', (consumerId: string) =>
    client.request('consumer:resume', { roomId, peerId, consumerId }).then(() => undefined),
  );
  // Served by Playwright at the app's origin: a secure context (localhost), like the app's pages.
  const html = `<!doctype html><html><body><script>${bundle.outputFiles[0]!.text.replaceAll('</script', '<\\/script')}</script></body></html>`;
  await page.route(`${baseURL}/__bare`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${baseURL}/__bare`);
  const { rtpCapabilities } = await client.request('node:capabilities', {});
  await page.evaluate((caps) => (window as unknown as { bare: { load(c: unknown): Promise<void> } }).bare.load(caps), rtpCapabilities);

  let n = 0;
  return {
    async join(videos) {
      peerId = `bare-${++n}-${Date.now().toString(36)}`;
      offered = [];
      expected = videos * 2; // camera and microphone of each
      try {
        return await page.evaluate((v) => (window as unknown as { bare: { join(v: number): Promise<number> } }).bare.join(v), videos);
      } finally {
        await page.evaluate(() => (window as unknown as { bare: { leave(): void } }).bare.leave());
        await client.request('peer:leave', { roomId, peerId });
      }
    },
    async close() {
      await context.close();
      client.close();
    },
  };
}
