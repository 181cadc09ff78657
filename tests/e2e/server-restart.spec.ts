/**
 * The web process is killed (kill -9) and started again.
 * - In a 1:1 call: the call's media is peer-to-peer, so it never stops; the pages say they are
 *   reconnecting to the server, then take the call over on the new process: the call is "in a
 *   call" for others again, and a hang-up reaches the other side.
 * - In a room: the local SFU node goes with the web process, and the new process knows no seat;
 *   each page finds its seat expired and joins again by itself: no click, no pre-join screen.
 * This runs its own server (not the suite's shared one), through the benchmark helper that starts
 * the real production server.ts.
 */
import { expect, test } from '@playwright/test';
import { startWebServer, type WebServer } from '../../bench/lib/webServer';
import { call, everyoneDecodesAgain, expectMediaFlowing, inbound, lobbyEntry, meeting, registerUser, watchForElement } from './fixtures';

let first: WebServer | undefined;
let second: WebServer | undefined;
test.afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

test('a 1:1 call survives a crash and restart of the web process', async ({ browser }) => {
  test.setTimeout(180_000);
  const log = (msg: string) => console.log(`[server] ${msg}`);
  const env = { CALL_RECONNECT_GRACE_MS: '15000', PRESENCE_LINGER_MS: '500' };
  first = await startWebServer({ log, env });
  const alice = await registerUser(browser, 'Alice', first.url);
  const bob = await registerUser(browser, 'Bob', first.url);
  const carol = await registerUser(browser, 'Carol', first.url);

  await call(alice, bob);
  await bob.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
  await Promise.all([expectMediaFlowing(alice.page), expectMediaFlowing(bob.page)]);
  await expect(lobbyEntry(carol, alice)).toHaveAttribute('data-status', 'in-call');

  await first.crash();
  // The pages know the server is gone, and the media still flows between them meanwhile.
  for (const user of [alice, bob]) {
    await expect(user.page.getByTestId('link-state')).toContainText('reconnecting to the server', { timeout: 15_000 });
  }
  const framesAtCrash = (await inbound(bob.page)).videoFramesDecoded;
  await expect.poll(async () => (await inbound(bob.page)).videoFramesDecoded, { timeout: 10_000 }).toBeGreaterThan(framesAtCrash + 30);

  second = await startWebServer({ log, env, restartOf: first });
  for (const user of [alice, bob]) {
    await expect(user.page.getByTestId('link-state')).toHaveText('Connected', { timeout: 30_000 });
    await expect(user.page.getByTestId('call-view')).toBeVisible();
  }
  // The new process knows the call: the others see both as in a call again.
  await expect(lobbyEntry(carol, alice)).toHaveAttribute('data-status', 'in-call', { timeout: 15_000 });
  const framesAfter = (await inbound(alice.page)).videoFramesDecoded;
  await expect.poll(async () => (await inbound(alice.page)).videoFramesDecoded).toBeGreaterThan(framesAfter + 30);
  console.log(`after restart: Alice ${JSON.stringify(await inbound(alice.page))}; Bob ${JSON.stringify(await inbound(bob.page))}`);

  // A hang-up on one side reaches the other through the new process.
  await alice.page.getByTestId('hangup').click();
  await expect(bob.page).toHaveURL(/\/lobby$/, { timeout: 10_000 });
  await expect(lobbyEntry(carol, alice)).toHaveAttribute('data-status', 'available');
});

test('a page whose call ended while the server was away leaves the call view', async ({ browser }) => {
  test.setTimeout(180_000);
  const log = (msg: string) => console.log(`[server] ${msg}`);
  // No take-over at all: the new process must say the call is gone, and the page must believe it.
  const env = { CALL_RESTART_RESUME_MS: '0', PRESENCE_LINGER_MS: '500' };
  await second?.stop();
  await first?.stop();
  first = await startWebServer({ log, env });
  const alice = await registerUser(browser, 'Alice', first.url);
  const bob = await registerUser(browser, 'Bob', first.url);
  await call(alice, bob);
  await bob.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
  await Promise.all([expectMediaFlowing(alice.page), expectMediaFlowing(bob.page)]);

  await first.crash();
  second = await startWebServer({ log, env, restartOf: first });
  // The notice shows for 1.5 s before the page returns to the lobby: watch for it in the page
  // itself (every animation frame), on both pages at once.
  const notice = (page: typeof alice.page) =>
    page.waitForFunction(
      () => document.querySelector('[data-testid="call-over"]')?.textContent?.includes('The call ended while you were offline'),
      undefined,
      { polling: 'raf', timeout: 30_000 },
    );
  await Promise.all([notice(alice.page), notice(bob.page)]);
  for (const user of [alice, bob]) await expect(user.page).toHaveURL(/\/lobby$/, { timeout: 10_000 });
});

test('a room comes back by itself after a crash and restart of the web process', async ({ browser }) => {
  test.setTimeout(180_000);
  const log = (msg: string) => console.log(`[server] ${msg}`);
  await second?.stop();
  await first?.stop();
  first = await startWebServer({ log });
  const users = await meeting(browser, 'Crash room', { baseURL: first.url });
  const watch = async (selector: string) => Promise.all(users.map((u) => watchForElement(u.page, selector)));
  const [preJoin, rejoin] = [await watch('[data-testid="prejoin-preview"]'), await watch('[data-testid="room-closed"]')];

  await first.crash();
  // Each page says it is reconnecting (and stays in the room meanwhile).
  for (const u of users) await expect(u.page.getByTestId('room-reconnecting')).toBeVisible({ timeout: 15_000 });
  const startedAt = Date.now();
  second = await startWebServer({ log, restartOf: first });
  const servingAt = Date.now();
  const ms = await everyoneDecodesAgain(users, servingAt, 45_000);
  console.log(`web process serving again after ${servingAt - startedAt} ms; every participant decodes fresh frames ${ms} ms later`);
  for (const seen of [...preJoin, ...rejoin]) expect(await seen()).toBe(false);
  await expect(users[0]!.page.getByRole('tab', { name: 'People (3)' })).toBeVisible();
  await Promise.all(users.map((u) => u.context.close()));
});
