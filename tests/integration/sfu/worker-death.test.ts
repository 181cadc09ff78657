/**
 * A mediasoup worker killed under a live node: the node stays up, every room with a router on the
 * dead worker closes with reason 'worker-died' (and only those), the slot gets a new worker, and
 * new rooms work, on the replacement too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '@/lib/protocol';
import type { SfuEventPayload } from '@/lib/protocol/sfuRpc';
import type { SfuNodeClient } from '@/lib/server/sfu/SfuNodeClient';
import type { SfuNode } from '@/sfu/node';
import { connectClient, startTestSfu, until } from '../../support/sfu';

let node: SfuNode;
let client: SfuNodeClient;
beforeAll(async () => {
  node = await startTestSfu({ SFU_WORKERS: '2' });
  client = await connectClient(node);
});
afterAll(async () => {
  client?.close();
  await node?.close();
});

async function openWith(roomId: string, peerIds: string[]): Promise<number[]> {
  await client.request('room:open', { roomId });
  const pids: number[] = [];
  for (const peerId of peerIds) pids.push((await client.request('peer:join', { roomId, peerId })).workerPid);
  return pids;
}

describe('SFU worker death', () => {
  it('closes the rooms on a killed worker, replaces the worker, and keeps serving', async () => {
    // At equal load a room's peers stay on its router's worker, so 'doomed' and 'survivor' each
    // live on one worker; 'spanning' gets a peer on each.
    const [doomedPid] = await openWith('doomed', ['a']);
    const [survivorPid] = await openWith('survivor', ['b']);
    const spanning = await openWith('spanning', ['s1', 's2']);
    expect(doomedPid).not.toBe(survivorPid);
    expect(new Set(spanning).size).toBe(2);

    const closed: SfuEventPayload<'room:closed'>[] = [];
    client.on('room:closed', (e) => closed.push(e));
    const killedAt = Date.now();
    process.kill(doomedPid!, 'SIGKILL');

    await until(() => closed.length === 2, 'room:closed for both rooms on the dead worker');
    const closedAfterMs = Date.now() - killedAt;
    expect(closed.sort((x, y) => x.roomId.localeCompare(y.roomId))).toEqual([
      { roomId: 'doomed', reason: 'worker-died' },
      { roomId: 'spanning', reason: 'worker-died' },
    ]);
    await expect(client.request('peer:join', { roomId: 'doomed', peerId: 'a' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    // The room on the other worker never noticed.
    const t = await client.request('transport:create', { roomId: 'survivor', peerId: 'b', direction: 'recv' });
    expect(t.iceCandidates.length).toBeGreaterThan(0);

    const stats = await until(async () => {
      const s = await client.request('node:stats', {});
      return s.workers.length === 2 && !s.workers.some((w) => w.pid === doomedPid) ? s : undefined;
    }, 'a replacement worker');
    const replacedAfterMs = Date.now() - killedAt;
    const fresh = stats.workers.find((w) => w.pid !== survivorPid)!;
    expect(stats.workers.map((w) => w.pid)).toContain(survivorPid);
    expect(stats.rooms).toBe(1);

    // New rooms work, and the least-loaded (new, empty) worker takes the next peer.
    const [rebornPid] = await openWith('doomed', ['c']);
    expect(rebornPid).toBe(fresh.pid);
    const send = await client.request('transport:create', { roomId: 'doomed', peerId: 'c', direction: 'send' });
    expect(send.iceCandidates.map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);
    expect(closed).toHaveLength(2);
    expect(client.connected).toBe(true);
    console.info(`worker-death: room:closed after ${closedAfterMs} ms, replacement worker after ${replacedAfterMs} ms`);
  });

  it('answers requests on a room whose worker is gone with a typed error, never a crash', async () => {
    const [pid] = await openWith('short-lived', ['z']);
    process.kill(pid!, 'SIGKILL');
    // Whatever the timing, each answer is a ProtocolError (the room closing, or its worker gone).
    const answers = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        client.request('transport:create', { roomId: 'short-lived', peerId: 'z', direction: 'recv' }),
      ),
    );
    const refusals = answers.filter((a) => a.status === 'rejected').map((a) => a.reason as unknown);
    expect(refusals.length).toBeGreaterThanOrEqual(4); // one recv transport per peer, at most
    for (const err of refusals) {
      expect(err).toBeInstanceOf(ProtocolError);
      expect(['NOT_FOUND', 'INVALID_STATE']).toContain((err as ProtocolError).code);
    }
    console.info(
      `worker-death: racing requests answered ${answers.map((a) => (a.status === 'fulfilled' ? 'ok' : (a.reason as ProtocolError).code)).join(', ')}`,
    );
    await until(() => !node.rooms.get('short-lived'), 'the room to close');
    await until(async () => (await client.request('node:stats', {})).workers.length === 2, 'replacement');
  });
});
