/**
 * Real media through a real node with two workers. The RPC has no PlainTransport (browsers use
 * WebRtcTransports, which need ICE + DTLS, which Node does not speak), so the test reaches into the
 * in-process node for the RTP ends only: ffmpeg feeds PlainTransport producers that the room adopts
 * as the sender's, and each receiver gets a PlainTransport sink on the router its peer:join placed
 * it on. Everything else goes as for a browser: peers join over the RPC, the node consumes every
 * producer for every other peer on its own (`consumer:new`, paused), and the receivers resume them
 * over the RPC. The sinks only see media because those node-made consumers piped the producers to
 * the receivers' routers.
 */
import dgram from 'node:dgram';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SfuEventPayload } from '@/lib/protocol/sfuRpc';
import type { SfuNodeClient } from '@/lib/server/sfu/SfuNodeClient';
import type { SfuNode } from '@/sfu/node';
import type { ProducerAppData } from '@/sfu/types';
import { connectClient, ffmpegRtpSource, record, rtpSink, startTestSfu, until, type RtpSink } from '../../support/sfu';

const LOOPBACK = { protocol: 'udp', ip: '127.0.0.1' } as const;
const VIDEO_SSRC = 11_111_111;
const AUDIO_SSRC = 22_222_222;

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

const ssrcOf = (c: types.Consumer) => c.rtpParameters.encodings![0]!.ssrc!;
const packetCount = async (p: types.Producer) => (await p.getStats()).reduce((n, s) => n + s.packetCount, 0);

describe('SFU forwarding (real workers, real RTP)', () => {
  it('forwards ffmpeg VP8 + opus to three consumers across two workers, and reports their producer closing', async () => {
    const roomId = 'forwarding';
    const receivers = ['r1', 'r2', 'r3'];
    const news = record(client, 'consumer:new');
    const { rtpCapabilities } = await client.request('room:open', { roomId });
    const join = (peerId: string) => client.request('peer:join', { roomId, peerId, rtpCapabilities });
    const sender = await join('sender');
    const placements = new Map<string, number>();
    // r1 and r2 are there when the sender starts producing (the node fans its producers out to
    // them); r3 joins afterwards (the node consumes what is there for it).
    for (const peerId of ['r1', 'r2']) placements.set(peerId, (await join(peerId)).workerPid);

    // Ingest on the sender's router.
    const room = node.rooms.get(roomId)!;
    const senderRouter = room.member('sender').peer.router;
    const videoIn = await senderRouter.createPlainTransport({ listenInfo: LOOPBACK, rtcpMux: false, comedia: true });
    const audioIn = await senderRouter.createPlainTransport({ listenInfo: LOOPBACK, rtcpMux: false, comedia: true });
    const video = await videoIn.produce<ProducerAppData>({
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
        encodings: [{ ssrc: VIDEO_SSRC }],
      },
      appData: { peerId: 'sender', source: 'camera' },
    });
    const audio = await audioIn.produce<ProducerAppData>({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: AUDIO_SSRC }],
      },
      appData: { peerId: 'sender', source: 'mic' },
    });
    await room.addProducer('sender', video);
    await room.addProducer('sender', audio);
    placements.set('r3', (await join('r3')).workerPid);
    // Placement spreads peers: some receivers live on the other worker and need pipeToRouter.
    expect(new Set([sender.workerPid, ...placements.values()]).size).toBe(2);
    const remote = receivers.filter((p) => placements.get(p) !== sender.workerPid);
    expect(remote.length).toBeGreaterThan(0);

    // Receivers, as a browser would: the node hands each a paused consumer per producer; resume.
    const videoConsumerOf = new Map<string, string>();
    for (const peerId of receivers) {
      const given = await news.wait((e) => e.roomId === roomId && e.peerId === peerId, 2);
      expect(given).toHaveLength(2);
      for (const producer of [video, audio]) {
        const { consumer } = given.find((e) => e.consumer.producerId === producer.id)!;
        expect(consumer).toMatchObject({
          producerId: producer.id,
          producerPeerId: 'sender',
          source: producer.appData.source,
          kind: producer.kind,
          type: 'simple',
          producerPaused: false,
          streamId: 'sender.av',
        });
        expect(room.member(peerId).peer.consumer(consumer.consumerId).paused).toBe(true);
        await client.request('consumer:resume', { roomId, peerId, consumerId: consumer.consumerId });
        if (producer === video) videoConsumerOf.set(peerId, consumer.consumerId);
      }
    }
    news.off();
    // The sender is given nothing of its own.
    expect(news.seen.filter((e) => e.peerId === 'sender')).toEqual([]);

    // One RTP sink per receiver, on the receiver's router.
    const sinks: { peerId: string; sink: RtpSink; videoSsrc: number; audioSsrc: number }[] = [];
    for (const peerId of receivers) {
      const router = room.member(peerId).peer.router;
      const sink = await rtpSink();
      const out = await router.createPlainTransport({ listenInfo: LOOPBACK, rtcpMux: true, comedia: false });
      await out.connect({ ip: '127.0.0.1', port: sink.port });
      const v = await out.consume({ producerId: video.id, rtpCapabilities: router.rtpCapabilities });
      const a = await out.consume({ producerId: audio.id, rtpCapabilities: router.rtpCapabilities });
      sinks.push({ peerId, sink, videoSsrc: ssrcOf(v), audioSsrc: ssrcOf(a) });
    }

    const started = Date.now();
    const ffmpeg = ffmpegRtpSource({
      seconds: 3,
      video: {
        port: videoIn.tuple.localPort,
        rtcpPort: videoIn.rtcpTuple!.localPort,
        ssrc: VIDEO_SSRC,
        payloadType: 101,
      },
      audio: {
        port: audioIn.tuple.localPort,
        rtcpPort: audioIn.rtcpTuple!.localPort,
        ssrc: AUDIO_SSRC,
        payloadType: 100,
      },
    });
    const { code, stderr } = await ffmpeg.done;
    expect(code, stderr).toBe(0);

    const sent = { video: await packetCount(video), audio: await packetCount(audio) };
    expect(sent.video).toBeGreaterThan(60); // ~300 kbps for 3 s
    expect(sent.audio).toBeGreaterThan(120); // 50 packets/s for 3 s
    const receivedNow = () =>
      sinks.map(({ peerId, sink, videoSsrc, audioSsrc }) => ({
        peerId,
        remote: remote.includes(peerId),
        video: sink.packets(videoSsrc),
        audio: sink.packets(audioSsrc),
      }));
    // The last packets may still be in flight through the pipe; the assertions below say by how much.
    await until(
      () => receivedNow().every((r) => r.video >= sent.video * 0.95 && r.audio >= sent.audio * 0.95),
      'the sinks to catch up',
      2_000,
    ).catch(() => undefined);
    const received = receivedNow();
    console.info(
      `forwarding: ${Date.now() - started} ms, producer ${JSON.stringify(sent)}, sinks ${JSON.stringify(received)}`,
    );
    for (const r of received) {
      // Loopback loses nothing; a few packets may still be in flight when ffmpeg exits.
      expect(r.video, `${r.peerId} video`).toBeGreaterThanOrEqual(sent.video * 0.95);
      expect(r.audio, `${r.peerId} audio`).toBeGreaterThanOrEqual(sent.audio * 0.95);
    }
    for (const { sink } of sinks) sink.close();

    // The producer closing closes every RPC consumer of it, on both workers, and says so.
    const closed: SfuEventPayload<'consumer:closed'>[] = [];
    const off = client.on('consumer:closed', (e) => closed.push(e));
    video.close();
    await until(() => closed.length === receivers.length, 'consumer:closed for each receiver');
    off();
    expect(closed.sort((a, b) => a.peerId.localeCompare(b.peerId))).toEqual(
      receivers.map((peerId) => ({ roomId, peerId, consumerId: videoConsumerOf.get(peerId), producerId: video.id })),
    );
    await client.request('room:close', { roomId });
  });

  it('reports the dominant speaker room-wide, for a microphone on a non-primary router', async () => {
    const roomId = 'speakers';
    const { rtpCapabilities } = await client.request('room:open', { roomId });
    const a = await client.request('peer:join', { roomId, peerId: 'a', rtpCapabilities });
    const b = await client.request('peer:join', { roomId, peerId: 'b', rtpCapabilities });
    // 'a' shares the room's first (primary) router; 'b' went to the other worker.
    expect(b.workerPid).not.toBe(a.workerPid);

    const room = node.rooms.get(roomId)!;
    const router = room.member('b').peer.router;
    const ingest = await router.createPlainTransport({ listenInfo: LOOPBACK, rtcpMux: true, comedia: true });
    const mic = await ingest.produce<ProducerAppData>({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: 33_333_333 }],
        headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level', id: 1 }],
      },
      appData: { peerId: 'b', source: 'mic' },
    });
    const news = record(client, 'consumer:new');
    await room.addProducer('b', mic);
    // 'a' is given it, piped to its router on the other worker.
    await news.wait((e) => e.roomId === roomId && e.peerId === 'a' && e.consumer.producerId === mic.id);
    news.off();

    const speakers: SfuEventPayload<'room:active-speaker'>[] = [];
    const off = client.on('room:active-speaker', (e) => speakers.push(e));
    const stop = sendLoudOpus(ingest.tuple.localPort, 33_333_333, 111);
    try {
      await until(() => speakers.some((s) => s.peerId === 'b'), "'b' as active speaker", 8_000);
    } finally {
      stop();
    }
    // Its microphone goes away: nobody is speaking.
    mic.close();
    await until(() => speakers.at(-1)?.peerId === null, 'active speaker cleared');
    off();
    expect(speakers.every((s) => s.roomId === roomId)).toBe(true);
    await client.request('room:close', { roomId });
  });
});

/**
 * 20 ms opus-like RTP packets carrying the ssrc-audio-level header extension (RFC 6464) at
 * -10 dBov with voice activity: the observer reads the level, never the payload.
 */
function sendLoudOpus(port: number, ssrc: number, payloadType: number): () => void {
  const socket = dgram.createSocket('udp4');
  let seq = 0;
  const timer = setInterval(() => {
    const packet = Buffer.alloc(12 + 8 + 40);
    packet[0] = 0x90; // V=2, X=1
    packet[1] = payloadType;
    packet.writeUInt16BE(seq & 0xffff, 2);
    packet.writeUInt32BE((seq * 960) >>> 0, 4);
    packet.writeUInt32BE(ssrc, 8);
    packet.writeUInt16BE(0xbede, 12); // one-byte header extensions
    packet.writeUInt16BE(1, 14); // one 32-bit word
    packet[16] = (1 << 4) | 0; // id 1, length 1
    packet[17] = 0x80 | 10; // voice activity, level 10 (-10 dBov)
    packet[20] = 0xfc; // an opus TOC byte; the rest is silence-sized filler
    seq++;
    socket.send(packet, port, '127.0.0.1');
  }, 20);
  return () => {
    clearInterval(timer);
    socket.close();
  };
}
