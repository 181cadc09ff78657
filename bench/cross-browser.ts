/**
 * Firefox beside Chromium, in one run: 1:1 call set-up and room join time for every pairing of the
 * two browsers, against one server in a network namespace (bench/lib/crossBrowser.ts), so that
 * Firefox's media crosses a real (virtual) link and Chromium-only figures come from the same run.
 * Pairings take turns run by run, so a noisy moment on this shared machine hits them all alike.
 *
 * - Call set-up: the callee's click on "Accept" → first remote video frame presented on both sides.
 * - Room join: a joiner's click on "Join", in a room where one person (the other browser) sends
 *   camera and microphone → the joiner's first remote video frame presented.
 */
import { startCrossBrowserRig } from './lib/crossBrowser';
import { chromiumUser, firefoxUser, type BrowserKind, type DrivenUser } from './lib/browserDriver';
import { benchCommand } from './lib/command';
import { launchFirefox } from './lib/firefox';
import { failureReport, latencyChart, latencyRow, LATENCY_COLUMNS, median } from './lib/latency';
import { armFirstFrame, readFirstFrame, type ProbeReading } from './lib/pageProbe';
import { sendLayers, type SendLayer } from './lib/sendLayers';
import { summarize } from './lib/stats';
import type { BenchMode, BenchResult, Benchmark } from './lib/types';
import { vethUnavailable } from './lib/vethNamespace';

const runs: Record<BenchMode, number> = { smoke: 1, quick: 6, full: 20 };
const KINDS: BrowserKind[] = ['chromium', 'firefox'];
const PAIRS: [BrowserKind, BrowserKind][] = KINDS.flatMap((a) => KINDS.map((b) => [a, b] as [BrowserKind, BrowserKind]));
const label = ([a, b]: [BrowserKind, BrowserKind]) => `${a === 'chromium' ? 'Chromium' : 'Firefox'} → ${b === 'chromium' ? 'Chromium' : 'Firefox'}`;
const REMOTE_CALL_VIDEO = '[data-testid="remote-video"] video';
const REMOTE_TILE_VIDEO = '[data-testid="room-tile"]:not([data-self]) video';
const SENT_WINDOW_MS = 3000;

type Users = Record<BrowserKind, [DrivenUser, DrivenUser]>;

export const benchmark: Benchmark = {
  id: 'cross-browser',
  title: 'Firefox and Chromium',
  async run(ctx) {
    const unavailable = vethUnavailable();
    if (unavailable) throw new Error(`the cross-browser benchmark needs a network namespace: ${unavailable}`);
    const rig = await startCrossBrowserRig(8, ctx.log, {
      CALL_INVITE_RATE_LIMIT: '100000',
      // A run that fails leaves its call to the server's reconnect grace: keep it short.
      CALL_RECONNECT_GRACE_MS: '2000',
    });
    // A second Firefox for the second Firefox user: two users in one Firefox are two tabs, and the
    // one in the background gets no animation frames (no rendering, no requestVideoFrameCallback).
    let secondFirefox: Awaited<ReturnType<typeof launchFirefox>> | undefined;
    try {
      secondFirefox = await launchFirefox({ secureHost: rig.ns.address, iceInterface: rig.ns.rootIface });
      const users: Users = {
        chromium: [await chromiumUser(rig.chromium, rig.origin, 'CrA'), await chromiumUser(rig.chromium, rig.origin, 'CrB')],
        firefox: [await firefoxUser(rig.firefox, rig.origin, 'FfA'), await firefoxUser(secondFirefox, rig.origin, 'FfB')],
      };
      const calls = new Map<string, CallSample[]>(PAIRS.map((p) => [label(p), []]));
      const joins = new Map<string, number[]>(PAIRS.map((p) => [label(p), []]));
      const sent: Record<BrowserKind, SendLayer[][]> = { chromium: [], firefox: [] };
      const failures: string[] = [];
      const attempt = async <T extends number | CallSample>(what: string, fn: () => Promise<T>, into: T[]) => {
        try {
          const sample = await fn();
          into.push(sample);
          ctx.log(`${what}: ${Math.round(typeof sample === 'number' ? sample : sample.both)} ms`);
        } catch (err) {
          failures.push(`${what}: ${(err as Error).message.split('\n')[0]}`);
          ctx.log(`${what} failed: ${(err as Error).message.split('\n')[0]}`);
        }
      };
      // One warm-up of each (not counted; none in smoke mode), then the runs, pairings in turn.
      for (let run = ctx.mode === 'smoke' ? 0 : -1; run < runs[ctx.mode]; run++) {
        for (const pair of PAIRS) {
          const [a, b] = pair;
          const caller = users[a][0];
          const callee = a === b ? users[b][1] : users[b][0];
          await attempt<CallSample>(`call ${label(pair)}`, () => callOnce(caller, callee), run < 0 ? [] : calls.get(label(pair))!);
          // In a room: `a` is inside already, `b` joins.
          await attempt<number>(`join ${label(pair)}`, () => joinOnce(caller, callee, run < 0 ? [] : sent[a]), run < 0 ? [] : joins.get(label(pair))!);
        }
      }
      return report(ctx.mode, calls, joins, sent, failures);
    } finally {
      await secondFirefox?.close().catch(() => undefined);
      await rig.close();
    }
  },
};

/** One call, in ms after the callee's click on Accept (NaN: the page did not report that step). */
interface CallSample {
  both: number;
  calleeCamera: number;
  calleeConnected: number;
  callerConnected: number;
  calleeFrame: number;
  callerFrame: number;
}

const CALL_STEPS: [string, keyof CallSample][] = [
  ["callee's camera delivered (getUserMedia)", 'calleeCamera'],
  ['callee connected (ICE + DTLS)', 'calleeConnected'],
  ['caller connected', 'callerConnected'],
  ['first remote frame presented at the callee', 'calleeFrame'],
  ['first remote frame presented at the caller', 'callerFrame'],
];

async function callOnce(caller: DrivenUser, callee: DrivenUser): Promise<CallSample> {
  await Promise.all([caller.open('/lobby'), callee.open('/lobby')]);
  const entry = `[data-testid="lobby-user"][data-user-name="${callee.name}"][data-status="available"]`;
  await caller.waitFor(entry);
  await Promise.all([armFirstFrame(caller.probe, REMOTE_CALL_VIDEO), armFirstFrame(callee.probe, REMOTE_CALL_VIDEO)]);
  await caller.click(entry, `Call ${callee.name}`);
  await callee.click('[data-testid="incoming-call"]', 'Accept');
  const [atCallee, atCaller] = await Promise.all([readFirstFrame(callee.probe, 'Accept', 20_000), readFirstFrame(caller.probe, 'Accept', 20_000)]);
  if (atCallee.click === null) throw new Error('the click on Accept was not seen in the page');
  const clickAt = atCallee.origin + atCallee.click;
  const at = (r: ProbeReading, t: number | null | undefined) => (t == null ? NaN : r.origin + t - clickAt);
  const sample: CallSample = {
    both: Math.max(at(atCallee, atCallee.frame.presented), at(atCaller, atCaller.frame.presented)),
    calleeCamera: at(atCallee, atCallee.media[0]?.end),
    calleeConnected: at(atCallee, atCallee.peers[0]?.connected),
    callerConnected: at(atCaller, atCaller.peers[0]?.connected),
    calleeFrame: at(atCallee, atCallee.frame.presented),
    callerFrame: at(atCaller, atCaller.frame.presented),
  };
  await callee.press('[data-testid="hangup"]');
  await Promise.all([onPath(caller, /\/lobby$/), onPath(callee, /\/lobby$/)]);
  return sample;
}

/**
 * `sent`: what the person inside sends once the joiner decodes (its simulcast encodings over
 * SENT_WINDOW_MS), to compare how each browser spends its uplink.
 */
async function joinOnce(inside: DrivenUser, joiner: DrivenUser, sent: SendLayer[][]): Promise<number> {
  await inside.open('/lobby');
  await inside.fill('Room name', 'Cross-browser');
  await inside.click('main', 'Create room');
  await onPath(inside, /^\/room\//);
  const roomPath = new URL(inside.probe.url()).pathname;
  await inside.click('main', 'Join');
  await inside.waitFor('[data-testid="room"]');
  try {
    await joiner.open(roomPath);
    await armFirstFrame(joiner.probe, REMOTE_TILE_VIDEO);
    await joiner.click('main', 'Join');
    const r = await readFirstFrame(joiner.probe, 'Join', 20_000);
    if (r.click === null) throw new Error('the click on Join was not seen in the page');
    sent.push(await sendLayers(inside.probe, SENT_WINDOW_MS));
    await joiner.click('main', 'Leave');
    await onPath(joiner, /\/lobby$/);
    return r.frame.presented - r.click;
  } finally {
    await inside.click('main', 'Leave').catch(() => undefined);
    await onPath(inside, /\/lobby$/).catch(() => undefined);
  }
}

/** Waits until the page is on a path matching `re` (the app navigates by itself after a hang-up or a leave). */
async function onPath(user: DrivenUser, re: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!re.test(new URL(user.probe.url()).pathname)) {
    if (Date.now() > deadline) throw new Error(`${user.kind} stayed on ${new URL(user.probe.url()).pathname}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function report(
  mode: BenchMode,
  callSamples: Map<string, CallSample[]>,
  joins: Map<string, number[]>,
  sent: Record<BrowserKind, SendLayer[][]>,
  failures: string[],
): BenchResult {
  const failed = failureReport(failures, 'runs');
  const calls = new Map([...callSamples].map(([pair, s]) => [pair, s.map((x) => x.both)]));
  const steps = {
    columns: ['Call step (median, ms after the click on Accept)', ...PAIRS.map(label)],
    rows: CALL_STEPS.map(([what, key]) => [what, ...PAIRS.map((p) => fmt(median((callSamples.get(label(p)) ?? []).map((x) => (Number.isFinite(x[key]) ? x[key] : null)))))]),
  };
  const rows = (what: string, data: Map<string, number[]>) =>
    [...data].filter(([, s]) => s.length > 0).map(([pair, s]) => latencyRow(`${what}: ${pair}`, summarize(s), ''));
  const p50 = (data: Map<string, number[]>, pair: string) => {
    const s = data.get(pair) ?? [];
    return s.length ? `${Math.round(summarize(s).p50)} ms` : 'no runs';
  };
  const cc = 'Chromium → Chromium';
  return {
    id: 'cross-browser',
    title: 'Firefox and Chromium',
    command: benchCommand('cross-browser', mode),
    summary:
      `Every pairing of Chromium and Firefox, runs taking turns in one run, against one server in a network namespace. ` +
      `1:1 call set-up (click on Accept → first remote frame on both sides), p50: ${PAIRS.map((p) => `${label(p)} ${p50(calls, label(p))}`).join(', ')}. ` +
      `Room join (click on Join → first remote frame at the joiner; the first browser named is inside, the second joins), p50: ` +
      `${PAIRS.map((p) => `${label(p)} ${p50(joins, label(p))}`).join(', ')}. Chromium-only figures (${cc}) are the baseline from the same run.${failed.sentence}`,
    goalMet: null,
    tables: [{ columns: LATENCY_COLUMNS, rows: [...rows('Call set-up', calls), ...rows('Room join', joins)] }, steps, sentTable(sent)],
    charts: [
      {
        file: 'bench/cross-browser.svg',
        svg: latencyChart(
          'Firefox and Chromium: call set-up and room join (CDF over runs)',
          [
            ...[...calls].map(([pair, samples]) => ({ name: `call ${pair}`, samples })),
            ...[...joins].map(([pair, samples]) => ({ name: `join ${pair}`, samples })),
          ].filter((s) => s.samples.length > 0),
          [],
        ),
      },
    ],
    notes: [...failed.notes, ...findings(mode)],
  };
}

const fmt = (v: number) => (Number.isFinite(v) ? Math.round(v) : '–');

/** Median rate per simulcast encoding of the sender inside the room, by browser. */
function sentTable(sent: Record<BrowserKind, SendLayer[][]>) {
  const rids = ['r0', 'r1', 'r2'];
  const cell = (kind: BrowserKind, rid: string, pick: (l: SendLayer) => number) =>
    fmt(median(sent[kind].map((layers) => { const l = layers.find((x) => x.rid === rid); return l ? pick(l) : null; })));
  return {
    columns: [`Sent by the person inside (median of ${SENT_WINDOW_MS / 1000} s windows once the joiner decodes)`, ...rids.map((r) => `${r} kbps (width px)`)],
    rows: KINDS.map((kind) => [
      kind === 'chromium' ? 'Chromium' : 'Firefox',
      ...rids.map((rid) => `${cell(kind, rid, (l) => l.kbps)} (${cell(kind, rid, (l) => l.width)})`),
    ]),
  };
}

/** What the runs and tests/e2e/firefox.spec.ts found (static text: docs/BENCHMARKS.md carries it with the numbers). */
export function findings(mode: BenchMode): string[] {
  return [
    `${runs[mode]} runs per pairing${mode === 'smoke' ? '' : ', after one warm-up of each'}; pairings take turns. The server (web process and SFU node) and Chromium run inside a network namespace at 10.252.8.2; each Firefox (one process per Firefox user: a second user in the same Firefox would be a background tab, which gets no animation frames) runs outside it and gathers candidates on the veth's root end only. Fake camera and microphone in both browsers (Chromium 1280×720, Firefox 1280×720 asked of its 640×480 default).`,
    'Where the time goes (the step table, from each page\'s own RTCPeerConnection events and requestVideoFrameCallback): the callee\'s camera, then ICE + DTLS, then the first key frame. Chromium → Chromium is the slowest pairing here: both of its fake cameras are slower to deliver than Firefox\'s, and it reaches "connected" later; Firefox\'s side of a call is not what holds anyone back.',
    'Firefox simulcast (the last table, and tests/e2e/firefox.spec.ts): the encodings map to layers the right way round in Firefox too — rid r0 is the 320 px picture, r2 the 1280 px one, in Firefox\'s own getStats() and in what a Chromium viewer decodes from the SFU at each tile size. What is odd is Firefox\'s rate: its 320 px encoding sends about 1.1 Mbps although its maxBitrate is 150 kbps (getParameters() shows the caps as given, r0 150k / r1 500k / r2 1.5M). Changing the caps live (setParameters) showed that Firefox limits r0 by the larger of r0\'s and r2\'s maxBitrate, while r1 and r2 keep their own: with r2 at 100k, r0 stays near its own cap; with r2 at 1.5M, r0 climbs towards 1 Mbps. Neither Confab nor mediasoup-client reorders anything (mediasoup-client\'s Firefox handler passes the encodings verbatim with rids r0…r2); it is Firefox\'s encoder. A workaround would have to lower r2\'s cap, which costs the large tiles their picture, so none is applied: the SFU still forwards the right layer to each tile, the cost is Firefox\'s uplink.',
  ];
}
