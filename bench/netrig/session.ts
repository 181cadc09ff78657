/**
 * Confab under the network-fault rig: the production server listening on the rig's server address,
 * one Chromium per test host (inside that host's namespace), signed-in users, and the two ways
 * they meet (a 1:1 call through the lobby UI, a room). Plus what the benchmark reads from the
 * pages: inbound video getStats() per stream.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { freePort } from '../../lib/server/net/freePort';
import { openSignedIn, signUp, type BenchUser } from '../lib/browser';
import { trackPeerConnections } from '../lib/peerConnections';
import { startWebServer, type WebServer } from '../lib/webServer';
import { createNetHost, prepareRoot, SERVER_ADDRESS, type NetHost } from './rig';

export interface RigUser extends BenchUser {
  host: NetHost;
  /** The app's console warnings (e.g. the signalling connection being replaced), on the wall clock. */
  warnings: { t: number; what: string }[];
}

export interface Rig {
  server: WebServer;
  origin: string;
  hosts: NetHost[];
  users: RigUser[];
  close(): Promise<void>;
}

/** Inbound video per stream (id → counters), from every peer connection of the page. */
export type VideoCounters = Record<string, { framesDecoded: number; freezeCount: number; totalFreezesDuration: number; framesDropped: number }>;

/** Every ICE connection state change of every peer connection, on the wall clock (an init script). */
function logIceStates() {
  const w = window as unknown as { __iceLog: { t: number; pc: number; state: string }[] };
  w.__iceLog = [];
  const Native = window.RTCPeerConnection;
  let n = 0;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      const pc = n++;
      this.addEventListener('iceconnectionstatechange', () => w.__iceLog.push({ t: Date.now(), pc, state: this.iceConnectionState }));
    }
  } as typeof RTCPeerConnection;
}

/** What happened on a page since `since` (wall clock): ICE states and the app's console warnings, as "+1.2 s what". */
export async function timeline(user: RigUser, since: number): Promise<string[]> {
  const ice = await user.page.evaluate(() => (window as unknown as { __iceLog: { t: number; pc: number; state: string }[] }).__iceLog);
  return [...ice.map((e) => ({ t: e.t, what: `ICE ${e.state} (pc ${e.pc})` })), ...user.warnings]
    .filter((e) => e.t >= since)
    .sort((a, b) => a.t - b.t)
    .map((e) => `+${((e.t - since) / 1000).toFixed(1)} s ${e.what}`);
}

export function videoCounters(page: Page): Promise<VideoCounters> {
  return page.evaluate(async () => {
    const out: Record<string, { framesDecoded: number; freezeCount: number; totalFreezesDuration: number; framesDropped: number }> = {};
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    for (const [i, pc] of pcs.entries()) {
      if (pc.connectionState === 'closed') continue;
      for (const s of (await pc.getStats()).values()) {
        // mediasoup-client's probator (ssrc 1234) never decodes anything; every real stream does.
        if (s.type !== 'inbound-rtp' || s.kind !== 'video' || s.ssrc === 1234) continue;
        out[`${i}:${s.ssrc}`] = {
          framesDecoded: s.framesDecoded ?? 0,
          freezeCount: s.freezeCount ?? 0,
          totalFreezesDuration: s.totalFreezesDuration ?? 0,
          framesDropped: s.framesDropped ?? 0,
        };
      }
    }
    return out;
  });
}

export async function startRig(hostCount: number, log: (msg: string) => void): Promise<Rig> {
  const undoRoot = prepareRoot();
  const hosts: NetHost[] = [];
  const browsers: Browser[] = [];
  let server: WebServer | undefined;
  const close = async () => {
    await Promise.allSettled(browsers.map((b) => b.close()));
    await server?.stop();
    for (const h of hosts) h.close();
    undoRoot();
  };
  try {
    for (let i = 1; i <= hostCount; i++) hosts.push(await createNetHost(i));
    const port = await freePort();
    const origin = `http://${SERVER_ADDRESS}:${port}`;
    server = await startWebServer({
      log,
      port,
      env: {
        PUBLIC_URL: origin,
        SFU_LISTEN_IP: SERVER_ADDRESS,
        PRESENCE_LINGER_MS: '500',
        CALL_RECONNECT_GRACE_MS: '30000',
      },
    });
    const users: RigUser[] = [];
    for (const host of hosts) {
      const launch = config.use?.launchOptions ?? {};
      const browser = await chromium.launch({
        ...launch,
        headless: true,
        executablePath: host.chromium,
        // The page is served over plain http on a non-loopback address: camera and microphone
        // need a secure context, which this flag grants to that one origin.
        args: [...(launch.args ?? []), `--unsafely-treat-insecure-origin-as-secure=${origin}`],
      });
      browsers.push(browser);
      const user = await signUp(browser, origin, `Host${host.index}-`);
      await user.context.addInitScript(trackPeerConnections);
      await user.context.addInitScript(logIceStates);
      const warnings: RigUser['warnings'] = [];
      user.page.on('console', (m) => {
        if (m.type() === 'warning' && m.text().startsWith('[confab]')) warnings.push({ t: Date.now(), what: m.text().slice(0, 80) });
      });
      users.push({ ...user, host, warnings });
    }
    return { server, origin, hosts, users, close };
  } catch (err) {
    await close();
    throw err;
  }
}

const entry = (page: Page, name: string) => page.locator(`[data-testid="lobby-user"][data-user-name="${name}"]`);

/** `a` calls `b` from the lobby and `b` accepts: a live 1:1 call. */
export async function startCall(a: RigUser, b: RigUser): Promise<void> {
  await Promise.all([openSignedIn(a, '/lobby'), openSignedIn(b, '/lobby')]);
  await entry(a.page, b.name).getByRole('button', { name: `Call ${b.name}` }).click({ timeout: 15_000 });
  await b.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click({ timeout: 15_000 });
  await a.page.getByTestId('call-view').waitFor({ timeout: 15_000 });
}

/** The first user creates a room in the lobby; everyone joins it with camera and microphone. */
export async function startRoom(users: RigUser[]): Promise<void> {
  const [first, ...rest] = users;
  await openSignedIn(first!, '/lobby');
  await first!.page.getByLabel('Room name').fill('Faults');
  await first!.page.getByRole('button', { name: 'Create room' }).click();
  await first!.page.waitForURL(/\/room\//);
  const url = first!.page.url();
  for (const user of [first!, ...rest]) {
    if (user !== first) await user.page.goto(url);
    await user.page.getByRole('button', { name: 'Join' }).click();
    await user.page.getByTestId('room').waitFor({ timeout: 20_000 });
  }
}

/** Resolves once every page decodes at least `streams` inbound videos that are advancing. */
export async function waitDecoding(pages: Page[], streams: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = await Promise.all(pages.map(videoCounters));
    await new Promise((r) => setTimeout(r, 500));
    const after = await Promise.all(pages.map(videoCounters));
    const ok = after.every((counters, i) => Object.entries(counters).filter(([id, c]) => c.framesDecoded > (before[i]![id]?.framesDecoded ?? Infinity)).length >= streams);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`pages did not decode ${streams} advancing video stream(s) each within ${timeoutMs} ms`);
  }
}
