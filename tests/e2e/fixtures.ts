/**
 * Helpers for end-to-end tests: one browser context per user, registration through the real UI,
 * and WebRTC statistics read from the page's real RTCPeerConnections.
 */
import { execSync } from 'node:child_process';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { trackPeerConnections } from '../../bench/lib/peerConnections';

export interface UserPage {
  name: string;
  email: string;
  context: BrowserContext;
  page: Page;
}

let seq = 0;

/** Records every camera/microphone track getUserMedia hands the page, to tell whether any is still live. */
function trackCaptures() {
  const w = window as unknown as { __captured: MediaStreamTrack[] };
  w.__captured = [];
  const media = navigator.mediaDevices;
  if (!media) return;
  const getUserMedia = media.getUserMedia.bind(media);
  media.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = await getUserMedia(constraints);
    w.__captured.push(...stream.getTracks());
    return stream;
  };
}

/** Records every Content-Security-Policy violation the page reports (the app must cause none). */
function trackCspViolations() {
  const w = window as unknown as { __cspViolations: string[] };
  w.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
}

/** Camera/microphone tracks the page captured and has not stopped (the camera light is on). */
export function liveCaptures(page: Page): Promise<number> {
  return page.evaluate(
    () => (window as unknown as { __captured: MediaStreamTrack[] }).__captured.filter((t) => t.readyState === 'live').length,
  );
}

export async function registerUser(browser: Browser, base: string, baseURL?: string): Promise<UserPage> {
  const n = `${++seq}${Date.now().toString(36).slice(-4)}`;
  const name = `${base}${n}`;
  const email = `${base.toLowerCase()}.${n}@e2e.local`;
  // A browser launched by the test itself does not get the config's baseURL.
  const context = await browser.newContext(baseURL ? { baseURL } : {});
  await context.addInitScript(trackPeerConnections);
  await context.addInitScript(trackCaptures);
  await context.addInitScript(trackCspViolations);
  const page = await context.newPage();
  await page.goto('/register');
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('e2e-password-123');
  await page.getByRole('button', { name: 'Create account' }).click();
  // Sign-up hashes the password (scrypt): on a starved 2-core machine that alone has taken over 10 s.
  await expect(page).toHaveURL(/\/lobby$/, { timeout: 30_000 });
  await expect(page.getByTestId('connection-status')).toHaveText('Online');
  expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
  return { name, email, context, page };
}

export function lobbyEntry(viewer: UserPage, other: UserPage) {
  return viewer.page.locator(`[data-testid="lobby-user"][data-user-name="${other.name}"]`);
}

export async function call(from: UserPage, to: UserPage) {
  const entry = lobbyEntry(from, to);
  await expect(entry).toBeVisible();
  await entry.getByRole('button', { name: `Call ${to.name}` }).click();
}

export interface InboundSummary {
  videoFramesDecoded: number;
  videoFrameWidth: number;
  audioPacketsReceived: number;
}

/** Inbound RTP totals over every live peer connection of the page. */
export function inbound(page: Page): Promise<InboundSummary> {
  return page.evaluate(readInbound);
}

/** In the page (Playwright's or puppeteer's page.evaluate): inbound RTP totals over its live peer connections. */
export async function readInbound(): Promise<InboundSummary> {
  {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.connectionState !== 'closed');
    const sum: InboundSummary = { videoFramesDecoded: 0, videoFrameWidth: 0, audioPacketsReceived: 0 };
    for (const pc of pcs) {
      const report = await pc.getStats();
      report.forEach((s: { type: string; kind?: string; framesDecoded?: number; frameWidth?: number; packetsReceived?: number }) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.kind === 'video') {
          sum.videoFramesDecoded += s.framesDecoded ?? 0;
          sum.videoFrameWidth = Math.max(sum.videoFrameWidth, s.frameWidth ?? 0);
        }
        if (s.kind === 'audio') sum.audioPacketsReceived += s.packetsReceived ?? 0;
      });
    }
    return sum;
  }
}

/** How many RTCPeerConnections the page has created since it loaded. */
export function peerConnectionsCreated(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.length);
}

export async function expectMediaFlowing(page: Page, timeout = 10_000) {
  await expect.poll(async () => (await inbound(page)).videoFramesDecoded, { timeout, intervals: [250] }).toBeGreaterThan(0);
  await expect.poll(async () => (await inbound(page)).audioPacketsReceived, { timeout, intervals: [250] }).toBeGreaterThan(0);
}

export interface InboundStream {
  kind: 'audio' | 'video';
  ssrc: number;
  framesDecoded: number;
  frameWidth: number;
  packetsReceived: number;
  trackIdentifier: string;
}

/**
 * Every inbound RTP stream of the page's live peer connections. mediasoup-client's receive
 * transport also carries a padding-only "probator" stream (SSRC 1234): it never decodes a frame,
 * so tests count streams that decoded something rather than streams that exist.
 */
export function inboundStreams(page: Page): Promise<InboundStream[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.connectionState !== 'closed');
    const out: InboundStream[] = [];
    for (const pc of pcs) {
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type !== 'inbound-rtp') return;
        out.push({
          kind: s.kind as 'audio' | 'video',
          ssrc: Number(s.ssrc),
          framesDecoded: Number(s.framesDecoded ?? 0),
          frameWidth: Number(s.frameWidth ?? 0),
          packetsReceived: Number(s.packetsReceived ?? 0),
          trackIdentifier: String(s.trackIdentifier ?? ''),
        });
      });
    }
    return out;
  });
}

export async function decodingVideoStreams(page: Page): Promise<number> {
  return (await inboundStreams(page)).filter((s) => s.kind === 'video' && s.framesDecoded > 0).length;
}

export async function receivingAudioStreams(page: Page): Promise<number> {
  return (await inboundStreams(page)).filter((s) => s.kind === 'audio' && s.packetsReceived > 0).length;
}

/**
 * The page's remote track id for a participant's video tile, or their audio (every remote mic
 * plays from its own element, whatever the layout shows), to follow one sender's stream in getStats().
 */
export function tileTrackId(page: Page, userName: string, kind: 'audio' | 'video', source = 'camera'): Promise<string | null> {
  const selector =
    kind === 'audio'
      ? `[data-testid="room-audio"][data-user-name="${userName}"]`
      : `[data-testid="room-tile"][data-user-name="${userName}"][data-source="${source}"] video`;
  return page
    .locator(selector)
    .evaluate((el: HTMLMediaElement) => {
      const stream = el.srcObject as MediaStream | null;
      return stream?.getTracks()[0]?.id ?? null;
    });
}

/**
 * The MediaStream id the remote description gives a received track (its `a=msid:` line): a
 * participant's camera and mic must share one, so the browser keeps them in lip-sync.
 */
export function remoteStreamIdOf(page: Page, trackId: string): Promise<string | null> {
  return page.evaluate((trackId) => {
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      const mid = pc.getTransceivers().find((t) => t.receiver.track.id === trackId)?.mid;
      if (mid == null) continue;
      const section = (pc.remoteDescription?.sdp ?? '').split(/\r?\nm=/).find((m) => new RegExp(`\\r?\\na=mid:${mid}\\r?\\n`).test(`\n${m}\n`));
      return /a=msid:(\S+)/.exec(section ?? '')?.[1] ?? null;
    }
    return null;
  }, trackId);
}

export async function streamFor(page: Page, trackId: string): Promise<InboundStream | undefined> {
  return (await inboundStreams(page)).find((s) => s.trackIdentifier === trackId);
}

export async function joinRoom(user: UserPage, url: string, password?: string) {
  await user.page.goto(url);
  if (password) await user.page.getByLabel('Room password').fill(password);
  await user.page.getByRole('button', { name: 'Join' }).click();
  await expect(user.page.getByTestId('room')).toBeVisible();
}

/** The suite server's seeded admin (tests/support/e2eServer.ts), signed in, on /admin. */
export async function signInAdmin(browser: Browser): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login?next=%2Fadmin');
  await page.getByLabel('Email').fill('admin@e2e.local');
  await page.getByLabel('Password').fill('admin-password-e2e');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  return { page, close: () => context.close() };
}

/**
 * A switch on the page's connection to the server (socket.io over WebSocket, and its HTTP
 * long-polling fallback). `cut()` closes the WebSocket at both ends, as a dropped Wi-Fi link would,
 * and refuses reconnects until `restore()`. Install it before the page opens its socket.
 */
export async function serverLink(page: Page) {
  let down = false;
  const open = new Set<{ close: () => Promise<void> }>();
  await page.route('**/socket.io/**', (route) => (down ? route.abort('internetdisconnected') : route.continue()));
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (down) return void ws.close({ code: 4000, reason: 'link down' });
    const server = ws.connectToServer();
    const entry = {
      close: async () => {
        await ws.close({ code: 4000, reason: 'link down' }).catch(() => undefined);
        await server.close().catch(() => undefined);
      },
    };
    open.add(entry);
    ws.onClose(() => open.delete(entry));
  });
  return {
    async cut() {
      down = true;
      await Promise.all([...open].map((c) => c.close()));
      open.clear();
    },
    restore() {
      down = false;
    },
  };
}

/** Records whether an element matching `selector` ever appears from now on (a flash included). */
export async function watchForElement(page: Page, selector: string): Promise<() => Promise<boolean>> {
  const key = `__seen_${Math.random().toString(36).slice(2)}`;
  await page.evaluate(
    ({ selector, key }) => {
      const w = window as unknown as Record<string, boolean>;
      w[key] = !!document.querySelector(selector);
      new MutationObserver(() => {
        if (document.querySelector(selector)) w[key] = true;
      }).observe(document.body, { childList: true, subtree: true });
    },
    { selector, key },
  );
  return () => page.evaluate((key) => !!(window as unknown as Record<string, boolean>)[key], key);
}

/** The suite server's SFU node process and its mediasoup workers (found from the port it serves). */
export function sfuProcesses(port = Number(process.env.E2E_PORT ?? 3210)): { node: number; workers: number[] } {
  const listener = execSync(`ss -ltnpH 'sport = :${port}'`, { encoding: 'utf8' });
  const web = Number(/pid=(\d+)/.exec(listener)?.[1]);
  const children = (pid: number) =>
    execSync(`ps -o pid=,args= --ppid ${pid}`, { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => ({ pid: Number(l.split(/\s+/)[0]), args: l }));
  // The active node has mediasoup workers; a warm standby (lib/server/sfu/localNode.ts) has none yet.
  const nodes = children(web).filter((c) => c.args.includes('sfu/main.ts'));
  const workersOf = (pid: number) => children(pid).filter((c) => c.args.includes('mediasoup-worker')).map((c) => c.pid);
  const node = nodes.find((n) => workersOf(n.pid).length > 0);
  if (!node) throw new Error(`no SFU node with workers under web process ${web}`);
  return { node: node.pid, workers: workersOf(node.pid) };
}

/** Whether `viewer` decodes new frames from `sender`'s camera tile now (over ~200 ms). */
export async function decodesFreshFrom(viewer: UserPage, sender: string): Promise<boolean> {
  const frames = async () => {
    const track = await tileTrackId(viewer.page, sender, 'video').catch(() => null);
    if (!track) return -1;
    return (await inboundStreams(viewer.page)).filter((s) => s.trackIdentifier === track).reduce((n, s) => n + s.framesDecoded, 0);
  };
  const before = await frames();
  await viewer.page.waitForTimeout(200);
  const after = await frames();
  return before >= 0 && after > before;
}

/**
 * Every participant decodes fresh frames from every other (all pairs watched at once); returns how
 * long after `since` the last pair came back.
 */
export async function everyoneDecodesAgain(users: UserPage[], since: number, timeout: number): Promise<number> {
  const pairs = users.flatMap((viewer) => users.filter((s) => s !== viewer).map((sender) => ({ viewer, sender })));
  const back = await Promise.all(
    pairs.map(async ({ viewer, sender }) => {
      await expect.poll(() => decodesFreshFrom(viewer, sender.name), { timeout, intervals: [50] }).toBe(true);
      return Date.now() - since;
    }),
  );
  return Math.max(...back);
}

/**
 * Three people in a room, each decoding the other two. `beforeJoin` runs on each guest's page
 * before it opens the room (e.g. to install serverLink()).
 */
export async function meeting(
  browser: Browser,
  name: string,
  opts: { baseURL?: string; beforeJoin?: (user: UserPage) => Promise<void> } = {},
): Promise<UserPage[]> {
  const alice = await registerUser(browser, 'Alice', opts.baseURL);
  const bob = await registerUser(browser, 'Bob', opts.baseURL);
  const carol = await registerUser(browser, 'Carol', opts.baseURL);
  await alice.page.getByLabel('Room name').fill(name);
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  await expect(alice.page).toHaveURL(/\/room\//);
  await alice.page.getByRole('button', { name: 'Join' }).click();
  await expect(alice.page.getByTestId('room')).toBeVisible();
  for (const guest of [bob, carol]) {
    await opts.beforeJoin?.(guest);
    await joinRoom(guest, alice.page.url());
  }
  for (const user of [alice, bob, carol]) {
    await expect.poll(() => decodingVideoStreams(user.page), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  }
  return [alice, bob, carol];
}
