/**
 * Joining a full room: a fresh participant joins a room where N others already send camera and
 * microphone (ffmpeg publishers seated through the web process, bench/rooms/publishers.ts), in
 * Debian's Chromium against the production server. Measured in the joiner's page: from the click on
 * "Join" to a presented frame on every one of the N remote videos.
 *
 * Side by side, in the same run and the same room on the same SFU node: a bare page with only
 * mediasoup-client joins through the node's RPC (bench/rooms/bare.ts). Confab's time as a ratio of
 * the bare one is the figure that carries from one machine to another.
 * Goals: 3 others p50 < 600 ms, 8 others p50 < 1 s.
 */
import type { Browser } from '@playwright/test';
import { parseSfuConfig } from '../sfu/config';
import { startSfuNode } from '../sfu/node';
import { testLog } from '../tests/support/sfu';
import { launchBrowser, openSignedIn, signUp } from './lib/browser';
import { benchCommand } from './lib/command';
import { failureReport, latencyChart, LATENCY_COLUMNS, latencyRow, median } from './lib/latency';
import { summarize, versusGoal } from './lib/stats';
import type { BenchMode, BenchResult, Benchmark, BenchTable } from './lib/types';
import { startWebServer } from './lib/webServer';
import { bareJoiner, type BareJoiner } from './rooms/bare';
import { armAllFrames, readAllFrames } from './rooms/frames';
import { startPublishers } from './rooms/publishers';

const SECRET = 'bench-room-join-secret-0123456789';
const REMOTE_VIDEO = '[data-testid="room-tile"]:not([data-self]) video';
const GOALS: Record<number, number> = { 3: 600, 8: 1000 };
const plan: Record<BenchMode, { sizes: number[]; warmups: number; runs: number }> = {
  smoke: { sizes: [3], warmups: 1, runs: 1 },
  quick: { sizes: [3, 8], warmups: 1, runs: 8 },
  full: { sizes: [3, 8], warmups: 2, runs: 20 },
};

/** Steps of a Confab join, ms after the click (the page's performance marks, lib/client/room/RoomSession.ts). */
const STEPS = [
  ['room:join sent', 'confab:join-sent', 'first'],
  ['room:join answered', 'confab:join-answered', 'first'],
  ['transports created in the page', 'confab:transports-ready', 'first'],
  ['first consumer pushed to the page', 'confab:consumer-offered', 'first'],
  ['last consumer accepted (acked)', 'confab:consumer-accepted', 'last'],
  ['receive transport connected (ICE, DTLS)', 'confab:recv-connected', 'first'],
  ['first packets of every remote video', 'confab:consumer-flowing', 'last'],
  ['own camera and mic produced', 'confab:sending', 'first'],
] as const;

type Steps = Record<string, number | null>;

interface SizeResult {
  others: number;
  steps: Steps[];
  confab: number[];
  bare: number[];
  failures: string[];
}

export const benchmark: Benchmark = {
  id: 'room-join',
  title: 'Joining a full room',
  async run(ctx) {
    const node = await startSfuNode(
      parseSfuConfig({ SFU_SECRET: SECRET, SFU_LISTEN_IP: '127.0.0.1', SFU_RPC_PORT: '0', SFU_WORKERS: '2', SFU_RTC_MIN_PORT: '45000', SFU_RTC_MAX_PORT: '45999', LOG_LEVEL: 'silent' }),
      testLog,
    );
    try {
      const server = await startWebServer({ env: { SFU_URLS: node.url, SFU_SECRET: SECRET }, log: ctx.log });
      try {
        const browser = await launchBrowser();
        try {
          const results: SizeResult[] = [];
          for (const others of plan[ctx.mode].sizes) results.push(await measureSize(ctx, browser, node, server.url, others));
          return report(ctx.mode, results);
        } finally {
          await browser.close();
        }
      } finally {
        await server.stop();
      }
    } finally {
      await node.close();
    }
  },
};

async function measureSize(
  ctx: Parameters<Benchmark['run']>[0],
  browser: Browser,
  node: Awaited<ReturnType<typeof startSfuNode>>,
  baseURL: string,
  others: number,
): Promise<SizeResult> {
  const publishers = await startPublishers(node, baseURL, others, String(others));
  let bare: BareJoiner | undefined;
  try {
    bare = await bareJoiner(browser, baseURL, node, SECRET, publishers.roomId);
    ctx.log(`room with ${others} publishers open`);
    const result: SizeResult = { others, steps: [], confab: [], bare: [], failures: [] };
    const { warmups, runs } = plan[ctx.mode];
    for (let i = 0; i < warmups + runs; i++) {
      // Alternating, so that a noisy stretch of the machine hits both alike.
      for (const which of ['confab', 'bare'] as const) {
        try {
          let ms: number;
          if (which === 'confab') {
            const run = await confabJoin(browser, baseURL, publishers.slug, others);
            ms = run.ms;
            if (i >= warmups) result.steps.push(run.steps);
          } else ms = await bare.join(others);
          if (i >= warmups) result[which].push(ms);
          ctx.log(`${others} others, ${which}${i < warmups ? ' (warm-up)' : ''}: every remote video after ${Math.round(ms)} ms`);
        } catch (err) {
          result.failures.push(`${which}: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    return result;
  } finally {
    await bare?.close();
    await publishers.close();
  }
}

/** A fresh account opens the room page, clicks Join, and waits for a frame on each remote video. */
async function confabJoin(browser: Browser, baseURL: string, slug: string, others: number): Promise<{ ms: number; steps: Steps }> {
  const user = await signUp(browser, baseURL, 'Joiner');
  try {
    await openSignedIn(user, `/room/${slug}`);
    const join = user.page.getByRole('button', { name: 'Join', exact: true });
    await join.and(user.page.locator(':enabled')).waitFor();
    await armAllFrames(user.page, REMOTE_VIDEO);
    await join.click();
    const last = await readAllFrames(user.page, others);
    // Our own media starts after the others' first pictures: wait for it, so the steps table shows when.
    await user.page.waitForFunction(() => performance.getEntriesByName('confab:sending').length > 0, null, { timeout: 5000 }).catch(() => undefined);
    const { click, marks } = await user.page.evaluate(() => ({
      click: (window as unknown as { __bench: { clicks: { label: string; t: number }[] } }).__bench.clicks.filter((c) => c.label === 'Join').at(-1)?.t,
      marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const),
    }));
    if (click === undefined) throw new Error('the click on Join was not seen in the page');
    const steps: Steps = {};
    for (const [label, name, which] of STEPS) {
      const times = marks.filter(([n, t]) => n === name && t >= click).map(([, t]) => t - click);
      steps[label] = times.length ? (which === 'first' ? Math.min(...times) : Math.max(...times)) : null;
    }
    await user.page.getByRole('button', { name: 'Leave' }).click();
    await user.page.waitForURL(/\/lobby$/);
    return { ms: last - click, steps };
  } finally {
    await user.context.close();
  }
}

function report(mode: BenchMode, results: SizeResult[]): BenchResult {
  const rows: BenchTable['rows'] = [];
  const ratios: string[] = [];
  let met = true;
  for (const r of results) {
    if (!r.confab.length || !r.bare.length) {
      met = false;
      continue;
    }
    const confab = summarize(r.confab);
    const bare = summarize(r.bare);
    const goal = GOALS[r.others];
    const verdict = goal ? versusGoal(confab.p50, goal, (v) => `${Math.round(v)} ms`) : null;
    if (verdict && !verdict.met) met = false;
    rows.push(latencyRow(`Confab, ${r.others} others`, confab, goal ? `p50 < ${goal}` : '–'));
    rows.push(latencyRow(`bare mediasoup-client, ${r.others} others`, bare, '–'));
    ratios.push(`${r.others} others: Confab p50 ${Math.round(confab.p50)} ms against bare ${Math.round(bare.p50)} ms (×${(confab.p50 / bare.p50).toFixed(2)})${verdict ? `, goal ${verdict.text}` : ''}`);
  }
  const failures = results.flatMap((r) => r.failures.map((f) => `${r.others} others, ${f}`));
  const failed = failureReport(failures, 'joins');
  return {
    id: 'room-join',
    title: 'Joining a full room',
    command: benchCommand('room-join', mode),
    summary:
      `A fresh participant joins a room where others already send camera and microphone; from the click on "Join" to a presented frame on every remote video, timed in the joiner's page. ` +
      `Side by side, a bare page with only mediasoup-client joins the same room on the same SFU node through its RPC. ${ratios.join('; ')}.${failed.sentence}`,
    goalMet: mode === 'smoke' ? null : met && failures.length === 0,
    tables: [
      { columns: LATENCY_COLUMNS, rows },
      {
        columns: ['Step of a Confab join (median over runs)', ...results.map((r) => `${r.others} others (ms after the click)`)],
        rows: [
          ...STEPS.map(([label]) => [label, ...results.map((r) => fmt(median(r.steps.map((s) => s[label] ?? null))))]),
          ['every remote video presented', ...results.map((r) => fmt(median(r.confab)))],
        ],
      },
    ],
    charts: [
      {
        file: 'bench/room-join.svg',
        svg: latencyChart(
          'Joining a full room: click on Join to every remote video presented (CDF over runs)',
          results.flatMap((r) => [
            { name: `Confab, ${r.others} others`, samples: r.confab },
            { name: `bare, ${r.others} others`, samples: r.bare },
          ]),
          Object.entries(GOALS).map(([n, ms]) => ({ axis: 'x' as const, value: ms, label: `goal ${n} others p50 < ${ms} ms` })),
        ),
      },
    ],
    notes: [
      ...failed.notes,
      `Where the time goes (step medians): ${results
        .map((r) => {
          const at = (label: string) => median(r.steps.map((s) => s[label] ?? null));
          const ms = (v: number) => `${Math.round(v)} ms`;
          return `${r.others} others: the join's answer ${ms(at('room:join answered'))}; the node's ${r.others * 2} consumers reach the page as one batch ${ms(at('first consumer pushed to the page') - at('transports created in the page'))} after its transports, and are accepted in one renegotiation ${ms(at('last consumer accepted (acked)') - at('first consumer pushed to the page'))} later; the receive transport is connected (ICE, DTLS) ${ms(at('receive transport connected (ICE, DTLS)') - at('last consumer accepted (acked)'))} after that, and every video's first packets come ${ms(at('first packets of every remote video') - at('receive transport connected (ICE, DTLS)'))} later (the resumes, each publisher's next key frame, on a CPU shared with ${r.others} ffmpeg encoders); the bare page pays these alike`;
        })
        .join('; ')}.`,
      'The people already inside are ffmpeg publishers (VP8 320×240 at 30 fps with a key frame every 100 ms, and opus), each seated through the web process like any participant, their RTP fed into PlainTransport producers on their own peer\'s router. The SFU node runs in the benchmark\'s process; the web process is the production server.ts.',
      'Confab: a new account per run opens the room page and waits until the Join button is enabled (camera preview ready; the page has loaded its mediasoup device meanwhile), then clicks Join. The bare page loads its device once, before the runs, and each run joins a new peer: peer:join, then it consumes every consumer the node announces, resuming each, and waits for each video\'s first frame.',
    ],
  };
}

const fmt = (v: number) => (Number.isFinite(v) ? Math.round(v) : '–');
