/**
 * SfuNodeClient against real socket.io servers: a real node going away and coming back, and a
 * stand-in node that breaks the contract (bad responses, bad events, silence), which a real node
 * never does on purpose. Also the node's orphan-room reaper, which reacts to clients leaving.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '@/lib/protocol';
import type { SfuEventPayload } from '@/lib/protocol/sfuRpc';
import { SfuNodeClient, SfuUnavailableError, type SfuConnectionState } from '@/lib/server/sfu/SfuNodeClient';
import type { SfuNode } from '@/sfu/node';
import { connectClient, SFU_TEST_SECRET, sleep, startTestSfu, testLog, until } from '../../support/sfu';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A socket.io server that answers every request with `reply(method, payload)`. */
async function fakeNode(reply: (method: string, payload: unknown) => unknown) {
  const httpServer = http.createServer();
  const io = new Server(httpServer, { transports: ['websocket'] });
  io.on('connection', (socket) =>
    socket.onAny((method: string, payload: unknown, ack?: (a: unknown) => void) => {
      const answer = reply(method, payload);
      if (answer !== undefined) ack?.(answer);
    }),
  );
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  cleanup.push(() => io.close());
  return { io, url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` };
}

function client(url: string, requestTimeoutMs = 2_000) {
  const c = new SfuNodeClient({ url, secret: SFU_TEST_SECRET, log: testLog, requestTimeoutMs });
  cleanup.push(() => c.close());
  return c;
}

describe('SfuNodeClient', () => {
  it('fails requests fast while the node is down, and reconnects when it is back', async () => {
    let node: SfuNode = await startTestSfu({ SFU_WORKERS: '1' });
    cleanup.push(() => node.close());
    const c = await connectClient(node);
    cleanup.push(() => c.close());
    const states: SfuConnectionState[] = [];
    c.onStateChange((s) => states.push(s));

    const port = node.port;
    await node.close();
    await until(() => c.state === 'reconnecting', 'reconnecting');
    const started = Date.now();
    await expect(c.request('node:stats', {})).rejects.toBeInstanceOf(SfuUnavailableError);
    expect(Date.now() - started).toBeLessThan(100); // not queued until a timeout

    node = await startTestSfu({ SFU_WORKERS: '1', SFU_RPC_PORT: String(port) });
    await c.waitConnected(8_000);
    expect(states).toEqual(['reconnecting', 'connected']);
    expect((await c.request('node:stats', {})).workers).toHaveLength(1);
  });

  it('fails in-flight requests when the connection drops', async () => {
    const fake = await fakeNode(() => undefined); // never answers
    const c = client(fake.url, 5_000);
    await c.waitConnected();
    const pending = c.request('node:stats', {});
    fake.io.disconnectSockets(true);
    await expect(pending).rejects.toThrow(/connection lost/);
  });

  it('turns acks into results or typed errors, and contract breaches into INTERNAL', async () => {
    const replies: Record<string, unknown> = {
      'room:open': { ok: false, error: { code: 'NOT_FOUND', message: 'no such thing' } },
      'room:close': { ok: true, data: { unexpected: 1 } }, // strict response schema
      'node:stats': {
        ok: true,
        data: { workers: [{ pid: 1, cpuMs: 2, routers: 0, transports: 0, producers: 0, consumers: 0 }], rooms: 0 },
      },
      'peer:leave': { ok: false, error: { code: 'MADE_UP', message: 'x' } },
      'peer:join': 'not an ack',
    };
    const fake = await fakeNode((method) => replies[method]);
    const c = client(fake.url, 300);
    await c.waitConnected();

    expect(await c.request('node:stats', {})).toEqual({
      workers: [{ pid: 1, cpuMs: 2, routers: 0, transports: 0, producers: 0, consumers: 0 }],
      rooms: 0,
    });
    await expect(c.request('room:open', { roomId: 'r' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no such thing',
    });
    for (const method of ['room:close', 'peer:leave', 'peer:join'] as const) {
      const err = await c.request(method, { roomId: 'r', peerId: 'p' } as never).catch((e: unknown) => e);
      expect(err, method).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).code, method).toBe('INTERNAL');
      expect(err, method).not.toBeInstanceOf(SfuUnavailableError);
    }
    // No answer at all: a timeout.
    await expect(c.request('consumer:close', { roomId: 'r', peerId: 'p', consumerId: 'c' })).rejects.toThrow(
      /timed out/,
    );
  });

  it('delivers valid node events and drops invalid ones', async () => {
    const fake = await fakeNode(() => undefined);
    const c = client(fake.url);
    await c.waitConnected();
    const got: SfuEventPayload<'room:closed'>[] = [];
    const off = c.on('room:closed', (e) => got.push(e));
    fake.io.emit('room:closed', { roomId: 'r1', reason: 'exploded' });
    fake.io.emit('room:closed', { roomId: 'r2' });
    fake.io.emit('room:closed', { roomId: 'r3', reason: 'orphaned' });
    await until(() => got.length > 0, 'an event');
    await sleep(50);
    expect(got).toEqual([{ roomId: 'r3', reason: 'orphaned' }]);
    off();
    fake.io.emit('room:closed', { roomId: 'r4', reason: 'closed' });
    await sleep(50);
    expect(got).toHaveLength(1);
  });
});

describe('SFU node orphan reaper', () => {
  it('closes every room once no web process has been connected for the grace period', async () => {
    const node = await startTestSfu({ SFU_WORKERS: '1', SFU_ORPHAN_GRACE_MS: '300' });
    cleanup.push(() => node.close());
    const first = await connectClient(node);
    await first.request('room:open', { roomId: 'orphan' });
    // A brief disconnect (a web process reconnecting) is not the end of the room.
    first.close();
    await sleep(100);
    const second = await connectClient(node);
    cleanup.push(() => second.close());
    await sleep(400);
    expect(node.rooms.size).toBe(1);
    second.close();
    await until(() => node.rooms.size === 0, 'the orphaned room to close', 2_000);
  });
});
