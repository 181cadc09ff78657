/**
 * A paced RTP generator standing in for a browser's simulcast camera: three VP8 layers (¼, ½ and
 * full resolution at 150 kbps, 500 kbps and 1.5 Mbps, 30 fps, a key frame every second on each)
 * from one socket, each layer its own SSRC, as Chrome sends. Packets carry real VP8 payload
 * descriptors (picture id, TL0PICIDX, the key-frame bit), so mediasoup's simulcast consumers switch
 * layers and wait for key frames as they would with a browser. Synthetic payloads keep the 2-core
 * machine's CPU for the SFU being measured (no encoders).
 */
import dgram from 'node:dgram';

export const SIMULCAST_PT = 96;
const FPS = 30;
const KEYFRAME_EVERY = FPS;
const MAX_PAYLOAD = 1200;
export const LAYER_BPS = [150_000, 500_000, 1_500_000] as const;
const SIZES = [
  [320, 180],
  [640, 360],
  [1280, 720],
] as const;

export class SimulcastSource {
  private readonly socket = dgram.createSocket('udp4');
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private readonly seq = [0, 0, 0];

  constructor(
    readonly ssrcs: readonly [number, number, number],
    private readonly to: { ip: string; port: number },
  ) {}

  async bind(ip: string) {
    await new Promise<void>((resolve) => this.socket.bind(0, ip, resolve));
  }

  start() {
    this.timer = setInterval(() => this.sendFrame(), 1000 / FPS);
  }

  close() {
    clearInterval(this.timer);
    this.socket.close();
  }

  private sendFrame() {
    const key = this.frame % KEYFRAME_EVERY === 0;
    const pictureId = this.frame & 0x7fff;
    for (let layer = 0; layer < 3; layer++) {
      const avg = LAYER_BPS[layer]! / 8 / FPS;
      const bytes = Math.round(key ? avg * 6 : (avg * (KEYFRAME_EVERY - 6)) / (KEYFRAME_EVERY - 1));
      let left = bytes;
      let first = true;
      while (left > 0) {
        const size = Math.min(MAX_PAYLOAD, left);
        left -= size;
        // VP8 payload descriptor: X, S (first packet) and PID 0; I (picture id, 15 bit) and L (TL0PICIDX).
        const descriptor = Buffer.from([0x80 | (first ? 0x10 : 0), 0xc0, 0x80 | (pictureId >> 8), pictureId & 0xff, this.frame & 0xff]);
        const payload = Buffer.alloc(Math.max(size, 12));
        if (first) {
          payload[0] = key ? 0x10 : 0x11; // show_frame; P bit 0 = key frame
          if (key) {
            payload.set([0x9d, 0x01, 0x2a], 3);
            payload.writeUInt16LE(SIZES[layer]![0], 6);
            payload.writeUInt16LE(SIZES[layer]![1], 8);
          }
        }
        const header = Buffer.alloc(12);
        header[0] = 0x80;
        header[1] = (left === 0 ? 0x80 : 0) | SIMULCAST_PT;
        header.writeUInt16BE(this.seq[layer]!++ & 0xffff, 2);
        header.writeUInt32BE((this.frame * (90000 / FPS)) >>> 0, 4);
        header.writeUInt32BE(this.ssrcs[layer]! >>> 0, 8);
        this.socket.send(Buffer.concat([header, descriptor, payload]), this.to.port, this.to.ip);
        first = false;
      }
    }
    this.frame++;
  }
}
