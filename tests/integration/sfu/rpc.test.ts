/**
 * The node's RPC boundary against a real node: authentication, validation, typed errors, ownership
 * of every id, and that nothing a caller sends stops the node from serving the next request. How the
 * node drives each peer's media (consumption, peer:sync, a host's mute) is in consumption.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, ProtocolError } from '@/lib/protocol';
import { SFU_MAX_REQUEST_BYTES } from '@/lib/protocol/sfuRpc';
import { SfuNodeClient } from '@/lib/server/sfu/SfuNodeClient';
import type { SfuNode } from '@/sfu/node';
import {
  ask,
  connectClient,
  opusParameters,
  rawSocket,
  record,
  startTestSfu,
  testLog,
  vp8Parameters,
  type RawSocket,
} from '../../support/sfu';
import { rpcHelpers } from '../../support/sfuRpc';

let node: SfuNode;
let client: SfuNodeClient;
let raw: RawSocket;
beforeAll(async () => {
  node = await startTestSfu({ SFU_WORKERS: '2' });
  client = await connectClient(node);
  raw = await rawSocket(node);
});
afterAll(async () => {
  raw?.close();
  client?.close();
  await node?.close();
});

const { expectCode, roomWith, produce } = rpcHelpers(() => client);

describe('SFU RPC', () => {
  it('refuses a client with a wrong or missing secret', async () => {
    const wrong = new SfuNodeClient({ url: node.url, secret: 'not-the-secret-at-all', log: testLog });
    await expect(wrong.waitConnected(3_000)).rejects.toThrow(/refused/);
    expect(wrong.state).toBe('refused');
    await expect(wrong.request('node:stats', {})).rejects.toBeInstanceOf(ProtocolError);
    wrong.close();
    await expect(rawSocket(node, {})).rejects.toThrow('unauthorized');
    await expect(rawSocket(node, { secret: 42 })).rejects.toThrow('unauthorized');
  });

  it('answers unknown methods, bad shapes and oversized payloads with typed errors, and keeps serving', async () => {
    const refused = (code: string) => ({ ok: false, error: { code, message: expect.any(String) } });
    expect(await ask(raw, 'room:explode', { roomId: 'x' })).toEqual(refused(ErrorCode.UnknownEvent));
    // Names that exist on every object's prototype are not methods.
    expect(await ask(raw, 'constructor', {})).toEqual(refused(ErrorCode.UnknownEvent));
    expect(await ask(raw, '__proto__', {})).toEqual(refused(ErrorCode.UnknownEvent));
    // The methods the node-driven design removed are gone, not silently accepted.
    expect(await ask(raw, 'transport:create', { roomId: 'r', peerId: 'p', direction: 'send' })).toEqual(
      refused(ErrorCode.UnknownEvent),
    );
    expect(
      await ask(raw, 'consumer:create', { roomId: 'r', peerId: 'p', producerId: 'x', rtpCapabilities: {} }),
    ).toEqual(refused(ErrorCode.UnknownEvent));
    expect(await ask(raw, 'room:open', { roomId: 42 })).toEqual(refused(ErrorCode.BadRequest));
    expect(await ask(raw, 'room:open', { roomId: 'has spaces' })).toEqual(refused(ErrorCode.BadRequest));
    expect(await ask(raw, 'room:open', { roomId: 'ok', extra: true })).toEqual(refused(ErrorCode.BadRequest));
    expect(await ask(raw, 'room:open')).toEqual(refused(ErrorCode.BadRequest));
    expect(await ask(raw, 'room:open', { roomId: 'a' }, { roomId: 'b' })).toEqual(refused(ErrorCode.BadRequest));
    // A join needs the browser's capabilities; forceTcp is a boolean.
    expect(await ask(raw, 'peer:join', { roomId: 'r', peerId: 'p' })).toEqual(refused(ErrorCode.BadRequest));
    expect(
      await ask(raw, 'peer:join', { roomId: 'r', peerId: 'p', rtpCapabilities: { codecs: [] }, forceTcp: 'yes' }),
    ).toEqual(refused(ErrorCode.BadRequest));
    expect(await ask(raw, 'producer:pause-source', { roomId: 'r', peerId: 'p', source: 'keyboard' })).toEqual(
      refused(ErrorCode.BadRequest),
    );
    expect(await ask(raw, 'node:capabilities', { extra: 1 })).toEqual(refused(ErrorCode.BadRequest));
    const huge = {
      roomId: 'r',
      peerId: 'p',
      transportId: 't',
      dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'x'.repeat(SFU_MAX_REQUEST_BYTES) }] },
    };
    expect(await ask(raw, 'transport:connect', huge)).toEqual(refused(ErrorCode.PayloadTooLarge));
    // A request without an ack callback is dropped, not answered and not fatal.
    raw.emit('room:open', { roomId: 'no-ack' });

    const stats = await client.request('node:stats', {});
    expect(stats.workers).toHaveLength(2);
    expect(node.rooms.get('no-ack')).toBeUndefined();
    for (const w of stats.workers) {
      expect(w.pid).toBeGreaterThan(0);
      expect(w).toMatchObject({ producers: 0, consumers: 0 });
    }
  });

  it('gives the same router capabilities before a room exists and for every room, and names its run', async () => {
    const { rtpCapabilities } = await client.request('node:capabilities', {});
    expect(rtpCapabilities.codecs?.map((c) => c.mimeType).sort()).toEqual(['audio/opus', 'video/VP8', 'video/rtx']);
    expect(await client.request('node:capabilities', {})).toEqual({ rtpCapabilities });
    const one = await client.request('room:open', { roomId: 'caps-1' });
    const two = await client.request('room:open', { roomId: 'caps-2' });
    expect(one.rtpCapabilities).toEqual(rtpCapabilities);
    expect(two.rtpCapabilities).toEqual(rtpCapabilities);
    // One nodeId per run of the node, whatever the room, and again on a repeated open.
    expect(one.nodeId).toEqual(expect.any(String));
    expect(two.nodeId).toBe(one.nodeId);
    expect((await client.request('room:open', { roomId: 'caps-1' })).nodeId).toBe(one.nodeId);
    await client.request('room:close', { roomId: 'caps-1' });
    await client.request('room:close', { roomId: 'caps-2' });
  });

  it('keeps every transport, producer and consumer id to its own peer', async () => {
    const roomId = 'ownership';
    const news = record(client, 'consumer:new');
    const { rtpCapabilities, transports } = await roomWith(roomId, ['alice', 'bob', 'carol']);
    const { producerId } = await produce(roomId, 'alice', transports.alice!.send, 'camera', 1001);
    const [forBob] = await news.wait(
      (e) => e.roomId === roomId && e.peerId === 'bob' && e.consumer.producerId === producerId,
    );
    const { consumerId } = forBob!.consumer;
    news.off();
    const dtlsParameters = {
      role: 'client' as const,
      fingerprints: [{ algorithm: 'sha-256' as const, value: 'AA:BB' }],
    };

    // Bob names Alice's transport and producer, Carol names Bob's consumer: FORBIDDEN.
    await expectCode('FORBIDDEN', 'transport:connect', {
      roomId,
      peerId: 'bob',
      transportId: transports.alice!.send,
      dtlsParameters,
    });
    await expectCode('FORBIDDEN', 'transport:restart-ice', {
      roomId,
      peerId: 'bob',
      transportId: transports.alice!.recv,
    });
    await expectCode('FORBIDDEN', 'producer:create', {
      roomId,
      peerId: 'bob',
      transportId: transports.alice!.send,
      kind: 'audio',
      rtpParameters: opusParameters(2002),
      source: 'mic',
    });
    await expectCode('FORBIDDEN', 'producer:pause', { roomId, peerId: 'bob', producerId });
    await expectCode('FORBIDDEN', 'producer:resume', { roomId, peerId: 'bob', producerId });
    await expectCode('FORBIDDEN', 'producer:close', { roomId, peerId: 'bob', producerId });
    await expectCode('FORBIDDEN', 'consumer:resume', { roomId, peerId: 'carol', consumerId });
    await expectCode('FORBIDDEN', 'consumer:pause', { roomId, peerId: 'carol', consumerId });
    await expectCode('FORBIDDEN', 'consumer:set-layers', { roomId, peerId: 'carol', consumerId, spatialLayer: 0 });
    await expectCode('FORBIDDEN', 'consumer:close', { roomId, peerId: 'carol', consumerId });
    // Ids nobody in the room owns: NOT_FOUND.
    await expectCode('NOT_FOUND', 'consumer:resume', { roomId, peerId: 'carol', consumerId: 'no-such-consumer' });
    await expectCode('NOT_FOUND', 'producer:pause', { roomId, peerId: 'carol', producerId: 'no-such-producer' });
    await expectCode('NOT_FOUND', 'transport:restart-ice', {
      roomId,
      peerId: 'carol',
      transportId: 'no-such-transport',
    });
    // A peer that never joined acts in no room; a room that is not open is not found.
    await expectCode('FORBIDDEN', 'peer:sync', { roomId, peerId: 'mallory' });
    await expectCode('FORBIDDEN', 'consumer:resume', { roomId, peerId: 'mallory', consumerId });
    await expectCode('FORBIDDEN', 'producer:pause-source', { roomId, peerId: 'mallory', source: 'camera' });
    await expectCode('NOT_FOUND', 'peer:join', { roomId: 'never-opened', peerId: 'bob', rtpCapabilities });
    await expectCode('NOT_FOUND', 'peer:sync', { roomId: 'never-opened', peerId: 'bob' });

    // Nothing above changed anything: the producer still runs and its owner still controls it.
    await client.request('producer:pause', { roomId, peerId: 'alice', producerId });
    await client.request('consumer:resume', { roomId, peerId: 'bob', consumerId });
    const room = node.rooms.get(roomId)!;
    expect(room.member('alice').peer.producer(producerId).paused).toBe(true);
    expect(room.member('bob').peer.consumer(consumerId).paused).toBe(false);
    await client.request('room:close', { roomId });
  });

  it('enforces transport, producer and consumer rules with typed errors', async () => {
    const roomId = 'rules';
    const news = record(client, 'consumer:new');
    const { rtpCapabilities, transports, peers } = await roomWith(roomId, ['pat', 'quinn']);
    const pat = { roomId, peerId: 'pat' };
    const quinn = { roomId, peerId: 'quinn' };

    // Two transports per peer, made at join; joining again gives the same ones, not a second pair.
    const again = await client.request('peer:join', { ...pat, rtpCapabilities });
    expect(again).toEqual(peers.pat);
    // A recv transport does not produce.
    await expectCode('BAD_REQUEST', 'producer:create', {
      ...pat,
      transportId: transports.pat!.recv,
      kind: 'video',
      rtpParameters: vp8Parameters(1),
      source: 'camera',
    });
    // A camera is video.
    await expectCode('BAD_REQUEST', 'producer:create', {
      ...pat,
      transportId: transports.pat!.send,
      kind: 'audio',
      rtpParameters: opusParameters(2),
      source: 'camera',
    });
    // mediasoup's own validation (an unsupported codec), mapped to a typed error.
    await expectCode('BAD_REQUEST', 'producer:create', {
      ...pat,
      transportId: transports.pat!.send,
      kind: 'video',
      rtpParameters: { ...vp8Parameters(3), codecs: [{ mimeType: 'video/H265', payloadType: 96, clockRate: 90000 }] },
      source: 'camera',
    });
    const camera = await produce(roomId, 'pat', transports.pat!.send, 'camera', 10);
    // One producer per source.
    await expectCode('INVALID_STATE', 'producer:create', {
      ...pat,
      transportId: transports.pat!.send,
      kind: 'video',
      rtpParameters: { ...vp8Parameters(11), mid: '11' },
      source: 'camera',
    });
    await produce(roomId, 'pat', transports.pat!.send, 'mic', 12);
    await produce(roomId, 'pat', transports.pat!.send, 'screen', 13);

    // Quinn is given all three, paused; Pat is never given its own.
    const forQuinn = await news.wait((e) => e.roomId === roomId && e.peerId === 'quinn', 3);
    const cameraConsumer = forQuinn.find((e) => e.consumer.producerId === camera.producerId)!.consumer;
    expect(cameraConsumer).toMatchObject({ kind: 'video', type: 'simple', producerPaused: false });
    expect(node.rooms.get(roomId)!.member('quinn').peer.consumer(cameraConsumer.consumerId).paused).toBe(true);
    expect((await client.request('peer:sync', pat)).consumers).toEqual([]);
    expect(news.seen.filter((e) => e.roomId === roomId && e.peerId === 'pat')).toEqual([]);

    // A peer whose capabilities cannot receive video (canConsume) is given the mic only.
    const audioOnly = { codecs: rtpCapabilities.codecs?.filter((c) => c.kind === 'audio'), headerExtensions: [] };
    await client.request('peer:join', { roomId, peerId: 'deaf-to-video', rtpCapabilities: audioOnly });
    await news.wait((e) => e.roomId === roomId && e.peerId === 'deaf-to-video');
    // peer:sync runs after the peer's queued consume attempts.
    const { consumers: deafConsumers } = await client.request('peer:sync', { roomId, peerId: 'deaf-to-video' });
    expect(deafConsumers.map((c) => c.source)).toEqual(['mic']);

    await expectCode('BAD_REQUEST', 'consumer:set-layers', {
      ...quinn,
      consumerId: cameraConsumer.consumerId,
      spatialLayer: 1,
    });
    await client.request('consumer:pause', { ...quinn, consumerId: cameraConsumer.consumerId });
    await client.request('consumer:resume', { ...quinn, consumerId: cameraConsumer.consumerId });

    const dtlsParameters = {
      role: 'client' as const,
      fingerprints: [{ algorithm: 'sha-256' as const, value: 'AB:CD' }],
    };
    await client.request('transport:connect', { ...quinn, transportId: transports.quinn!.recv, dtlsParameters });
    await expectCode('INVALID_STATE', 'transport:connect', {
      ...quinn,
      transportId: transports.quinn!.recv,
      dtlsParameters,
    });
    const { iceParameters } = await client.request('transport:restart-ice', {
      ...quinn,
      transportId: transports.quinn!.recv,
    });
    expect(iceParameters.usernameFragment).toEqual(expect.any(String));

    // forceTcp offers only TCP candidates, on both transports; the default offers UDP and TCP.
    const tcp = await client.request('peer:join', { roomId, peerId: 'tcp-only', rtpCapabilities, forceTcp: true });
    expect(tcp.transports.send.iceCandidates.map((c) => c.protocol)).toEqual(['tcp']);
    expect(tcp.transports.recv.iceCandidates.map((c) => c.protocol)).toEqual(['tcp']);
    for (const t of [peers.quinn!.transports.send, peers.quinn!.transports.recv]) {
      expect(t.iceCandidates.map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);
      expect(t.iceCandidates.every((c) => c.address === '127.0.0.1')).toBe(true);
    }
    news.off();

    // Pat leaves: Quinn's consumers of Pat's producers close, and the web process hears of it.
    const closed = record(client, 'consumer:closed');
    await client.request('peer:leave', pat);
    const quinnClosed = await closed.wait((e) => e.roomId === roomId && e.peerId === 'quinn', 3);
    closed.off();
    expect(quinnClosed).toContainEqual({
      ...quinn,
      consumerId: cameraConsumer.consumerId,
      producerId: camera.producerId,
    });
    expect((await client.request('peer:sync', quinn)).consumers).toEqual([]);
    await client.request('peer:leave', pat); // idempotent
    await expectCode('FORBIDDEN', 'peer:sync', pat);
    await expectCode('FORBIDDEN', 'producer:create', {
      ...pat,
      transportId: transports.pat!.send,
      kind: 'audio',
      rtpParameters: opusParameters(14),
      source: 'mic',
    });
    await client.request('room:close', { roomId });
    await client.request('room:close', { roomId }); // idempotent
  });

  it('lets one of two racing requests win where only one may', async () => {
    const { rtpCapabilities } = await client.request('room:open', { roomId: 'race' });
    // Concurrent joins share one placement (and one pair of transports), and so does a retry.
    const [one, two] = await Promise.all([
      client.request('peer:join', { roomId: 'race', peerId: 's', rtpCapabilities }),
      client.request('peer:join', { roomId: 'race', peerId: 's', rtpCapabilities }),
    ]);
    expect(one).toEqual(two);
    expect(await client.request('peer:join', { roomId: 'race', peerId: 's', rtpCapabilities })).toEqual(one);
    expect(node.rooms.get('race')!.member('s').peer.media().transports).toHaveLength(2);
    // Two producers of one source: one wins, the other is refused.
    const results = await Promise.allSettled([
      produce('race', 's', one.transports.send.id, 'camera', 701),
      produce('race', 's', one.transports.send.id, 'camera', 702),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refusal = results.find((r) => r.status === 'rejected')!.reason as unknown;
    expect(refusal).toBeInstanceOf(ProtocolError);
    expect((refusal as ProtocolError).code).toBe('INVALID_STATE');
    // Concurrent opens make one room.
    const routers = () => node.pool.workers.reduce((n, w) => n + w.routers, 0);
    const routersBefore = routers();
    await Promise.all([
      client.request('room:open', { roomId: 'race-2' }),
      client.request('room:open', { roomId: 'race-2' }),
    ]);
    expect(routers()).toBe(routersBefore + 1);
    await client.request('room:close', { roomId: 'race' });
    await client.request('room:close', { roomId: 'race-2' });
  });
});
