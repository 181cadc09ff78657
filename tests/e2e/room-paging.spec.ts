/**
 * Past ROOM_MAX_VISIBLE_VIDEOS: the others show as avatars and their video is not forwarded at all
 * (its consumer paused: no frames arrive), and the pages bring them in. Its own server, with the cap
 * at 1, so that three browsers are enough.
 */
import { expect, test, type Page } from '@playwright/test';
import { startWebServer, type WebServer } from '../../bench/lib/webServer';
import { inboundStreams, registerUser, type UserPage } from './fixtures';

let server: WebServer | undefined;
test.afterAll(async () => server?.stop());

/** Frames each inbound video stream decodes over 1 s, by track id. */
async function framesOver(page: Page): Promise<Map<string, number>> {
  const count = async () => new Map((await inboundStreams(page)).filter((s) => s.kind === 'video').map((s) => [s.trackIdentifier, s.framesDecoded] as const));
  const before = await count();
  await page.waitForTimeout(1000);
  const after = await count();
  return new Map([...after].map(([id, n]) => [id, n - (before.get(id) ?? 0)]));
}

const tileTrack = (page: Page, name: string) =>
  page.locator(`[data-testid="room-tile"][data-user-name="${name}"] video`).evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream).getTracks()[0]!.id);

test('with the visible cap at 1, the other remote video is an avatar that costs nothing, and the next page swaps them', async ({ browser }) => {
  test.setTimeout(150_000);
  server = await startWebServer({ log: (m) => console.log(`[server] ${m}`), env: { ROOM_MAX_VISIBLE_VIDEOS: '1' } });
  const users = await Promise.all(['Alice', 'Bob', 'Carol'].map((n) => registerUser(browser, n, server!.url)));
  const [alice, bob, carol] = users as [UserPage, UserPage, UserPage];
  await alice.page.getByLabel('Room name').fill('Capped');
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  await expect(alice.page).toHaveURL(/\/room\//);
  await alice.page.getByRole('button', { name: 'Join' }).click();
  await expect(alice.page.getByTestId('room')).toBeVisible();
  // Bob and Carol join muted: no active-speaker changes reorder the pages during the test.
  for (const u of [bob, carol]) {
    await u.page.goto(alice.page.url());
    await u.page.getByRole('button', { name: 'Mute' }).click();
    await u.page.getByRole('button', { name: 'Join' }).click();
    await expect(u.page.getByTestId('room')).toBeVisible();
  }

  // Page 1: Bob's video, Carol an avatar. Only Bob's stream decodes at Alice.
  await expect(alice.page.getByTestId('room-paging')).toContainText('Page 1 of 2');
  await expect(alice.page.getByTestId('room-avatar')).toHaveAttribute('title', carol.name);
  await expect(alice.page.locator('[data-testid="room-tile"]:not([data-self])')).toHaveAttribute('data-user-name', bob.name);
  const bobTrack = await tileTrack(alice.page, bob.name);
  await expect.poll(async () => (await framesOver(alice.page)).get(bobTrack) ?? 0, { timeout: 20_000 }).toBeGreaterThan(5);
  const frames = await framesOver(alice.page);
  const others = [...frames].filter(([id]) => id !== bobTrack);
  expect(others.every(([, n]) => n === 0), `frames of the paged-out video: ${JSON.stringify(others)}`).toBe(true);

  // Page 2: the other way round.
  await alice.page.getByRole('button', { name: 'Next page' }).click();
  await expect(alice.page.getByTestId('room-paging')).toContainText('Page 2 of 2');
  await expect(alice.page.getByTestId('room-avatar')).toHaveAttribute('title', bob.name);
  const carolTrack = await tileTrack(alice.page, carol.name);
  await expect.poll(async () => (await framesOver(alice.page)).get(carolTrack) ?? 0, { timeout: 20_000 }).toBeGreaterThan(5);
  await expect.poll(async () => (await framesOver(alice.page)).get(bobTrack) ?? 0, { timeout: 10_000 }).toBe(0);

  await Promise.all(users.map((u) => u.context.close()));
});
