/**
 * A paced RTP load generator standing in for a publishing browser: VP8 at ~1 Mbps (30 fps, a key
 * frame every 2 s, frames split into ≤1200-byte packets) plus opus at ~40 kbps (20 ms frames).
 *
 * Packets carry just enough real VP8 syntax for the SFU to treat them like a camera's: a payload
 * descriptor with the start bit, and a frame header whose P bit marks key frames (with the key
 * frame start code and size), so consumers sync on key frames as they would with a browser. Every
 * packet also carries its send time (CLOCK_MONOTONIC, ns) so a sampler can measure forwarding
 * latency; the clock is system-wide, so it works across processes and network namespaces.
 */
import dgram from 'node:dgram';

export const VIDEO_PT = 101;
export const AUDIO_PT = 100;
export const VIDEO_SSRC = 0x1111_0001;
export const AUDIO_SSRC = 0x2222_0002;

const FPS = 30;
const VIDEO_BPS = 1_000_000;
const KEYFRAME_EVERY = 2 * FPS;
const MAX_PAYLOAD = 1200;
const AUDIO_FRAME_MS = 20;
const AUDIO_BYTES = 100; // 100 B / 20 ms = 40 kbps of payload

export interface RtpSourceStats {
  videoPackets: number;
  audioPackets: number;
  bytes: number;
}

/** Offset of the send timestamp inside the RTP payload, for the sampler. */
export function timestampOffset(payload: Buffer, kind: 'video' | 'audio'): number {
  if (kind === 'audio') return 0;
  return payload[0]! & 0x10 ? 11 : 1; // first packet of a frame: descriptor + 10-byte VP8 header
}

function rtpHeader(pt: number, seq: number, ts: number, ssrc: number, marker: boolean): Buffer {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = (marker ? 0x80 : 0) | pt;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(ts >>> 0, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  return h;
}

function stamp(buf: Buffer, offset: number) {
  buf.writeBigUInt64BE(process.hrtime.bigint(), offset);
}

export class RtpSource {
  readonly stats: RtpSourceStats = { videoPackets: 0, audioPackets: 0, bytes: 0 };
  private readonly socket = dgram.createSocket('udp4');
  private timers: NodeJS.Timeout[] = [];
  private vSeq = 0;
  private aSeq = 0;
  private frame = 0;
  private audioFrame = 0;

  constructor(
    private readonly video: { ip: string; port: number },
    private readonly audio: { ip: string; port: number },
  ) {}

  async bind(ip: string) {
    await new Promise<void>((resolve) => this.socket.bind(0, ip, resolve));
  }

  /**
   * Starts with a key frame, so every consumer created before start() forwards every packet. (A
   * consumer drops video until its first key frame; restarting mid-GOP made every viewer added
   * since the last window lose up to 2 s of video, which the sweep reported as loss.)
   */
  start() {
    this.frame = Math.ceil(this.frame / KEYFRAME_EVERY) * KEYFRAME_EVERY;
    this.sendVideoFrame();
    this.sendAudioFrame();
    this.timers.push(setInterval(() => this.sendVideoFrame(), 1000 / FPS));
    this.timers.push(setInterval(() => this.sendAudioFrame(), AUDIO_FRAME_MS));
  }

  stop() {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  close() {
    this.stop();
    this.socket.close();
  }

  private send(packet: Buffer, to: { ip: string; port: number }) {
    this.stats.bytes += packet.length;
    this.socket.send(packet, to.port, to.ip);
  }

  private sendVideoFrame() {
    const key = this.frame % KEYFRAME_EVERY === 0;
    // Key frames are ~8x a delta frame, as with a real encoder; the average stays at VIDEO_BPS.
    const avg = VIDEO_BPS / 8 / FPS;
    const frameBytes = Math.round(key ? avg * 8 : (avg * (KEYFRAME_EVERY - 8)) / (KEYFRAME_EVERY - 1));
    const ts = this.frame * (90000 / FPS);
    let left = frameBytes;
    let first = true;
    while (left > 0) {
      const size = Math.min(MAX_PAYLOAD, left);
      left -= size;
      const payload = Buffer.alloc(Math.max(size, 20));
      if (first) {
        payload[0] = 0x10; // VP8 payload descriptor: S (start of partition), PID 0
        payload[1] = key ? 0x10 : 0x11; // VP8 header: show_frame; P bit 0 = key frame
        if (key) {
          payload.set([0x9d, 0x01, 0x2a], 4); // key frame start code
          payload.writeUInt16LE(640, 7); // width
          payload.writeUInt16LE(360, 9); // height
        }
      }
      stamp(payload, first ? 11 : 1);
      this.send(Buffer.concat([rtpHeader(VIDEO_PT, this.vSeq++, ts, VIDEO_SSRC, left === 0), payload]), this.video);
      this.stats.videoPackets++;
      first = false;
    }
    this.frame++;
  }

  private sendAudioFrame() {
    const payload = Buffer.alloc(AUDIO_BYTES);
    stamp(payload, 0);
    const ts = this.audioFrame++ * 48 * AUDIO_FRAME_MS;
    this.send(Buffer.concat([rtpHeader(AUDIO_PT, this.aSeq++, ts, AUDIO_SSRC, false), payload]), this.audio);
    this.stats.audioPackets++;
  }
}
