/**
 * The people already in a room, without a browser each: signed-in bot sockets that take real seats
 * (room:join through the web process, like any participant), whose camera and microphone are ffmpeg
 * (real VP8 and opus, so a joining browser decodes them) sent as plain RTP into PlainTransport
 * producers on their own peer's router, on an SFU node running in this process. The 2-core machine
 * then spends itself on one measured browser, not on N publishing ones.
 */
import type { ChildProcess } from 'node:child_process';
import type { types } from 'mediasoup';
import { io, type Socket } from 'socket.io-client';
import type { Ack, RoomJoined, RoomSummary } from '../../lib/protocol';
import type { SfuNode } from '../../sfu/node';
import type { ProducerAppData } from '../../sfu/types';
import { ffmpegRtpSource, opusParameters, vp8Parameters } from '../../tests/support/sfu';

/** A key frame every 3 frames (100 ms): ffmpeg ignores PLIs, so a new viewer waits for the next one. */
const KEY_FRAME_INTERVAL = 3;

export interface Publishers {
  slug: string;
  roomId: string;
  close(): Promise<void>;
}

async function signUp(baseURL: string, name: string): Promise<{ cookie: string; userId: string }> {
  const res = await fetch(`${baseURL}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseURL },
    body: JSON.stringify({ name, email: `${name.toLowerCase()}@bench.local`, password: 'bench-password-123' }),
  });
  if (!res.ok) throw new Error(`sign-up of ${name} failed (${res.status}): ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { user } = (await res.json()) as { user: { id: string } };
  return { cookie, userId: user.id };
}

function connect(baseURL: string, cookie: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(baseURL, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie } });
    // Bots accept every consumer they are offered (their media goes nowhere: they never connect ICE).
    socket.on('room:consumers-new', (_c: unknown, ack: (a: Ack<object>) => void) => ack({ ok: true, data: { refused: [] } }));
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function ask<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const ack = (await socket.timeout(10_000).emitWithAck(event, payload)) as Ack<T>;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** `count` seated publishers in a new room, each sending camera and microphone. */
export async function startPublishers(node: SfuNode, baseURL: string, count: number, tag: string): Promise<Publishers> {
  const sockets: Socket[] = [];
  const ffmpegs: ChildProcess[] = [];
  const transports: types.PlainTransport[] = [];
  try {
    const bots = await Promise.all(Array.from({ length: count }, (_, i) => signUp(baseURL, `Pub${tag}${i}${Date.now().toString(36)}`)));
    for (const bot of bots) sockets.push(await connect(baseURL, bot.cookie));
    const { room } = await ask<{ room: RoomSummary }>(sockets[0]!, 'room:create', { name: `Full room ${tag}` });
    const { routerRtpCapabilities } = await ask<{ routerRtpCapabilities: unknown }>(sockets[0]!, 'room:capabilities', {});
    for (const socket of sockets) await ask<RoomJoined>(socket, 'room:join', { slug: room.slug, rtpCapabilities: routerRtpCapabilities });
    const roomId = node.rooms.ids().find((id) => node.rooms.get(id)?.memberList().some((m) => m.peer.id === bots[0]!.userId));
    if (!roomId) throw new Error('the publishers\' room is not on the in-process node');
    const sfuRoom = node.rooms.get(roomId)!;
    for (const [i, bot] of bots.entries()) {
      const { peer } = sfuRoom.member(bot.userId);
      const plain = () =>
        peer.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: true });
      const [videoIn, audioIn] = [await plain(), await plain()];
      transports.push(videoIn, audioIn);
      const ssrc = 0x5000_0000 + i * 2;
      const produce = (t: types.PlainTransport, kind: 'video' | 'audio', rtpParameters: types.RtpParameters) =>
        t.produce<ProducerAppData>({ kind, rtpParameters, appData: { peerId: bot.userId, source: kind === 'video' ? 'camera' : 'mic' } });
      const video = await produce(videoIn, 'video', vp8Parameters(ssrc));
      const audio = await produce(audioIn, 'audio', opusParameters(ssrc + 1));
      await sfuRoom.addProducer(bot.userId, video);
      await sfuRoom.addProducer(bot.userId, audio);
      const ports = (t: types.PlainTransport) => ({ port: t.tuple.localPort, rtcpPort: t.rtcpTuple!.localPort });
      ffmpegs.push(
        ffmpegRtpSource({
          seconds: 3600,
          keyFrameInterval: KEY_FRAME_INTERVAL,
          video: { ...ports(videoIn), ssrc, payloadType: 96 },
          audio: { ...ports(audioIn), ssrc: ssrc + 1, payloadType: 111 },
        }).process,
      );
    }
    return {
      slug: room.slug,
      roomId,
      async close() {
        for (const f of ffmpegs) f.kill('SIGKILL');
        for (const t of transports) t.close();
        for (const s of sockets) s.disconnect();
      },
    };
  } catch (err) {
    for (const f of ffmpegs) f.kill('SIGKILL');
    for (const s of sockets) s.disconnect();
    throw err;
  }
}
