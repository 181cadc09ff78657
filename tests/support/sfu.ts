/**
 * A real SFU node for integration tests, in-process: real mediasoup workers (the cached build that
 * scripts/mediasoup-worker/ensure.mjs makes; startSfuNode resolves it), a real RPC server on port 0
 * and real SfuNodeClients. Plus the RTP plumbing the media tests need: UDP sinks that count packets
 * per SSRC, and ffmpeg as a VP8 + opus source.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import type { types } from 'mediasoup';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import type { Ack } from '@/lib/protocol';
import type { SfuEvent, SfuEventPayload, SfuResponse } from '@/lib/protocol/sfuRpc';
import { SfuNodeClient } from '@/lib/server/sfu/SfuNodeClient';
import { parseSfuConfig } from '@/sfu/config';
import { startSfuNode, type SfuNode } from '@/sfu/node';

export const SFU_TEST_SECRET = 'sfu-integration-secret-0123456789';
export const testLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/**
 * A node with `workers` workers. RTC ports come from a range of their own, away from the default
 * 40000-40999 a dev server on this machine may be using. The orphan reaper is off: tests decide
 * when rooms close.
 */
export function startTestSfu(env: Record<string, string> = {}): Promise<SfuNode> {
  const config = parseSfuConfig({
    SFU_SECRET: SFU_TEST_SECRET,
    // Tests touch only loopback (the default would be the machine's primary interface).
    SFU_LISTEN_IP: '127.0.0.1',
    SFU_WORKERS: '2',
    SFU_RPC_PORT: '0',
    SFU_RTC_MIN_PORT: '47000',
    SFU_RTC_MAX_PORT: '47999',
    SFU_ORPHAN_GRACE_MS: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startSfuNode(config, testLog);
}

export async function connectClient(node: SfuNode, secret = SFU_TEST_SECRET): Promise<SfuNodeClient> {
  const client = new SfuNodeClient({ url: node.url, secret, log: testLog, requestTimeoutMs: 5_000 });
  try {
    await client.waitConnected(5_000);
  } catch (err) {
    client.close();
    throw err;
  }
  return client;
}

/** An authenticated socket that speaks no types at all: for sending what the contract forbids. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately untyped
export type RawSocket = Socket<any, any>;

export function rawSocket(
  node: SfuNode,
  auth: Record<string, unknown> = { secret: SFU_TEST_SECRET },
): Promise<RawSocket> {
  const socket: RawSocket = connect(node.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

export function ask(socket: RawSocket, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  return socket.timeout(5_000).emitWithAck(event, ...args) as Promise<Ack<unknown>>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Every `event` the client receives from now on (until `off()`), and a way to wait for some. The
 * node pushes consumers (`consumer:new`) on its own, so tests watch for them rather than ask.
 */
export interface EventRecorder<E extends SfuEvent> {
  readonly seen: SfuEventPayload<E>[];
  /** The events matching `where`, once there are at least `count` of them. */
  wait(where: (e: SfuEventPayload<E>) => boolean, count?: number, timeoutMs?: number): Promise<SfuEventPayload<E>[]>;
  off(): void;
}

export function record<E extends SfuEvent>(client: SfuNodeClient, event: E): EventRecorder<E> {
  const seen: SfuEventPayload<E>[] = [];
  const off = client.on(event, (e) => seen.push(e));
  return {
    seen,
    off,
    wait: (where, count = 1, timeoutMs) =>
      until(
        () => {
          const matching = seen.filter(where);
          return matching.length >= count ? matching : undefined;
        },
        `${count} ${event} event(s)`,
        timeoutMs,
      ),
  };
}

export type JoinedPeer = SfuResponse<'peer:join'>;

/**
 * Opens the room and joins each peer with the room's own router capabilities, which a browser's
 * device capabilities match closely enough for mediasoup's canConsume (same codecs, same header
 * extensions): every consumer the node makes for these peers is made with them.
 */
export async function openRoomWith(client: SfuNodeClient, roomId: string, peerIds: string[]) {
  const { rtpCapabilities, nodeId } = await client.request('room:open', { roomId });
  const peers: Record<string, JoinedPeer> = {};
  for (const peerId of peerIds) peers[peerId] = await client.request('peer:join', { roomId, peerId, rtpCapabilities });
  return { rtpCapabilities, nodeId, peers };
}

/** rtpParameters a browser might send for one VP8 camera stream (no simulcast). */
export const vp8Parameters = (ssrc: number): types.RtpParameters => ({
  mid: '0',
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: 96,
      clockRate: 90000,
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
    },
  ],
  encodings: [{ ssrc }],
  rtcp: { cname: `cname-${ssrc}` },
});

export const opusParameters = (ssrc: number): types.RtpParameters => ({
  mid: '1',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc }],
  rtcp: { cname: `cname-${ssrc}` },
});

/** A UDP socket on loopback counting RTP packets per SSRC (RTCP is told apart by packet type). */
export interface RtpSink {
  port: number;
  packets(ssrc: number): number;
  close(): void;
}

export async function rtpSink(): Promise<RtpSink> {
  const socket = dgram.createSocket('udp4');
  const bySsrc = new Map<number, number>();
  socket.on('message', (msg) => {
    if (msg.length < 12) return;
    const packetType = msg[1]! & 0x7f;
    if (packetType >= 72 && packetType <= 79) return; // RTCP 200-207 with the marker bit folded in
    const ssrc = msg.readUInt32BE(8);
    bySsrc.set(ssrc, (bySsrc.get(ssrc) ?? 0) + 1);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, packets: (ssrc) => bySsrc.get(ssrc) ?? 0, close: () => socket.close() };
}

/**
 * ffmpeg sending `seconds` of VP8 (testsrc) and opus (sine) as plain RTP, each to its own
 * PlainTransport (comedia: mediasoup learns ffmpeg's address from the first packet).
 */
export function ffmpegRtpSource(opts: {
  seconds: number;
  /** Frames between key frames (default 30: one a second). ffmpeg ignores PLIs, so a new viewer waits for the next one. */
  keyFrameInterval?: number;
  video: { port: number; rtcpPort: number; ssrc: number; payloadType: number };
  audio: { port: number; rtcpPort: number; ssrc: number; payloadType: number };
}): { process: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const { seconds, video, audio } = opts;
  const rtp = (t: { port: number; rtcpPort: number; ssrc: number; payloadType: number }) => [
    '-ssrc',
    String(t.ssrc),
    '-payload_type',
    String(t.payloadType),
    '-f',
    'rtp',
    `rtp://127.0.0.1:${t.port}?rtcpport=${t.rtcpPort}&pkt_size=1200`,
  ];
  // Input and output options apply to the next input or output only: each gets its own -re / -t.
  // prettier-ignore
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=30',
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds), '-map', '0:v',
    '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-g', String(opts.keyFrameInterval ?? 30),
    ...rtp(video),
    '-t', String(seconds), '-map', '1:a', '-c:a', 'libopus', '-ac', '2', '-b:a', '32k',
    ...rtp(audio),
  ];
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
  return { process: child, done };
}
