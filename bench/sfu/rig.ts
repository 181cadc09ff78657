/**
 * A fan-out rig on real mediasoup workers: one publisher (RtpSource → PlainTransport producers for
 * VP8 and opus) and N viewers, each a PlainTransport with SRTP (AEAD_AES_256_GCM, what Chromium
 * negotiates) consuming both, as a browser's receive transport would. With two workers the topology
 * is Confab's room: the publisher's router on worker 1, viewers spread over both workers, and the
 * producers piped to the second router with pipeToRouter (exactly what sfu/Room.ts does).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { MEDIA_CODECS } from '../../sfu/Room';
import { AUDIO_PT, AUDIO_SSRC, RtpSource, VIDEO_PT, VIDEO_SSRC } from './rtpSource';
import { LatencySampler } from './sampler';
import type { Sink } from './sinks';

/** Viewers whose latency is sampled (plain RTP to a user-space socket); the rest go to the sink. */
const SAMPLED_PER_ROUTER = 2;
/** What Chromium negotiates with mediasoup by default; BENCH_SRTP_SUITE overrides it for comparisons. */
const SUITE = (process.env.BENCH_SRTP_SUITE ?? 'AEAD_AES_256_GCM') as types.SrtpCryptoSuite;

export interface PointResult {
  viewers: number;
  /** % of one core per worker, user + system. */
  cpuPct: number[];
  /** The system-time part of cpuPct (send path, and on loopback the receiving kernel's work too). */
  sysPct: number[];
  lossPct: number;
  /** RTP packets/s leaving the SFU towards the viewers. */
  outPps: number;
  p50Ms: number;
  p99Ms: number;
  /** The whole machine's busy time over the window, in % of one core (all cores: 100 × cores). */
  machinePct: number;
}

interface Side {
  worker: types.Worker;
  router: types.Router;
  viewers: number;
}

/** Unmeasured run of the source before each window (see measure()). */
const SETTLE_MS = 1000;
/** Time for in-flight packets to land (queued in the worker when it is overloaded) before counting. */
const DRAIN_MS = 500;

export class FanoutRig {
  private readonly transports: types.Transport[] = [];
  /** The bulk viewers' transports with their side, newest last (the latency samplers are not here). */
  private readonly bulk: { transport: types.Transport; side: Side }[] = [];
  private bulkViewers = 0;

  private constructor(
    private readonly sides: Side[],
    private readonly producers: types.Producer[],
    private readonly source: RtpSource,
    private readonly sampler: LatencySampler,
    private readonly sink: Sink,
  ) {}

  static async create(opts: { workers: 1 | 2; workerBin: string; sink: Sink }): Promise<FanoutRig> {
    const sides: Side[] = [];
    for (let i = 0; i < opts.workers; i++) {
      const worker = await mediasoup.createWorker({ workerBin: opts.workerBin, logLevel: 'error' } as never);
      sides.push({ worker, router: await worker.createRouter({ mediaCodecs: MEDIA_CODECS }), viewers: 0 });
    }
    const home = sides[0]!.router;
    const ingest = () =>
      home.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
    const vIn = await ingest();
    const aIn = await ingest();
    const video = await vIn.produce({
      kind: 'video',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: VIDEO_PT, clockRate: 90000 }], encodings: [{ ssrc: VIDEO_SSRC }] },
    });
    const audio = await aIn.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO_PT, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: AUDIO_SSRC }],
      },
    });
    for (const side of sides.slice(1)) {
      for (const p of [video, audio]) await home.pipeToRouter({ producerId: p.id, router: side.router });
    }
    const source = new RtpSource(
      { ip: '127.0.0.1', port: vIn.tuple.localPort },
      { ip: '127.0.0.1', port: aIn.tuple.localPort },
    );
    await source.bind('127.0.0.1');
    const sampler = new LatencySampler();
    const rig = new FanoutRig(sides, [video, audio], source, sampler, opts.sink);
    const dest = await sampler.bind();
    for (const side of sides) {
      for (let i = 0; i < SAMPLED_PER_ROUTER; i++) await rig.addViewer(side, { ...dest, srtp: false, listenIp: '127.0.0.1' });
    }
    return rig;
  }

  get viewers() {
    return this.bulkViewers;
  }

  get workerPids(): number[] {
    return this.sides.map((s) => s.worker.pid);
  }

  /**
   * Adds bulk viewers up to `total`, placing each on the side with the fewest (Confab's placement),
   * or removes the newest ones down to it (capacity refinement measures below the last size).
   */
  async resizeTo(total: number) {
    while (this.bulkViewers < total) {
      const side = this.sides.reduce((a, b) => (b.viewers < a.viewers ? b : a));
      const transport = await this.addViewer(side, { ip: this.sink.destIp, port: this.sink.port, srtp: process.env.BENCH_NO_SRTP !== '1', listenIp: this.sink.listenIp });
      this.bulk.push({ transport, side });
      this.bulkViewers++;
    }
    while (this.bulkViewers > total) {
      const { transport, side } = this.bulk.pop()!;
      transport.close();
      this.transports.splice(this.transports.indexOf(transport), 1);
      side.viewers--;
      this.bulkViewers--;
    }
  }

  /**
   * One measurement window: the source starts on a key frame, runs, stops; then counters settle.
   * The source first runs for SETTLE_MS unmeasured: consumers that were just added cost the worker
   * a one-off burst (key-frame requests, probation, first RTCP), and a window that opens on that
   * burst reported input loss at sizes the worker handles in steady state (250 viewers at ~70 % CPU
   * showed 8 % loss in one run, 0 % in the next).
   */
  async measure(seconds: number): Promise<PointResult> {
    this.source.start();
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    this.source.stop();
    await new Promise((r) => setTimeout(r, DRAIN_MS)); // nothing of the settling run lands in the window
    const before = this.sink.counters();
    const sent0 = { ...this.source.stats };
    const cpu0 = await Promise.all(this.sides.map((s) => s.worker.getResourceUsage()));
    const machine0 = machineTicks();
    const t0 = process.hrtime.bigint();
    this.sampler.start();
    this.source.start();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    this.source.stop();
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const machine1 = machineTicks();
    const cpu1 = await Promise.all(this.sides.map((s) => s.worker.getResourceUsage()));
    await new Promise((r) => setTimeout(r, DRAIN_MS)); // let in-flight packets land before counting
    const latencies = this.sampler.stop();
    const after = this.sink.counters();
    const sent = this.source.stats.videoPackets + this.source.stats.audioPackets - sent0.videoPackets - sent0.audioPackets;
    const expected = sent * this.bulkViewers;
    const got = after.rtp - before.rtp;
    const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    return {
      viewers: this.bulkViewers,
      cpuPct: cpu1.map((u, i) => ((u.ru_utime + u.ru_stime - cpu0[i]!.ru_utime - cpu0[i]!.ru_stime) / wallMs) * 100),
      sysPct: cpu1.map((u, i) => ((u.ru_stime - cpu0[i]!.ru_stime) / wallMs) * 100),
      lossPct: expected > 0 ? Math.max(0, (1 - got / expected) * 100) : 0,
      outPps: got / (wallMs / 1000),
      p50Ms: pct(0.5),
      p99Ms: pct(0.99),
      machinePct: ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * 100 * os.availableParallelism(),
    };
  }

  close() {
    this.source.close();
    this.sampler.close();
    for (const side of this.sides) side.worker.close();
  }

  private async addViewer(side: Side, to: { ip: string; port: number; srtp: boolean; listenIp: string }): Promise<types.Transport> {
    const transport = await side.router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: to.listenIp, portRange: { min: 30000, max: 39999 } },
      rtcpMux: true,
      comedia: false,
      enableSrtp: to.srtp,
      srtpCryptoSuite: SUITE,
    });
    await transport.connect({
      ip: to.ip,
      port: to.port,
      ...(to.srtp
        ? { srtpParameters: { cryptoSuite: SUITE, keyBase64: crypto.randomBytes(SUITE === 'AEAD_AES_256_GCM' ? 44 : 30).toString('base64') } }
        : {}),
    });
    const caps = process.env.BENCH_TCC === '1' ? side.router.rtpCapabilities : withoutTransportCc(side.router.rtpCapabilities);
    for (const producer of this.producers) {
      const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: caps });
      if (!to.srtp) this.sampler.kinds.set(consumer.rtpParameters.codecs[0]!.payloadType, consumer.kind);
    }
    this.transports.push(transport);
    side.viewers++;
    return transport;
  }
}

/**
 * The router's capabilities without transport-wide congestion control. A browser sends transport-cc
 * feedback every ~100 ms, and each feedback removes the packets it covers from the worker's
 * send-time history; our kernel sink never answers, so with transport-cc every viewer's history
 * would keep 60 s of packets (~9,000 map entries each) and its upkeep became the largest item of the
 * profile (13 %), a cost browsers do not cause. Without it the viewers pay every other per-packet
 * cost a browser's consumer does (sequence rewriting, retransmission buffer, counters, SRTP, send).
 */
/** Capabilities without the bandwidth estimation a PlainTransport sink never feeds back. */
export function withoutTransportCc(caps: types.RtpCapabilities): types.RtpCapabilities {
  return {
    ...caps,
    codecs: caps.codecs?.map((c) => ({ ...c, rtcpFeedback: c.rtcpFeedback?.filter((f) => f.type !== 'transport-cc') })),
    headerExtensions: caps.headerExtensions?.filter((h) => !h.uri.includes('transport-wide-cc')),
  };
}

/** Busy and total jiffies of all cores, from /proc/stat (busy = everything but idle and iowait). */
function machineTicks(): { busy: number; total: number } {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - (fields[4] ?? 0), total };
}
