/**
 * Decoded width per tile: four people in a room, each in a 1280×800 window (the grid picks 2 × 2),
 * in Debian's Chromium against the production server. Measured in each page, after the layers have
 * settled: the frame width each remote video decodes (getStats, inbound-rtp), next to the CSS width
 * of its tile. Goal: every remote tile at ≥ 640 px (the middle simulcast layer or better).
 */
import { openSignedIn, signUp, withServerAndBrowser, type BenchUser } from './lib/browser';
import { benchCommand } from './lib/command';
import { trackPeerConnections } from './lib/peerConnections';
import type { BenchMode, BenchResult, Benchmark } from './lib/types';

const GOAL_PX = 640;
const PEOPLE = 4;
const rounds: Record<BenchMode, number> = { smoke: 1, quick: 3, full: 6 };

interface TileReading {
  viewer: string;
  /** Decoded widths of the remote videos that are advancing, widest first. */
  decoded: number[];
  /** CSS widths of the remote tiles on the page. */
  tiles: number[];
}

/** In the page: decoded width per advancing inbound video, and the remote tiles' CSS widths. */
function readTiles() {
  return (async () => {
    const w = window as unknown as { __pcs: RTCPeerConnection[] };
    const frames = async () => {
      const out = new Map<string, { decoded: number; width: number }>();
      for (const pc of w.__pcs.filter((p) => p.connectionState !== 'closed')) {
        (await pc.getStats()).forEach((s: Record<string, unknown>) => {
          if (s.type !== 'inbound-rtp' || s.kind !== 'video' || s.ssrc === 1234) return;
          out.set(String(s.ssrc), { decoded: Number(s.framesDecoded ?? 0), width: Number(s.frameWidth ?? 0) });
        });
      }
      return out;
    };
    const a = await frames();
    await new Promise((r) => setTimeout(r, 1000));
    const b = await frames();
    const decoded = [...b].filter(([ssrc, x]) => x.decoded > (a.get(ssrc)?.decoded ?? Infinity)).map(([, x]) => x.width);
    const tiles = [...document.querySelectorAll('[data-testid="room-tile"]:not([data-self])')].map((t) => Math.round(t.getBoundingClientRect().width));
    return { decoded: decoded.sort((x, y) => y - x), tiles };
  })();
}

export const benchmark: Benchmark = {
  id: 'tile-width',
  title: 'Decoded width per tile',
  run: (ctx) =>
    withServerAndBrowser({ log: ctx.log }, async (browser, baseURL) => {
      const users: BenchUser[] = [];
      for (let i = 0; i < PEOPLE; i++) {
        const u = await signUp(browser, baseURL, `Tile${i}`);
        await u.context.addInitScript(trackPeerConnections);
        await u.page.setViewportSize({ width: 1280, height: 800 });
        users.push(u);
      }
      const [host, ...rest] = users;
      await openSignedIn(host!, '/lobby');
      await host!.page.getByLabel('Room name').fill('Tiles');
      await host!.page.getByRole('button', { name: 'Create room' }).click();
      await host!.page.waitForURL(/\/room\//);
      const roomPath = new URL(host!.page.url()).pathname;
      for (const u of [host!, ...rest]) {
        if (u !== host) await openSignedIn(u, roomPath);
        await u.page.getByRole('button', { name: 'Join', exact: true }).click();
        await u.page.getByTestId('room').waitFor();
      }
      const readings: TileReading[] = [];
      for (let round = 0; round < rounds[ctx.mode]; round++) {
        // Layers settle: the SFU starts every consumer on the lowest layer, the page then asks for its tile's.
        const deadline = Date.now() + 20_000;
        let these: TileReading[] = [];
        do {
          await new Promise((r) => setTimeout(r, 1000));
          these = await Promise.all(users.map(async (u) => ({ viewer: u.name, ...(await u.page.evaluate(readTiles)) })));
        } while (Date.now() < deadline && !these.every((r) => r.decoded.length === PEOPLE - 1 && Math.min(...r.decoded) >= GOAL_PX));
        for (const r of these) ctx.log(`${r.viewer}: decodes ${r.decoded.join(', ')} px in tiles of ${r.tiles.join(', ')} px`);
        readings.push(...these);
      }
      return report(ctx.mode, readings);
    }),
};

function report(mode: BenchMode, readings: TileReading[]): BenchResult {
  const all = readings.flatMap((r) => r.decoded);
  const tiles = readings.flatMap((r) => r.tiles);
  const complete = readings.every((r) => r.decoded.length === PEOPLE - 1);
  const min = all.length ? Math.min(...all) : 0;
  const met = complete && min >= GOAL_PX;
  return {
    id: 'tile-width',
    title: 'Decoded width per tile',
    command: benchCommand('tile-width', mode),
    summary:
      `${PEOPLE} people in a room, each in a 1280×800 window: every page decodes the ${PEOPLE - 1} others at ${[...new Set(all)].sort((a, b) => a - b).join(' / ')} px ` +
      `(tiles ${Math.min(...tiles)}–${Math.max(...tiles)} px wide on the page). Goal ≥ ${GOAL_PX} px for every remote tile: ${met ? 'met' : `missed (narrowest ${min} px${complete ? '' : ', and not every remote video was decoding'})`}.`,
    goalMet: mode === 'smoke' ? null : met,
    tables: [
      {
        columns: ['Viewer (sample)', 'Decoded widths of the remote videos (px)', 'Remote tiles on the page (CSS px)'],
        rows: readings.map((r, i) => [`${r.viewer} (${Math.floor(i / PEOPLE) + 1})`, r.decoded.join(', ') || '–', r.tiles.join(', ')]),
      },
    ],
    charts: [],
    notes: [
      `${rounds[mode]} sample(s) per viewer, each over 1 s once the layers have settled (or 20 s passed). The grid (lib/client/room/layout.ts) gives four people at 1280×800 a 2 × 2 layout; lib/client/sfu/layers.ts asks for the middle layer (640 px) from 240 px of tile width and the full one from 560 px. The camera is Chromium's fake 1280×720 device, sent as three simulcast layers (320 / 640 / 1280).`,
      'Before the grid (one row of four tall tiles about 225 px wide), every remote video came at the 320 px layer.',
    ],
  };
}
