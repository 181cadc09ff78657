/**
 * A mediasoup worker killed under a live node: the node stays up and no room closes. The peers that
 * were on the dead worker are placed again on a live one with new transports (`peer:media-reset`)
 * and are given consumers of everything again; consumers elsewhere of producers that lived on the
 * dead worker close (`consumer:closed`). Rooms and peers elsewhere never notice, the slot gets a
 * new worker, and new peers go to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '@/lib/protocol';
import type { SfuNodeClient } from '@/lib/server/sfu/SfuNodeClient';
import type { SfuNode } from '@/sfu/node';
import { connectClient, record, startTestSfu, until } from '../../support/sfu';
import { rpcHelpers } from '../../support/sfuRpc';

let node: SfuNode;
let client: SfuNodeClient;
const { produce } = rpcHelpers(() => client);
beforeAll(async () => {
  node = await startTestSfu({ SFU_WORKERS: '2' });
  client = await connectClient(node);
});
afterAll(async () => {
  client?.close();
  await node?.close();
});

async function join(c: SfuNodeClient, roomId: string, peerId: string) {
  const { rtpCapabilities } = await c.request('room:open', { roomId });
  return c.request('peer:join', { roomId, peerId, rtpCapabilities });
}

describe('SFU worker death', () => {
  it('moves the peers of a killed worker to a live one, keeps every room open, and replaces the worker', async () => {
    const news = record(client, 'consumer:new');
    const closedConsumers = record(client, 'consumer:closed');
    const resets = record(client, 'peer:media-reset');
    const closedRooms = record(client, 'room:closed');

    // Placement is "fewest peers, then the room's own workers, then fewest routers, then lowest
    // slot": 'spanning' gets a peer on each worker, 'survivor' lives on s1's worker and 'doomed'
    // (router, active-speaker observer and only peer) on s2's.
    const s1 = await join(client, 'spanning', 's1');
    const s2 = await join(client, 'spanning', 's2');
    const b = await join(client, 'survivor', 'b');
    const a = await join(client, 'doomed', 'a');
    expect(s2.workerPid).not.toBe(s1.workerPid);
    expect(b.workerPid).toBe(s1.workerPid);
    expect(a.workerPid).toBe(s2.workerPid);
    const livePid = s1.workerPid;
    const doomedPid = s2.workerPid;

    // s2 (on the doomed worker) sends its camera to s1; s1 sends its mic to s2.
    const camera = await produce('spanning', 's2', s2.transports.send.id, 'camera', 1);
    const mic = await produce('spanning', 's1', s1.transports.send.id, 'mic', 2);
    const [s1Camera] = await news.wait((e) => e.peerId === 's1' && e.consumer.producerId === camera.producerId);
    const [s2Mic] = await news.wait((e) => e.peerId === 's2' && e.consumer.producerId === mic.producerId);
    const survivorBefore = await client.request('peer:sync', { roomId: 'survivor', peerId: 'b' });

    const killedAt = Date.now();
    process.kill(doomedPid, 'SIGKILL');

    // Both peers of the dead worker are moved, with new transports, to the live worker.
    const moved = await resets.wait(() => true, 2);
    const healedAfterMs = Date.now() - killedAt;
    expect(moved.map((e) => `${e.roomId}/${e.peerId}`).sort()).toEqual(['doomed/a', 'spanning/s2']);
    const resetOf = (peerId: string) => moved.find((e) => e.peerId === peerId)!;
    expect(resetOf('s2').transports.send.id).not.toBe(s2.transports.send.id);
    expect(resetOf('s2').transports.recv.id).not.toBe(s2.transports.recv.id);
    expect(resetOf('a').transports.recv.id).not.toBe(a.transports.recv.id);

    // s1's consumer of s2's camera (which lived on the dead worker) closed and says so.
    await closedConsumers.wait((e) => e.peerId === 's1');
    expect(closedConsumers.seen).toEqual([
      { roomId: 'spanning', peerId: 's1', consumerId: s1Camera!.consumer.consumerId, producerId: camera.producerId },
    ]);
    // s2 is given s1's mic again: a new consumer, on its new recv transport.
    const reconsumed = await news.wait((e) => e.peerId === 's2' && e.consumer.producerId === mic.producerId, 2);
    expect(reconsumed).toHaveLength(2);
    expect(reconsumed[1]!.consumer.consumerId).not.toBe(s2Mic!.consumer.consumerId);

    // The room is usable: peer:sync shows the new transports and consumers; joining again is
    // idempotent and names the live worker; nobody holds the dead worker's objects any more.
    const s2Sync = await client.request('peer:sync', { roomId: 'spanning', peerId: 's2' });
    expect(s2Sync.transports).toEqual(resetOf('s2').transports);
    expect(s2Sync.consumers).toEqual([reconsumed[1]!.consumer]);
    expect((await client.request('peer:sync', { roomId: 'spanning', peerId: 's1' })).consumers).toEqual([]);
    const s2Again = await client.request('peer:join', {
      roomId: 'spanning',
      peerId: 's2',
      rtpCapabilities: (await client.request('node:capabilities', {})).rtpCapabilities,
    });
    expect(s2Again.transports).toEqual(resetOf('s2').transports);
    // Moved at once to the worker that was alive: the replacement is still starting then.
    expect(s2Again.workerPid).toBe(livePid);
    expect(node.rooms.get('doomed')!.member('a').worker.worker.pid).toBe(livePid);
    await expect(
      client.request('producer:pause', { roomId: 'spanning', peerId: 's2', producerId: camera.producerId }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // s2's browser sends again on its new transport, and s1 is given the new camera.
    const cameraAgain = await produce('spanning', 's2', resetOf('s2').transports.send.id, 'camera', 3);
    await news.wait((e) => e.peerId === 's1' && e.consumer.producerId === cameraAgain.producerId);

    // 'doomed' lost its primary router: it has a new one, and its peer and new peers work in it.
    const aSync = await client.request('peer:sync', { roomId: 'doomed', peerId: 'a' });
    expect(aSync.transports).toEqual(resetOf('a').transports);
    const aMic = await produce('doomed', 'a', resetOf('a').transports.send.id, 'mic', 4);
    await join(client, 'doomed', 'late');
    await news.wait((e) => e.roomId === 'doomed' && e.peerId === 'late' && e.consumer.producerId === aMic.producerId);

    // The room on the live worker never noticed.
    expect(await client.request('peer:sync', { roomId: 'survivor', peerId: 'b' })).toEqual(survivorBefore);
    expect(resets.seen.filter((e) => e.roomId === 'survivor')).toEqual([]);

    const stats = await until(async () => {
      const s = await client.request('node:stats', {});
      return s.workers.length === 2 && !s.workers.some((w) => w.pid === doomedPid) ? s : undefined;
    }, 'a replacement worker');
    const replacedAfterMs = Date.now() - killedAt;
    const fresh = stats.workers.find((w) => w.pid !== livePid)!;
    expect(stats.workers.map((w) => w.pid)).toContain(livePid);
    expect(stats.rooms).toBe(3);

    // New rooms work, and the least-loaded (new) worker takes the next peer.
    const reborn = await join(client, 'reborn', 'c');
    expect(reborn.workerPid).toBe(fresh.pid);
    expect(reborn.transports.send.iceCandidates.map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);

    expect(closedRooms.seen).toEqual([]);
    expect(client.connected).toBe(true);
    for (const r of [news, closedConsumers, resets, closedRooms]) r.off();
    console.info(
      `worker-death: peer:media-reset after ${healedAfterMs} ms, replacement worker after ${replacedAfterMs} ms`,
    );
    for (const roomId of ['spanning', 'survivor', 'doomed', 'reborn']) await client.request('room:close', { roomId });
  });

  it('answers requests racing a worker death with typed errors, never a crash, then serves the moved peer', async () => {
    const resets = record(client, 'peer:media-reset');
    const z = await join(client, 'short-lived', 'z');
    process.kill(z.workerPid, 'SIGKILL');
    // Whatever the timing, each answer to the dead transport is a ProtocolError: the worker gone
    // (INVALID_STATE), the peer between two placements (FORBIDDEN), or the transport unknown to
    // the moved peer (NOT_FOUND).
    const answers = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        client.request('transport:restart-ice', {
          roomId: 'short-lived',
          peerId: 'z',
          transportId: z.transports.recv.id,
        }),
      ),
    );
    const codes = answers.map((a) => (a.status === 'fulfilled' ? 'ok' : (a.reason as ProtocolError).code));
    console.info(`worker-death: racing requests answered ${codes.join(', ')}`);
    for (const a of answers) {
      expect(a.status).toBe('rejected');
      if (a.status === 'rejected') expect(a.reason).toBeInstanceOf(ProtocolError);
    }
    for (const code of codes) expect(['NOT_FOUND', 'INVALID_STATE', 'FORBIDDEN']).toContain(code);

    const [reset] = await resets.wait((e) => e.roomId === 'short-lived' && e.peerId === 'z');
    resets.off();
    expect(node.rooms.get('short-lived')).toBeDefined();
    const { iceParameters } = await client.request('transport:restart-ice', {
      roomId: 'short-lived',
      peerId: 'z',
      transportId: reset!.transports.recv.id,
    });
    expect(iceParameters.usernameFragment).toEqual(expect.any(String));
    await until(async () => (await client.request('node:stats', {})).workers.length === 2, 'replacement');
    await client.request('room:close', { roomId: 'short-lived' });
  });

  it('on a one-worker node, waits for the replacement worker and moves the peers there', async () => {
    const single = await startTestSfu({ SFU_WORKERS: '1' });
    const c = await connectClient(single);
    try {
      const resets = record(c, 'peer:media-reset');
      const closedRooms = record(c, 'room:closed');
      const one = await join(c, 'alone', 'p1');
      const two = await join(c, 'alone', 'p2');
      expect(two.workerPid).toBe(one.workerPid);
      process.kill(one.workerPid, 'SIGKILL');
      const moved = await resets.wait((e) => e.roomId === 'alone', 2, 10_000);
      expect(moved.map((e) => e.peerId).sort()).toEqual(['p1', 'p2']);
      for (const old of [one, two]) {
        expect(moved.map((e) => e.transports.send.id)).not.toContain(old.transports.send.id);
        expect(moved.map((e) => e.transports.recv.id)).not.toContain(old.transports.recv.id);
      }
      const { workers } = await c.request('node:stats', {});
      expect(workers).toHaveLength(1);
      expect(workers[0]!.pid).not.toBe(one.workerPid);
      const again = await c.request('peer:join', {
        roomId: 'alone',
        peerId: 'p1',
        rtpCapabilities: (await c.request('node:capabilities', {})).rtpCapabilities,
      });
      expect(again.workerPid).toBe(workers[0]!.pid);
      // The room works on the new worker: p1's mic reaches p2.
      const news = record(c, 'consumer:new');
      const mic = await rpcHelpers(() => c).produce('alone', 'p1', again.transports.send.id, 'mic', 5);
      await news.wait((e) => e.peerId === 'p2' && e.consumer.producerId === mic.producerId);
      expect(closedRooms.seen).toEqual([]);
    } finally {
      c.close();
      await single.close();
    }
  });
});
