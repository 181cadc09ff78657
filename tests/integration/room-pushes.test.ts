/**
 * Consumer pushes through the real web process and SFU node: a join's consumers reach the browser
 * as one acked batch; what it accepts is resumed on the node, what it refuses is closed, and a
 * malformed ack closes the whole batch without harming the process.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RoomConsumer, RoomJoined, RoomSummary } from '@/lib/protocol';
import { startRoomServer, type RoomServer } from '../support/roomServer';
import { ask, type TestServer, type TestSocket } from '../support/server';
import { opusParameters, vp8Parameters } from '../support/sfu';

let rooms: RoomServer;
let server: TestServer;
let caps: Record<string, unknown>;
beforeAll(async () => {
  rooms = await startRoomServer({ SFU_RTC_MIN_PORT: '46200', SFU_RTC_MAX_PORT: '46399' });
  ({ server, caps } = rooms);
});
afterAll(() => rooms?.stop());
const user = (name: string) => rooms.user(name);

/** Answers every push with `answer(batch)` and records the batches. */
function answering(socket: TestSocket, answer: (batch: RoomConsumer[]) => unknown): RoomConsumer[][] {
  const batches: RoomConsumer[][] = [];
  socket.on('room:consumers-new', ({ consumers }, ack) => {
    batches.push(consumers);
    (ack as (a: unknown) => void)(answer(consumers));
  });
  return batches;
}

/** The node's view of a peer's consumers: id → paused. */
async function consumersOnNode(roomId: string, peerId: string): Promise<Record<string, boolean>> {
  const { peers } = await server.sfuClients[0]!.request('room:stats', { roomId });
  return Object.fromEntries(
    (peers.find((p) => p.peerId === peerId)?.consumers ?? []).map((c) => [c.consumerId, c.paused]),
  );
}

it('a join gets its consumers as one batch; accepted ones are resumed, refused ones closed, a malformed ack closes all', async () => {
  const [, host] = await user('Host');
  const created = await ask<{ room: RoomSummary }>(host, 'room:create', { name: 'Pushes' });
  if (!created.ok) throw new Error(created.error.message);
  const slug = created.data.room.slug;
  const joined = await ask<RoomJoined>(host, 'room:join', { slug, rtpCapabilities: caps });
  if (!joined.ok) throw new Error(joined.error.message);
  const transportId = joined.data.transports.send.id;
  for (const [source, kind, rtpParameters] of [
    ['mic', 'audio', { ...opusParameters(1111), mid: '0' }],
    ['camera', 'video', { ...vp8Parameters(2222), mid: '1' }],
  ] as const) {
    expect(await ask(host, 'room:produce', { transportId, kind, rtpParameters, source })).toMatchObject({ ok: true });
  }
  const roomId = server.rooms.liveRooms().find((r) => r.stored.slug === slug)!.id;

  const [willing, willingSocket] = await user('Willing');
  const willingBatches = answering(willingSocket, () => ({ ok: true, data: { refused: [] } }));
  const [picky, pickySocket] = await user('Picky');
  const pickyBatches = answering(pickySocket, (batch) => ({
    ok: true,
    data: { refused: batch.filter((c) => c.kind === 'video').map((c) => c.consumerId) },
  }));
  const [rude, rudeSocket] = await user('Rude');
  answering(rudeSocket, () => ({ ok: 'sure', data: '<script>' }));

  for (const socket of [willingSocket, pickySocket, rudeSocket]) {
    const answer = await ask<RoomJoined>(socket, 'room:join', { slug, rtpCapabilities: caps });
    expect(answer).toMatchObject({ ok: true, data: { offering: 2 } });
  }

  await expect.poll(() => willingBatches.length).toBe(1);
  expect(willingBatches[0]!.map((c) => c.source).sort()).toEqual(['camera', 'mic']);
  // Accepted: both resumed on the node.
  await expect.poll(() => consumersOnNode(roomId, willing.id).then((c) => Object.values(c))).toEqual([false, false]);
  // Refused the camera: only the mic is left, resumed.
  await expect
    .poll(() => consumersOnNode(roomId, picky.id))
    .toEqual({ [pickyBatches[0]!.find((c) => c.kind === 'audio')!.consumerId]: false });
  // Malformed: nothing kept, and the process goes on.
  await expect.poll(() => consumersOnNode(roomId, rude.id)).toEqual({});
  expect(await ask(rudeSocket, 'session:ping', {})).toMatchObject({ ok: true });

  // A later producer reaches each seat as a batch of one.
  expect(
    await ask(host, 'room:produce', {
      transportId,
      kind: 'video',
      rtpParameters: { ...vp8Parameters(3333), mid: '2' },
      source: 'screen',
    }),
  ).toMatchObject({ ok: true });
  await expect.poll(() => willingBatches.length).toBe(2);
  expect(willingBatches[1]!.map((c) => c.source)).toEqual(['screen']);
});
