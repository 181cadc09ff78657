/**
 * What a room costs as it grows, and what the layout saves. Rooms of 4 to 50 participants, each a
 * simulcast publisher (bench/sfu/simulcastSource.ts: three VP8 layers at 150 k / 500 k / 1.5 Mbps)
 * into one mediasoup worker, and a few simulated viewers (PlainTransports with SRTP off, sending
 * into the kernel sink of bench/sfu/sinks.ts) that receive the room two ways, side by side:
 * - Confab's layout (lib/client/room/layout.ts): at most ROOM_MAX_VISIBLE_VIDEOS (16) remote videos,
 *   each at the simulcast layer its grid tile needs in the 940×640 px a 1280×800 window leaves for
 *   videos; the others are avatars with nothing forwarded.
 * - everyone receiving every other participant at the full layer (what a fixed grid without a cap
 *   does).
 * Measured per viewer: the downlink (bytes the worker sent on its transport) and the worker CPU it
 * costs (the worker's CPU time over the window, less the cost of the publishers alone).
 */
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { arrange, fitGrid, type TileRef } from '../lib/client/room/layout';
import { layerForWidth } from '../lib/client/sfu/layers';
import { workerBinPath } from '../scripts/mediasoup-worker/ensure.mjs';
import { MEDIA_CODECS } from '../sfu/Room';
import { benchCommand } from './lib/command';
import { lineChart } from './lib/svgChart';
import type { Benchmark, BenchContext, BenchResult } from './lib/types';
import { repoRoot } from './lib/webServer';
import { SIMULCAST_PT, SimulcastSource } from './sfu/simulcastSource';
import { withoutTransportCc } from './sfu/rig';
import { openSink, type Sink } from './sfu/sinks';

const withoutBwe = (caps: types.RtpCapabilities): types.RtpCapabilities => {
  const noTcc = withoutTransportCc(caps);
  return {
    ...noTcc,
    codecs: noTcc.codecs?.map((c) => ({ ...c, rtcpFeedback: c.rtcpFeedback?.filter((f) => f.type !== 'goog-remb') })),
    headerExtensions: noTcc.headerExtensions?.filter((h) => !h.uri.includes('abs-send-time')),
  };
};

const SIZES = { smoke: [4], quick: [4, 9, 16, 25, 50], full: [4, 9, 16, 25, 50] } as const;
const SECONDS = { smoke: 1, quick: 3, full: 6 } as const;
/** Simulated viewers per size and policy: enough to average, few enough for 2 cores at 50. */
const VIEWERS = 3;
const MAX_VISIBLE = 16;
/** The videos' area in a 1280×800 window beside the side panel (what Grid.tsx measures there). */
const GRID_BOX = { width: 940, height: 640 };
const SETTLE_MS = 1200;

type Policy = 'layout' | 'everyone-full';

interface Point {
  size: number;
  policy: Policy;
  /** Remote videos each viewer receives, and at which layer. */
  videos: number;
  layer: number;
  downlinkMbps: number;
  cpuPctPerViewer: number;
}

/** What Confab's page would receive in a room of `size`: visible videos and their layer. */
function layoutFor(size: number): { videos: number; layer: number } {
  const tiles: TileRef[] = Array.from({ length: size }, (_, i) => ({ key: `u${i}:camera`, userId: `u${i}`, source: 'camera', self: i === 0 }));
  const layout = arrange({ tiles, mode: 'grid', pinned: null, spotlight: null, activeSpeaker: null, speakerOrder: [], maxVisible: MAX_VISIBLE, page: 0 });
  const fit = fitGrid(layout.shown.length, GRID_BOX);
  return { videos: layout.shown.length - 1, layer: layerForWidth(fit.width) };
}

async function cpuMs(worker: types.Worker): Promise<number> {
  const u = await worker.getResourceUsage();
  return u.ru_utime + u.ru_stime;
}

async function measureRoom(ctx: BenchContext, worker: types.Worker, sink: Sink, size: number): Promise<Point[]> {
  const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
  const sources: SimulcastSource[] = [];
  try {
    const producers: types.Producer[] = [];
    for (let i = 0; i < size; i++) {
      const ingest = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
      const ssrcs = [0x6000_0000 + i * 4, 0x6000_0001 + i * 4, 0x6000_0002 + i * 4] as const;
      producers.push(
        await ingest.produce({
          kind: 'video',
          rtpParameters: {
            codecs: [{ mimeType: 'video/VP8', payloadType: SIMULCAST_PT, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] }],
            encodings: ssrcs.map((ssrc, layer) => ({ ssrc, rid: `r${layer}`, scalabilityMode: 'L1T1' })),
          },
        }),
      );
      const source = new SimulcastSource(ssrcs, { ip: '127.0.0.1', port: ingest.tuple.localPort });
      await source.bind('127.0.0.1');
      source.start();
      sources.push(source);
    }
    // The publishers alone: what every policy pays before any viewer.
    await sleep(SETTLE_MS);
    const base = await window(worker, [], SECONDS[ctx.mode]);
    const points: Point[] = [];
    for (const policy of ['layout', 'everyone-full'] as const) {
      const { videos, layer } = policy === 'layout' ? layoutFor(size) : { videos: size - 1, layer: 2 };
      const viewers: types.PlainTransport[] = [];
      for (let v = 0; v < VIEWERS; v++) {
        const t = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: sink.listenIp, portRange: { min: 30000, max: 39999 } }, rtcpMux: true, comedia: false });
        await t.connect({ ip: sink.destIp, port: sink.port });
        // Viewer v sees everyone but "itself" (publisher v), the first `videos` of them.
        const others = producers.filter((_, i) => i !== v % size).slice(0, videos);
        // No bandwidth estimation: the sink sends no feedback, so an estimate would stay at its
        // initial 600 kbps and starve all but one consumer. A browser's estimate ramps up instead.
        const caps = withoutBwe(router.rtpCapabilities);
        for (const p of others) await t.consume({ producerId: p.id, rtpCapabilities: caps, preferredLayers: { spatialLayer: layer, temporalLayer: 0 } });
        viewers.push(t);
      }
      await sleep(SETTLE_MS);
      const w = await window(worker, viewers, SECONDS[ctx.mode]);
      for (const t of viewers) t.close();
      const point: Point = {
        size,
        policy,
        videos,
        layer,
        downlinkMbps: w.bytesSent / VIEWERS / SECONDS[ctx.mode] / 125_000,
        cpuPctPerViewer: Math.max(0, w.cpuPct - base.cpuPct) / VIEWERS,
      };
      ctx.log(`${size} in the room, ${policy}: ${videos} videos at layer ${layer}, ${point.downlinkMbps.toFixed(2)} Mbps and ${point.cpuPctPerViewer.toFixed(2)} % CPU per viewer (publishers alone ${base.cpuPct.toFixed(1)} %)`);
      points.push(point);
    }
    return points;
  } finally {
    for (const s of sources) s.close();
    router.close();
  }
}

/** Worker CPU % and bytes sent to `viewers` over `seconds`. */
async function window(worker: types.Worker, viewers: types.PlainTransport[], seconds: number) {
  const sent = async () => (await Promise.all(viewers.map(async (t) => (await t.getStats())[0]?.bytesSent ?? 0))).reduce((a, b) => a + b, 0);
  const [cpu0, bytes0] = [await cpuMs(worker), await sent()];
  await sleep(seconds * 1000);
  const [cpu1, bytes1] = [await cpuMs(worker), await sent()];
  return { cpuPct: ((cpu1 - cpu0) / (seconds * 1000)) * 100, bytesSent: bytes1 - bytes0 };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const benchmark: Benchmark = {
  id: 'room-scale',
  title: 'Cost as rooms grow',
  async run(ctx) {
    const sink = await openSink();
    const worker = await mediasoup.createWorker({ workerBin: workerBinPath(repoRoot) as string, logLevel: 'error' } as never);
    const points: Point[] = [];
    try {
      for (const size of SIZES[ctx.mode]) points.push(...(await measureRoom(ctx, worker, sink, size)));
    } finally {
      worker.close();
      sink.close();
    }
    return report(ctx, points);
  },
};

function report(ctx: BenchContext, points: Point[]): BenchResult {
  const sizes = [...new Set(points.map((p) => p.size))];
  const at = (size: number, policy: Policy) => points.find((p) => p.size === size && p.policy === policy)!;
  const rows = sizes.map((n) => {
    const l = at(n, 'layout');
    const f = at(n, 'everyone-full');
    return [
      n,
      `${l.videos} at layer ${l.layer}`,
      l.downlinkMbps.toFixed(2),
      f.downlinkMbps.toFixed(2),
      (f.downlinkMbps / Math.max(l.downlinkMbps, 0.001)).toFixed(1),
      l.cpuPctPerViewer.toFixed(2),
      f.cpuPctPerViewer.toFixed(2),
      `${n * l.videos} / ${n * (n - 1)}`,
    ];
  });
  const largest = sizes.at(-1)!;
  const big = { l: at(largest, 'layout'), f: at(largest, 'everyone-full') };
  return {
    id: 'room-scale',
    title: 'Cost as rooms grow',
    command: benchCommand('room-scale', ctx.mode),
    summary:
      `Rooms of ${sizes.join(', ')} simulcast publishers on one mediasoup worker, each viewer receiving the room through Confab's layout (at most ${MAX_VISIBLE} remote videos, each at the layer its tile needs in a 1280×800 window) or everyone at the full layer, side by side in one run. ` +
      `At ${largest}: ${big.l.downlinkMbps.toFixed(2)} Mbps and ${big.l.cpuPctPerViewer.toFixed(2)} % worker CPU per viewer with the layout, against ${big.f.downlinkMbps.toFixed(2)} Mbps and ${big.f.cpuPctPerViewer.toFixed(2)} % for everyone at full (×${(big.f.downlinkMbps / Math.max(big.l.downlinkMbps, 0.001)).toFixed(1)} the downlink). The room's forwarded streams grow as N × min(N − 1, ${MAX_VISIBLE}) instead of N × (N − 1).`,
    goalMet: null,
    tables: [
      {
        columns: ['Participants', 'Layout: videos per viewer', 'Layout downlink (Mbps/viewer)', 'Everyone full (Mbps/viewer)', 'Downlink ratio', 'Layout CPU (%/viewer)', 'Everyone full CPU (%/viewer)', 'Streams forwarded in the room (layout / everyone)'],
        rows,
      },
    ],
    charts: [
      {
        file: 'bench/room-scale.svg',
        svg: lineChart({
          title: 'Downlink per viewer as the room grows (measured), Mbps',
          series: [
            { name: "Confab's layout (cap 16, layer by tile size)", points: sizes.map((n) => [n, at(n, 'layout').downlinkMbps] as [number, number]) },
            { name: 'everyone at the full layer', points: sizes.map((n) => [n, at(n, 'everyone-full').downlinkMbps] as [number, number]) },
          ],
          xLabel: 'participants',
          yLabel: 'Mbps per viewer',
        }),
      },
    ],
    notes: [
      `Each size runs ${VIEWERS} simulated viewers per policy for ${SECONDS[ctx.mode]} s after ${SETTLE_MS} ms of settling; the CPU per viewer is the worker's CPU time over the window less a window with the publishers alone, divided by the viewers. Multiply by the participants for the whole room's cost (every participant is a viewer).`,
      'The layout column is what lib/client/room/layout.ts and lib/client/sfu/layers.ts pick for a grid (the same code the page runs): the layer follows the tile width (≥ 560 px full, ≥ 240 px half, smaller a quarter). Speaker view costs less still (one large tile, a filmstrip at the lowest layer).',
      'Publishers are synthetic RTP (real VP8 payload descriptors with picture ids, no encoder), so the 2-core machine spends itself on the worker being measured. Audio is left out: it is the same for both policies (every microphone is heard).',
    ],
  };
}
