/**
 * Forwarding latency: a few consumers send plain RTP here instead of to the counting sink. Every
 * packet carries the generator's send time (CLOCK_MONOTONIC), so latency = arrival - send, with no
 * clock sync needed (same machine). RTCP is ignored.
 */
import dgram from 'node:dgram';
import { timestampOffset } from './rtpSource';

export class LatencySampler {
  private readonly socket = dgram.createSocket('udp4');
  private samplesNs: bigint[] = [];
  private recording = false;
  /** payload type → kind, from the sampled consumers' rtpParameters. */
  readonly kinds = new Map<number, 'audio' | 'video'>();

  async bind(): Promise<{ ip: string; port: number }> {
    this.socket.on('message', (msg) => this.onPacket(msg));
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return { ip: '127.0.0.1', port: this.socket.address().port };
  }

  start() {
    this.samplesNs = [];
    this.recording = true;
  }

  /** Latencies in ms, sorted, of the packets seen since start(). */
  stop(): number[] {
    this.recording = false;
    return this.samplesNs.map((ns) => Number(ns) / 1e6).sort((a, b) => a - b);
  }

  close() {
    this.socket.close();
  }

  private onPacket(msg: Buffer) {
    if (!this.recording || msg.length < 12) return;
    const now = process.hrtime.bigint();
    const pt = msg[1]! & 0x7f;
    if (msg[1]! >= 200 && msg[1]! <= 207) return; // RTCP
    const kind = this.kinds.get(pt);
    if (!kind) return;
    let offset = 12 + 4 * (msg[0]! & 0x0f); // CSRCs
    if (msg[0]! & 0x10) offset += 4 + 4 * msg.readUInt16BE(offset + 2); // header extension
    const payload = msg.subarray(offset);
    const at = timestampOffset(payload, kind);
    if (payload.length < at + 8) return;
    this.samplesNs.push(now - payload.readBigUInt64BE(at));
  }
}
