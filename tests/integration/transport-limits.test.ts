/**
 * What an anonymous connection can make a process hold before it authenticates: binary
 * attachments (which socket.io buffers until the last one arrives) close the connection at once,
 * on the public port and on the SFU RPC port, and so does a frame larger than any message of the
 * protocol. Raw WebSockets speaking engine.io, as an attacker's script would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENT_BYTES, SFU_MAX_REQUEST_BYTES } from '@/lib/protocol';
import type { SfuNode } from '@/sfu/node';
import { startTestServer, type TestServer } from '../support/server';
import { startTestSfu } from '../support/sfu';

let server: TestServer;
let sfu: SfuNode;
beforeAll(async () => {
  server = await startTestServer();
  sfu = await startTestSfu({ SFU_RTC_MIN_PORT: '46400', SFU_RTC_MAX_PORT: '46499' });
});
afterAll(async () => {
  await server?.stop();
  await sfu?.close();
});

/** An engine.io WebSocket past its open packet, and a promise of its close. */
async function engineSocket(baseUrl: string) {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('message', (e) => (String(e.data).startsWith('0') ? resolve() : undefined));
    ws.addEventListener('error', () => reject(new Error('WebSocket failed')));
  });
  return { ws, closed };
}

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms))]);

describe.each([
  ['the public port', () => server.url],
  ['the SFU RPC port', () => sfu.url],
])('anonymous connections to %s', (_name, url) => {
  it('are closed at the first binary packet, before any attachment is buffered', async () => {
    const { ws, closed } = await engineSocket(url());
    // "4" engine.io message, "51-" socket.io BINARY_EVENT announcing one attachment.
    ws.send('451-["chat:send",{"_placeholder":true,"num":0}]');
    await within(closed, 3000);
  });

  it('are closed by a raw binary frame', async () => {
    const { ws, closed } = await engineSocket(url());
    ws.send(new Uint8Array(1024));
    await within(closed, 3000);
  });

  it('are closed by a frame larger than any message of the protocol', async () => {
    const { ws, closed } = await engineSocket(url());
    ws.send(`42["x","${'a'.repeat(4 * Math.max(MAX_EVENT_BYTES, SFU_MAX_REQUEST_BYTES) + 1024)}"]`);
    await within(closed, 3000);
  });
});
