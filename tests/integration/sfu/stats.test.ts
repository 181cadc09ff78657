/**
 * `room:stats` (and node:stats' per-worker counts) with real media: ffmpeg sends VP8 + opus into a
 * peer's producers (PlainTransport ingest, adopted by the room as in forwarding.test.ts); another
 * peer on the other worker is given consumers of them by the node (`consumer:new`) and resumes
 * them over the RPC. The reports come back through SfuNodeClient, so they also pass the contract's
 * response schemas on the web side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '@/lib/protocol/errors';
import type { SfuNodeClient } from '@/lib/server/sfu/SfuNodeClient';
import type { SfuNode } from '@/sfu/node';
import type { ProducerAppData } from '@/sfu/types';
import { connectClient, ffmpegRtpSource, record, startTestSfu, until } from '../../support/sfu';

const LOOPBACK = { protocol: 'udp', ip: '127.0.0.1' } as const;

let node: SfuNode;
let client: SfuNodeClient;
beforeAll(async () => {
  node = await startTestSfu({ SFU_WORKERS: '2', SFU_RTC_MIN_PORT: '46600', SFU_RTC_MAX_PORT: '46799' });
  client = await connectClient(node);
});
afterAll(async () => {
  client?.close();
  await node?.close();
});

describe('room:stats', () => {
  it('reports each peer’s worker, transports, and live producer and consumer figures', async () => {
    const roomId = 'stats';
    const news = record(client, 'consumer:new');
    const { rtpCapabilities } = await client.request('room:open', { roomId });
    const sender = await client.request('peer:join', { roomId, peerId: 'sender', rtpCapabilities });
    const receiver = await client.request('peer:join', { roomId, peerId: 'receiver', rtpCapabilities });
    expect(receiver.workerPid).not.toBe(sender.workerPid); // spread: the consumers need a pipe

    const room = node.rooms.get(roomId)!;
    const router = room.member('sender').peer.router;
    const videoIn = await router.createPlainTransport({ listenInfo: LOOPBACK, rtcpMux: false, comedia: true });
    const audioIn = await router.createPlainTransport({ listenInfo: LOOPBACK, rtcpMux: false, comedia: true });
    const video = await videoIn.produce<ProducerAppData>({
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
        encodings: [{ ssrc: 44_444_444 }],
      },
      appData: { peerId: 'sender', source: 'camera' },
    });
    const audio = await audioIn.produce<ProducerAppData>({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: 55_555_555 }],
      },
      appData: { peerId: 'sender', source: 'mic' },
    });
    await room.addProducer('sender', video);
    await room.addProducer('sender', audio);

    const given = await news.wait((e) => e.roomId === roomId && e.peerId === 'receiver', 2);
    news.off();
    expect(given.map((e) => e.consumer.producerId).sort()).toEqual([video.id, audio.id].sort());
    const consumers: string[] = [];
    for (const { consumer } of given) {
      await client.request('consumer:resume', { roomId, peerId: 'receiver', consumerId: consumer.consumerId });
      consumers.push(consumer.consumerId);
    }

    // node:stats counts what peers send in on the sender's worker and what is forwarded out on the
    // receiver's; the pipe between the two workers is in neither count.
    const nodeStats = await client.request('node:stats', {});
    const workerRow = (pid: number) => nodeStats.workers.find((w) => w.pid === pid);
    expect(nodeStats.rooms).toBe(1);
    expect(workerRow(sender.workerPid)).toMatchObject({ routers: 1, producers: 2, consumers: 0 });
    expect(workerRow(receiver.workerPid)).toMatchObject({ routers: 1, producers: 0, consumers: 2 });

    const ffmpeg = ffmpegRtpSource({
      seconds: 4,
      video: {
        port: videoIn.tuple.localPort,
        rtcpPort: videoIn.rtcpTuple!.localPort,
        ssrc: 44_444_444,
        payloadType: 101,
      },
      audio: {
        port: audioIn.tuple.localPort,
        rtcpPort: audioIn.rtcpTuple!.localPort,
        ssrc: 55_555_555,
        payloadType: 100,
      },
    });
    // mediasoup's bitrate is a rate over the last second or so of packets: wait for it to build up.
    const { peers } = await until(
      async () => {
        const report = await client.request('room:stats', { roomId });
        const producers = report.peers.find((p) => p.peerId === 'sender')?.producers ?? [];
        const camera = producers.find((p) => p.source === 'camera');
        const mic = producers.find((p) => p.source === 'mic');
        const flowing = camera && mic && camera.bitrate > 50_000 && mic.bitrate > 10_000 && camera.score > 0;
        return flowing ? report : undefined;
      },
      'room:stats to show the media flowing',
      3_500,
    );
    const { code, stderr } = await ffmpeg.done;
    expect(code, stderr).toBe(0);

    const byId = Object.fromEntries(peers.map((p) => [p.peerId, p]));
    expect(Object.keys(byId).sort()).toEqual(['receiver', 'sender']);
    expect(byId.sender!.workerPid).toBe(sender.workerPid);
    expect(byId.receiver!.workerPid).toBe(receiver.workerPid);

    const produced = Object.fromEntries(byId.sender!.producers.map((p) => [p.source, p]));
    expect(produced.camera).toMatchObject({ producerId: video.id, kind: 'video', paused: false, lossPct: 0 });
    expect(produced.mic).toMatchObject({ producerId: audio.id, kind: 'audio', paused: false, lossPct: 0 });
    console.info(`room:stats producers: ${JSON.stringify(byId.sender!.producers)}`);
    expect(produced.camera!.bitrate).toBeGreaterThan(50_000); // ffmpeg sends ~300 kbit/s
    expect(produced.mic!.bitrate).toBeGreaterThan(10_000); // ~32 kbit/s
    expect(produced.camera!.score).toBeGreaterThan(0);
    // Loopback jitter is small; a figure left in RTP clock units (90 kHz) would be ~90× larger.
    expect(produced.camera!.jitterMs).toBeLessThan(200);

    const receiverTransports = [...byId.receiver!.transports].sort((x, y) => x.direction.localeCompare(y.direction));
    expect(receiverTransports).toEqual([
      expect.objectContaining({
        transportId: receiver.transports.recv.id,
        direction: 'recv',
        availableOutgoingBitrate: expect.any(Number),
      }),
      expect.objectContaining({ transportId: receiver.transports.send.id, direction: 'send' }),
    ]);
    expect(byId.receiver!.consumers.map((c) => c.consumerId).sort()).toEqual([...consumers].sort());
    expect(byId.receiver!.consumers.every((c) => !c.paused && c.rttMs === null)).toBe(true); // no browser: no RTCP yet

    await expect(client.request('room:stats', { roomId: 'no-such-room' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.request('room:stats', { roomId: '../bad id' })).rejects.toBeInstanceOf(ProtocolError);
    await client.request('room:close', { roomId });
  });
});
