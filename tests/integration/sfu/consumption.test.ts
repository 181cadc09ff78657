/**
 * How the node drives each peer's media, against a real node: it gives a joined peer a consumer of
 * every other peer's producer without being asked (`consumer:new`), only within the peer's own room;
 * it tells a peer what it holds (peer:sync); and it pauses a peer's source for a host's mute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SfuNodeClient } from '@/lib/server/sfu/SfuNodeClient';
import type { SfuNode } from '@/sfu/node';
import { connectClient, record, startTestSfu, until } from '../../support/sfu';
import { rpcHelpers, sourceOrder } from '../../support/sfuRpc';

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

const { expectCode, roomWith, produce } = rpcHelpers(() => client);

describe('the node drives each peer\u2019s media', () => {
  it('consumes every producer for every other peer of the room, without being asked', async () => {
    const roomId = 'server-driven';
    const news = record(client, 'consumer:new');
    const inRoom = (peerId: string) => (e: (typeof news.seen)[number]) => e.roomId === roomId && e.peerId === peerId;
    const { rtpCapabilities, transports } = await roomWith(roomId, ['amy']);
    const camera = await produce(roomId, 'amy', transports.amy!.send, 'camera', 101);
    const mic = await produce(roomId, 'amy', transports.amy!.send, 'mic', 102);

    // Bert joins a room where Amy already sends: he gets both, paused, with his own capabilities.
    const bert = await client.request('peer:join', { roomId, peerId: 'bert', rtpCapabilities });
    const forBert = (await news.wait(inRoom('bert'), 2)).map((e) => e.consumer).sort(sourceOrder);
    expect(forBert).toEqual([
      expect.objectContaining({
        producerId: camera.producerId,
        producerPeerId: 'amy',
        source: 'camera',
        kind: 'video',
        type: 'simple',
        producerPaused: false,
        streamId: 'amy.av',
      }),
      expect.objectContaining({
        producerId: mic.producerId,
        producerPeerId: 'amy',
        source: 'mic',
        kind: 'audio',
        type: 'simple',
        producerPaused: false,
        streamId: 'amy.av', // the same stream as her camera: lip sync
      }),
    ]);
    // The router's own capabilities work as a device's: the consumers carry the negotiated codecs.
    expect(forBert.map((c) => c.rtpParameters.codecs[0]!.mimeType)).toEqual(['video/VP8', 'audio/opus']);
    const room = node.rooms.get(roomId)!;
    for (const c of forBert) expect(room.member('bert').peer.consumer(c.consumerId).paused).toBe(true);
    // Bert's consumers live on his recv transport, on the router he was placed on.
    expect(room.member('bert').peer.router.id).toBe(bert.routerId);
    for (const c of forBert)
      await client.request('consumer:resume', { roomId, peerId: 'bert', consumerId: c.consumerId });
    expect(room.member('bert').peer.consumer(forBert[0]!.consumerId).paused).toBe(false);

    // Cleo joins (she gets what is there), then Amy shares her screen: Bert and Cleo get it, Amy does not.
    await client.request('peer:join', { roomId, peerId: 'cleo', rtpCapabilities });
    await news.wait(inRoom('cleo'), 2);
    const screen = await produce(roomId, 'amy', transports.amy!.send, 'screen', 103);
    const forScreen = await news.wait((e) => e.roomId === roomId && e.consumer.producerId === screen.producerId, 2);
    expect(forScreen.map((e) => e.peerId).sort()).toEqual(['bert', 'cleo']);
    for (const e of forScreen)
      expect(e.consumer).toMatchObject({ source: 'screen', producerPeerId: 'amy', streamId: 'amy.screen' });

    // Bert's mic reaches Amy and Cleo. A join racing a new producer still yields one consumer of it.
    const bertMic = await produce(roomId, 'bert', bert.transports.send.id, 'mic', 104);
    const [, bertCamera] = await Promise.all([
      client.request('peer:join', { roomId, peerId: 'dave', rtpCapabilities }),
      produce(roomId, 'bert', bert.transports.send.id, 'camera', 105),
    ]);
    await news.wait(inRoom('dave'), 5);
    await news.wait(inRoom('amy'), 2);
    await news.wait(inRoom('cleo'), 5);

    // What the node holds matches what it announced: one consumer per producer of every other peer.
    const expected: Record<string, string[]> = {
      amy: [bertMic.producerId, bertCamera.producerId],
      bert: [camera.producerId, mic.producerId, screen.producerId],
      cleo: [camera.producerId, mic.producerId, screen.producerId, bertMic.producerId, bertCamera.producerId],
      dave: [camera.producerId, mic.producerId, screen.producerId, bertMic.producerId, bertCamera.producerId],
    };
    for (const [peerId, producerIds] of Object.entries(expected)) {
      const { consumers } = await client.request('peer:sync', { roomId, peerId });
      expect(consumers.map((c) => c.producerId).sort(), peerId).toEqual([...producerIds].sort());
      const announced = news.seen.filter(inRoom(peerId)).map((e) => e.consumer.consumerId);
      expect(announced.sort(), peerId).toEqual(consumers.map((c) => c.consumerId).sort());
    }
    news.off();
    await client.request('room:close', { roomId });
  });

  it('consumes a producer only for the peers of its own room', async () => {
    const news = record(client, 'consumer:new');
    await roomWith('room-a', ['ann', 'abe']);
    const b = await roomWith('room-b', ['ben', 'bea']);
    const { producerId } = await produce('room-b', 'ben', b.transports.ben!.send, 'mic', 3003);
    const [forBea] = await news.wait((e) => e.roomId === 'room-b' && e.peerId === 'bea');
    expect(forBea).toMatchObject({ consumer: { producerId, kind: 'audio', producerPeerId: 'ben', source: 'mic' } });
    const consumerId = forBea!.consumer.consumerId;
    news.off();
    // Nobody in room-a was given it.
    expect(news.seen.filter((e) => e.roomId === 'room-a')).toEqual([]);
    for (const peerId of ['ann', 'abe'])
      expect((await client.request('peer:sync', { roomId: 'room-a', peerId })).consumers).toEqual([]);
    // Ann names room-b's producer and consumer in her own room: nobody there owns them.
    await expectCode('NOT_FOUND', 'producer:pause', { roomId: 'room-a', peerId: 'ann', producerId });
    await expectCode('NOT_FOUND', 'consumer:resume', { roomId: 'room-a', peerId: 'ann', consumerId });
    // Ann names room-b, which she never joined.
    await expectCode('FORBIDDEN', 'consumer:resume', { roomId: 'room-b', peerId: 'ann', consumerId });
    await expectCode('FORBIDDEN', 'peer:sync', { roomId: 'room-b', peerId: 'ann' });
    // Bea, who joined room-b, can.
    await client.request('consumer:resume', { roomId: 'room-b', peerId: 'bea', consumerId });
    await client.request('room:close', { roomId: 'room-a' });
    await client.request('room:close', { roomId: 'room-b' });
  });

  it('tells a peer what it holds (peer:sync): its transports and its consumers', async () => {
    const roomId = 'sync';
    const news = record(client, 'consumer:new');
    const { peers, transports } = await roomWith(roomId, ['sue', 'tom']);
    const sue = { roomId, peerId: 'sue' };
    const tom = { roomId, peerId: 'tom' };
    expect(await client.request('peer:sync', sue)).toEqual({
      transports: peers.sue!.transports,
      connected: { send: false, recv: false }, // no browser did ICE
      consumers: [],
    });

    const mic = await produce(roomId, 'sue', transports.sue!.send, 'mic', 501);
    const camera = await produce(roomId, 'sue', transports.sue!.send, 'camera', 502);
    const forTom = (await news.wait((e) => e.roomId === roomId && e.peerId === 'tom', 2)).map((e) => e.consumer);
    news.off();
    const synced = await client.request('peer:sync', tom);
    expect(synced.transports).toEqual(peers.tom!.transports);
    expect(synced.connected).toEqual({ send: false, recv: false });
    expect([...synced.consumers].sort(sourceOrder)).toEqual([...forTom].sort(sourceOrder));

    // Resumed or not, every consumer is listed; a paused producer shows as such.
    await client.request('consumer:resume', { ...tom, consumerId: forTom[0]!.consumerId });
    await client.request('producer:pause', { ...sue, producerId: mic.producerId });
    // The pause reaches Tom's consumer as a worker notification (through the pipe when they are on
    // two workers), possibly after producer:pause has been answered.
    const afterPause = await until(async () => {
      const now = await client.request('peer:sync', tom);
      return now.consumers.find((c) => c.producerId === mic.producerId)?.producerPaused ? now : undefined;
    }, 'the mic consumer to show its producer paused');
    expect(afterPause.consumers).toHaveLength(2);
    expect(afterPause.consumers.find((c) => c.producerId === camera.producerId)!.producerPaused).toBe(false);

    // A closed producer's consumer is gone from the list.
    await client.request('producer:close', { ...sue, producerId: camera.producerId });
    await until(
      async () => (await client.request('peer:sync', tom)).consumers.length === 1,
      'the camera consumer to go',
    );
    expect((await client.request('peer:sync', tom)).consumers.map((c) => c.producerId)).toEqual([mic.producerId]);
    // The producer's owner is given nothing of its own.
    expect((await client.request('peer:sync', sue)).consumers).toEqual([]);
    await client.request('room:close', { roomId });
  });

  it('pauses a peer’s source for it (a host mute) and says which producer, or that there was none', async () => {
    const roomId = 'host-mute';
    const news = record(client, 'consumer:new');
    const { transports } = await roomWith(roomId, ['speaker', 'listener', 'silent']);
    const speaker = { roomId, peerId: 'speaker' };
    const mic = await produce(roomId, 'speaker', transports.speaker!.send, 'mic', 601);
    const camera = await produce(roomId, 'speaker', transports.speaker!.send, 'camera', 602);
    const forListener = await news.wait((e) => e.roomId === roomId && e.peerId === 'listener', 2);
    news.off();
    const micConsumer = forListener.find((e) => e.consumer.producerId === mic.producerId)!.consumer;
    const room = node.rooms.get(roomId)!;

    const states = record(client, 'consumer:state');
    const asked = Date.now();
    expect(await client.request('producer:pause-source', { ...speaker, source: 'mic' })).toEqual({
      producerId: mic.producerId,
    });
    expect(room.member('speaker').peer.producer(mic.producerId).paused).toBe(true);
    expect(room.member('speaker').peer.producer(camera.producerId).paused).toBe(false);
    // The listener's consumer reports its producer paused.
    await states.wait((e) => e.peerId === 'listener' && e.consumerId === micConsumer.consumerId && e.producerPaused);
    console.info(`host-mute: consumer:state (producerPaused) ${Date.now() - asked} ms after producer:pause-source`);
    states.off();

    // Already paused, no such source, a peer with no mic: nothing to pause.
    expect(await client.request('producer:pause-source', { ...speaker, source: 'mic' })).toEqual({ producerId: null });
    expect(await client.request('producer:pause-source', { ...speaker, source: 'screen' })).toEqual({
      producerId: null,
    });
    expect(await client.request('producer:pause-source', { roomId, peerId: 'silent', source: 'mic' })).toEqual({
      producerId: null,
    });
    // The peer unmutes itself; a host can mute it again.
    await client.request('producer:resume', { ...speaker, producerId: mic.producerId });
    expect(await client.request('producer:pause-source', { ...speaker, source: 'mic' })).toEqual({
      producerId: mic.producerId,
    });
    expect(await client.request('producer:pause-source', { ...speaker, source: 'camera' })).toEqual({
      producerId: camera.producerId,
    });
    await client.request('room:close', { roomId });
  });
});
