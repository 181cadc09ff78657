/**
 * The web process and the rooms its SFU nodes hold: what a node holds for nobody (left by an
 * earlier run of the web process, or healed onto another node while this one was cut off) is
 * closed when the node connects, and a live room is never touched. Real nodes; the cut-off is a
 * TCP proxy that drops the RPC link and refuses it for a while, as a network partition would.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RoomJoined, RoomSummary } from '@/lib/protocol';
import { SfuNodeClient } from '@/lib/server/sfu/SfuNodeClient';
import type { SfuNode } from '@/sfu/node';
import { ask, startTestServer, type TestServer } from '../support/server';
import { SFU_TEST_SECRET, startTestSfu, testLog } from '../support/sfu';

let nodeA: SfuNode;
let nodeB: SfuNode;
/** Straight to node A, bypassing the proxy: what A really holds. */
let direct: SfuNodeClient;
let proxy: Awaited<ReturnType<typeof partitionable>>;
let server: TestServer | undefined;

beforeAll(async () => {
  [nodeA, nodeB] = await Promise.all([
    startTestSfu({ SFU_WORKERS: '1', SFU_RTC_MIN_PORT: '46400', SFU_RTC_MAX_PORT: '46499' }),
    startTestSfu({ SFU_WORKERS: '1', SFU_RTC_MIN_PORT: '46500', SFU_RTC_MAX_PORT: '46599' }),
  ]);
  direct = new SfuNodeClient({ url: nodeA.url, secret: SFU_TEST_SECRET, log: testLog });
  await direct.waitConnected(10_000);
  proxy = await partitionable(Number(new URL(nodeA.url).port));
});
afterAll(async () => {
  await server?.stop();
  direct?.close();
  proxy?.close();
  await Promise.all([nodeA?.close(), nodeB?.close()]);
});

const roomsOnA = async () => (await direct.request('node:rooms', {})).roomIds;

it('rooms a node holds for nobody are closed when the web process connects; a live room is kept, and its copy on a node it left is closed', async () => {
  // Left by an earlier run of the web process (restarted before the node's orphan grace ran out).
  const leftOver = crypto.randomUUID();
  const { rtpCapabilities } = await direct.request('room:open', { roomId: leftOver });
  await direct.request('peer:join', { roomId: leftOver, peerId: 'gone-user', rtpCapabilities });
  expect(await roomsOnA()).toContain(leftOver);

  // Node A first in the list: with no rooms anywhere, new rooms go there.
  server = await startTestServer({}, { sfu: [proxy, nodeB].map((n) => ({ url: n.url, secret: SFU_TEST_SECRET })) });
  await expect.poll(roomsOnA).not.toContain(leftOver);

  const host = await server.connect(await server.signUp('Host'));
  const created = await ask<{ room: RoomSummary }>(host, 'room:create', { name: 'Partition' });
  if (!created.ok) throw new Error(created.error.message);
  const caps = (await direct.request('node:capabilities', {})).rtpCapabilities;
  expect(
    await ask<RoomJoined>(host, 'room:join', { slug: created.data.room.slug, rtpCapabilities: caps }),
  ).toMatchObject({ ok: true });
  const live = server.rooms.liveRooms().find((r) => r.stored.slug === created.data.room.slug)!;
  expect(live.node.url).toBe(proxy.url);
  expect(await roomsOnA()).toContain(live.id);

  // A is cut off: the room heals onto B, while A still holds its copy.
  const reset = new Promise((resolve) => host.once('room:media-reset', resolve));
  proxy.cut();
  await reset;
  expect(live.node.url).toBe(nodeB.url);
  await expect.poll(() => live.media).toBe('connected');
  expect(await roomsOnA()).toContain(live.id);

  // A is reachable again: its stale copy goes; the live room on B stays, seat and all.
  proxy.restore();
  await expect.poll(roomsOnA, { timeout: 10_000 }).not.toContain(live.id);
  const onB = new SfuNodeClient({ url: nodeB.url, secret: SFU_TEST_SECRET, log: testLog });
  try {
    await onB.waitConnected(10_000);
    expect((await onB.request('node:rooms', {})).roomIds).toContain(live.id);
    const { peers } = await onB.request('room:stats', { roomId: live.id });
    expect(peers).toHaveLength(1);
  } finally {
    onB.close();
  }
  expect(live.closed).toBe(false);
});

/** A TCP proxy to a local port whose link can be cut (and refused) until restored. */
async function partitionable(port: number) {
  let open = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined).on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    close() {
      this.cut();
      server.close();
    },
  };
}
