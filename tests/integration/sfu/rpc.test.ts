/**
 * The node's RPC boundary against a real node: authentication, validation, typed errors, ownership
 * of every id, and that nothing a caller sends stops the node from serving the next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, ProtocolError } from '@/lib/protocol';
import { SFU_MAX_REQUEST_BYTES, type SfuEventPayload, type SfuMethod, type SfuRequest } from '@/lib/protocol/sfuRpc';
import { SfuNodeClient } from '@/lib/server/sfu/SfuNodeClient';
import type { SfuNode } from '@/sfu/node';
import {
  ask,
  connectClient,
  opusParameters,
  rawSocket,
  startTestSfu,
  testLog,
  until,
  vp8Parameters,
  type RawSocket,
} from '../../support/sfu';

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

/** Expects the request to fail with a ProtocolError carrying `code`. */
async function expectCode<M extends SfuMethod>(code: string, method: M, payload: SfuRequest<M>): Promise<void> {
  const outcome = await client.request(method, payload).then(
    () => 'success',
    (err: unknown) => (err instanceof ProtocolError ? err.code : err),
  );
  expect(outcome, method).toBe(code);
}

/** A room with joined peers, each with a send and a recv transport. */
async function roomWith(roomId: string, peerIds: string[]) {
  const { rtpCapabilities } = await client.request('room:open', { roomId });
  const transports: Record<string, { send: string; recv: string }> = {};
  for (const peerId of peerIds) {
    await client.request('peer:join', { roomId, peerId });
    const send = await client.request('transport:create', { roomId, peerId, direction: 'send' });
    const recv = await client.request('transport:create', { roomId, peerId, direction: 'recv' });
    transports[peerId] = { send: send.id, recv: recv.id };
  }
  return { rtpCapabilities, transports };
}

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
    expect(await ask(raw, 'room:open', { roomId: 42 })).toEqual(refused(ErrorCode.BadRequest));
    expect(await ask(raw, 'room:open', { roomId: 'has spaces' })).toEqual(refused(ErrorCode.BadRequest));
    expect(await ask(raw, 'room:open', { roomId: 'ok', extra: true })).toEqual(refused(ErrorCode.BadRequest));
    expect(await ask(raw, 'room:open')).toEqual(refused(ErrorCode.BadRequest));
    expect(await ask(raw, 'room:open', { roomId: 'a' }, { roomId: 'b' })).toEqual(refused(ErrorCode.BadRequest));
    expect(await ask(raw, 'transport:create', { roomId: 'r', peerId: 'p', direction: 'sideways' })).toEqual(
      refused(ErrorCode.BadRequest),
    );
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
    for (const w of stats.workers) expect(w.pid).toBeGreaterThan(0);
  });

  it('keeps every transport, producer and consumer id to its own peer', async () => {
    const roomId = 'ownership';
    const { rtpCapabilities, transports } = await roomWith(roomId, ['alice', 'bob', 'carol']);
    const { producerId } = await client.request('producer:create', {
      roomId,
      peerId: 'alice',
      transportId: transports.alice!.send,
      kind: 'video',
      rtpParameters: vp8Parameters(1001),
      source: 'camera',
    });
    const { consumerId } = await client.request('consumer:create', {
      roomId,
      peerId: 'bob',
      producerId,
      rtpCapabilities,
    });
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
    await expectCode('FORBIDDEN', 'producer:close', { roomId, peerId: 'bob', producerId });
    await expectCode('FORBIDDEN', 'consumer:resume', { roomId, peerId: 'carol', consumerId });
    await expectCode('FORBIDDEN', 'consumer:close', { roomId, peerId: 'carol', consumerId });
    // Ids nobody in the room owns: NOT_FOUND.
    await expectCode('NOT_FOUND', 'consumer:resume', { roomId, peerId: 'carol', consumerId: 'no-such-consumer' });
    // A peer that never joined acts in no room; a room that is not open is not found.
    await expectCode('FORBIDDEN', 'transport:create', { roomId, peerId: 'mallory', direction: 'recv' });
    await expectCode('FORBIDDEN', 'consumer:create', { roomId, peerId: 'mallory', producerId, rtpCapabilities });
    await expectCode('NOT_FOUND', 'peer:join', { roomId: 'never-opened', peerId: 'bob' });

    // Nothing above changed anything: the producer still runs and its owner still controls it.
    await client.request('producer:pause', { roomId, peerId: 'alice', producerId });
    await client.request('consumer:resume', { roomId, peerId: 'bob', consumerId });
    await client.request('room:close', { roomId });
  });

  it('does not let a peer consume a producer of another room, or a room it has not joined', async () => {
    const a = await roomWith('room-a', ['ann', 'abe']);
    const b = await roomWith('room-b', ['ben', 'bea']);
    const { producerId } = await client.request('producer:create', {
      roomId: 'room-b',
      peerId: 'ben',
      transportId: b.transports.ben!.send,
      kind: 'audio',
      rtpParameters: opusParameters(3003),
      source: 'mic',
    });
    // Ann asks, in her own room, for room-b's producer: it is not in her room.
    await expectCode('NOT_FOUND', 'consumer:create', {
      roomId: 'room-a',
      peerId: 'ann',
      producerId,
      rtpCapabilities: a.rtpCapabilities,
    });
    // Ann names room-b, which she never joined.
    await expectCode('FORBIDDEN', 'consumer:create', {
      roomId: 'room-b',
      peerId: 'ann',
      producerId,
      rtpCapabilities: b.rtpCapabilities,
    });
    // Bea, who joined room-b, can.
    const consumer = await client.request('consumer:create', {
      roomId: 'room-b',
      peerId: 'bea',
      producerId,
      rtpCapabilities: b.rtpCapabilities,
    });
    expect(consumer).toMatchObject({ producerId, kind: 'audio' });
    await client.request('room:close', { roomId: 'room-a' });
    await client.request('room:close', { roomId: 'room-b' });
  });

  it('enforces transport, producer and consumer rules with typed errors', async () => {
    const roomId = 'rules';
    const { rtpCapabilities, transports } = await roomWith(roomId, ['pat', 'quinn']);
    const pat = { roomId, peerId: 'pat' };
    const quinn = { roomId, peerId: 'quinn' };

    // One transport per direction.
    await expectCode('INVALID_STATE', 'transport:create', { ...pat, direction: 'send' });
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
    const send = (source: 'camera' | 'mic' | 'screen', ssrc: number) =>
      client.request('producer:create', {
        ...pat,
        transportId: transports.pat!.send,
        kind: source === 'mic' ? 'audio' : 'video',
        source,
        rtpParameters: source === 'mic' ? opusParameters(ssrc) : { ...vp8Parameters(ssrc), mid: String(ssrc) },
      });
    const camera = await send('camera', 10);
    // One producer per source.
    await expectCode('INVALID_STATE', 'producer:create', {
      ...pat,
      transportId: transports.pat!.send,
      kind: 'video',
      rtpParameters: { ...vp8Parameters(11), mid: '11' },
      source: 'camera',
    });
    await send('mic', 12);
    await send('screen', 13);

    // Not its own producer, and not with capabilities that cannot receive it (canConsume).
    await expectCode('BAD_REQUEST', 'consumer:create', { ...pat, producerId: camera.producerId, rtpCapabilities });
    const audioOnly = { codecs: rtpCapabilities.codecs?.filter((c) => c.kind === 'audio'), headerExtensions: [] };
    await expectCode('BAD_REQUEST', 'consumer:create', {
      ...quinn,
      producerId: camera.producerId,
      rtpCapabilities: audioOnly,
    });
    const consumer = await client.request('consumer:create', {
      ...quinn,
      producerId: camera.producerId,
      rtpCapabilities,
    });
    expect(consumer).toMatchObject({ kind: 'video', type: 'simple', producerPaused: false });
    await expectCode('BAD_REQUEST', 'consumer:set-layers', {
      ...quinn,
      consumerId: consumer.consumerId,
      spatialLayer: 1,
    });
    await client.request('consumer:pause', { ...quinn, consumerId: consumer.consumerId });
    await client.request('consumer:resume', { ...quinn, consumerId: consumer.consumerId });

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

    // forceTcp offers only TCP candidates; the default offers UDP and TCP.
    await client.request('peer:join', { roomId, peerId: 'tcp-only' });
    const tcp = await client.request('transport:create', {
      roomId,
      peerId: 'tcp-only',
      direction: 'recv',
      forceTcp: true,
    });
    expect(tcp.iceCandidates.map((c) => c.protocol)).toEqual(['tcp']);
    const both = await client.request('transport:create', { roomId, peerId: 'tcp-only', direction: 'send' });
    expect(both.iceCandidates.map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);
    expect(both.iceCandidates.every((c) => c.address === '127.0.0.1')).toBe(true);

    // Pat leaves: Quinn's consumer of Pat's camera closes, and the web process hears of it.
    const closed: SfuEventPayload<'consumer:closed'>[] = [];
    const off = client.on('consumer:closed', (e) => closed.push(e));
    await client.request('peer:leave', pat);
    await until(() => closed.length === 1, 'consumer:closed');
    off();
    expect(closed[0]).toEqual({ ...quinn, consumerId: consumer.consumerId, producerId: camera.producerId });
    await client.request('peer:leave', pat); // idempotent
    await expectCode('FORBIDDEN', 'transport:create', { ...pat, direction: 'send' });
    await client.request('room:close', { roomId });
    await client.request('room:close', { roomId }); // idempotent
  });

  it('lets one of two racing requests win where only one may', async () => {
    await client.request('room:open', { roomId: 'race' });
    await client.request('peer:join', { roomId: 'race', peerId: 'r' });
    const results = await Promise.allSettled([
      client.request('transport:create', { roomId: 'race', peerId: 'r', direction: 'send' }),
      client.request('transport:create', { roomId: 'race', peerId: 'r', direction: 'send' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    // Concurrent joins share one placement, concurrent opens one room.
    const [one, two] = await Promise.all([
      client.request('peer:join', { roomId: 'race', peerId: 's' }),
      client.request('peer:join', { roomId: 'race', peerId: 's' }),
    ]);
    expect(one).toEqual(two);
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
