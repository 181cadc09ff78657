/**
 * Confab in Firefox (Debian's firefox-esr over WebDriver BiDi, bench/lib/firefox.ts) beside
 * Chromium: 1:1 calls both ways, a mixed room, and a Firefox-only room, each checked in getStats().
 *
 * Firefox never pairs with loopback candidates, so this suite runs its own server inside a network
 * namespace it creates (bench/lib/vethNamespace.ts): the web process and its SFU node listen on the
 * namespace's address, Chromium runs inside the namespace too, and Firefox, outside it, gathers
 * candidates only on the veth's root end. Firefox's media, to the SFU and to Chromium, crosses the
 * veth and nothing else.
 */
import { expect, test } from '@playwright/test';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { startCrossBrowserRig, type CrossBrowserRig } from '../../bench/lib/crossBrowser';
import { openSignedInFirefox, signUpFirefox, type FirefoxUser } from '../../bench/lib/firefox';
import { vethUnavailable } from '../../bench/lib/vethNamespace';
import type { ProbePage } from '../../bench/lib/pageProbe';
import { sendLayers } from '../../bench/lib/sendLayers';
import { startWebServer } from '../../bench/lib/webServer';
import { inbound, readInbound, registerUser, type InboundSummary, type UserPage } from './fixtures';

const unavailable = vethUnavailable();
test.skip(!!unavailable, `Firefox tests need a network namespace: ${unavailable}`);
test.describe.configure({ mode: 'serial' });

let rig: CrossBrowserRig | undefined;
let origin = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  rig = await startCrossBrowserRig(7, (msg) => console.log(`[server] ${msg}`));
  origin = rig.origin;
});

test.afterAll(async () => {
  await rig?.close();
});

const ffInbound = (page: FirefoxPage): Promise<InboundSummary> => page.evaluate(readInbound);

/** Polls until the page decodes video and receives audio, and says how long that took. */
async function decodes(read: () => Promise<InboundSummary>, frames = 30, timeoutMs = 30_000): Promise<number> {
  const t0 = Date.now();
  let last: InboundSummary | undefined;
  while (Date.now() - t0 < timeoutMs) {
    last = await read();
    if (last.videoFramesDecoded >= frames && last.audioPacketsReceived >= 25) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no media within ${timeoutMs} ms: ${JSON.stringify(last)}`);
}

async function firefoxUser(prefix: string): Promise<FirefoxUser> {
  const user = await signUpFirefox(rig!.firefox, origin, prefix);
  await openSignedInFirefox(user, origin, '/lobby');
  return user;
}

async function chromiumUser(prefix: string): Promise<UserPage> {
  const user = await registerUser(rig!.chromium, prefix, origin);
  return user;
}

const lobbyEntryCss = (name: string) => `[data-testid="lobby-user"][data-user-name="${name}"]`;

test('a 1:1 call from Chromium to Firefox: both decode', async () => {
  const alice = await chromiumUser('CrAlice');
  const bob = await firefoxUser('FfBob');
  await alice.page.locator(lobbyEntryCss(bob.name)).getByRole('button', { name: `Call ${bob.name}` }).click();
  await bob.page.locator('[data-testid="incoming-call"] button::-p-text(Accept)').click();
  const [atAlice, atBob] = await Promise.all([decodes(() => inbound(alice.page)), decodes(() => ffInbound(bob.page))]);
  console.log(`Chromium → Firefox: Chromium decodes after ${atAlice} ms, Firefox after ${atBob} ms; Firefox ${JSON.stringify(await ffInbound(bob.page))}`);
  await alice.page.getByTestId('hangup').click();
  await bob.page.waitForSelector('[data-testid="call-over"], [data-testid="call-ended"]', { timeout: 10_000 });
  await Promise.all([alice.context.close(), bob.context.close()]);
});

test('a 1:1 call from Firefox to Chromium: both decode', async () => {
  const carol = await chromiumUser('CrCarol');
  const dave = await firefoxUser('FfDave');
  await dave.page.locator(`${lobbyEntryCss(carol.name)} ::-p-aria(Call ${carol.name})`).click();
  await carol.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
  const [atDave, atCarol] = await Promise.all([decodes(() => ffInbound(dave.page)), decodes(() => inbound(carol.page))]);
  console.log(`Firefox → Chromium: Firefox decodes after ${atDave} ms, Chromium after ${atCarol} ms`);
  await dave.page.locator('[data-testid="hangup"]').click();
  await expect(carol.page).toHaveURL(/\/lobby$/, { timeout: 10_000 });
  await Promise.all([carol.context.close(), dave.context.close()]);
});

/** Each simulcast encoding Firefox sends: its width and its rate, in kbps. */
const firefoxLayers = (page: FirefoxPage, ms = 3000) => sendLayers(page as unknown as ProbePage, ms);

async function createRoom(page: UserPage['page'], name: string): Promise<string> {
  await page.goto('/lobby');
  await page.getByLabel('Room name').fill(name);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.waitForURL(/\/room\//);
  return page.url();
}

async function joinInFirefox(user: FirefoxUser, url: string) {
  await user.page.goto(url);
  await user.page.locator('::-p-aria([name="Join"][role="button"])').click();
  await user.page.waitForSelector('[data-testid="room"]', { timeout: 20_000 });
}

test('a room with Chromium and Firefox: each decodes the other, and Firefox simulcast follows the tile size', async () => {
  const erin = await chromiumUser('CrErin');
  const frank = await firefoxUser('FfFrank');
  await erin.page.setViewportSize({ width: 1920, height: 1080 }); // Firefox's tile is then wide enough for the top layer
  const url = await createRoom(erin.page, 'Mixed');
  await erin.page.getByRole('button', { name: 'Join' }).click();
  await erin.page.getByTestId('room').waitFor();
  await joinInFirefox(frank, url);
  const [atErin, atFrank] = await Promise.all([decodes(() => inbound(erin.page)), decodes(() => ffInbound(frank.page))]);
  console.log(`mixed room: Chromium decodes Firefox after ${atErin} ms, Firefox decodes Chromium after ${atFrank} ms`);

  // Firefox sends three encodings, r0 < r1 < r2 in size (its top one once its bandwidth estimate allows).
  let layers: Awaited<ReturnType<typeof firefoxLayers>> = [];
  await expect
    .poll(async () => (layers = await firefoxLayers(frank.page, 1000)).map((l) => l.width), { timeout: 30_000 })
    .toEqual([320, 640, 1280]);
  expect(layers.map((l) => l.rid)).toEqual(['r0', 'r1', 'r2']);
  // The mapping the SFU uses (spatial layer n = rn): a large tile at Chromium (≥ 560 px) gets the
  // 1280 px picture, a half-size one (240–559 px) the 640 px one.
  await expect.poll(async () => (await inbound(erin.page)).videoFrameWidth, { timeout: 30_000 }).toBe(1280);
  console.log(`Firefox layers, large tile at the viewer: ${JSON.stringify(await firefoxLayers(frank.page))}`);
  await erin.page.setViewportSize({ width: 1280, height: 800 });
  await expect.poll(async () => (await inbound(erin.page)).videoFrameWidth, { timeout: 30_000 }).toBe(640);
  console.log(`Firefox layers, small tile at the viewer: ${JSON.stringify(await firefoxLayers(frank.page))}`);

  await Promise.all([erin.context.close(), frank.context.close()]);
});

test('a room where only Firefox users meet: each decodes the other', async () => {
  const host = await chromiumUser('CrHost'); // creates the room, never joins it
  const url = await createRoom(host.page, 'Firefox only');
  const [gina, hank] = await Promise.all([firefoxUser('FfGina'), firefoxUser('FfHank')]);
  await joinInFirefox(gina, url);
  await joinInFirefox(hank, url);
  const [atGina, atHank] = await Promise.all([decodes(() => ffInbound(gina.page)), decodes(() => ffInbound(hank.page))]);
  console.log(`Firefox-only room: decoding after ${atGina} ms and ${atHank} ms`);
  await Promise.all([host.context.close(), gina.context.close(), hank.context.close()]);
});

test('Firefox in a room whose media server offers only loopback is told why there is no media, and it is counted', async () => {
  // The old embedded default (SFU_LISTEN_IP=127.0.0.1): Firefox cannot pair with it, and used to
  // sit in a silent room with no notice.
  const token = 'metrics-token-firefox-0123456789';
  const loopback = await startWebServer({
    log: (msg) => console.log(`[loopback server] ${msg}`),
    env: { SFU_LISTEN_IP: '127.0.0.1', METRICS_TOKEN: token },
  });
  try {
    const ivy = await signUpFirefox(rig!.firefox, loopback.url, 'FfIvy');
    await openSignedInFirefox(ivy, loopback.url, '/lobby');
    await ivy.page.locator('::-p-aria(Room name)').fill('Loopback');
    await ivy.page.locator('::-p-aria([name="Create room"][role="button"])').click();
    await ivy.page.waitForSelector('::-p-aria([name="Join"][role="button"])');
    await ivy.page.locator('::-p-aria([name="Join"][role="button"])').click();
    const alert = await ivy.page.waitForSelector('[data-testid="media-trouble"][data-trouble="connect"]', { timeout: 20_000 });
    const text = await alert!.evaluate((el) => el.textContent ?? '');
    expect(text).toContain("can't reach the media server");
    expect(text).toContain('TURN');
    const metrics = async () =>
      (await (await fetch(`${loopback.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text()).match(
        /^confab_media_failures_total\{scope="room",phase="connect"\} (\d+)/m,
      )?.[1];
    await expect.poll(metrics, { timeout: 10_000 }).toBe('1');
    await ivy.context.close();
  } finally {
    await loopback.stop();
  }
});
