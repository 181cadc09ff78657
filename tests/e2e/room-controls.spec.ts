import { expect, test, type Browser } from '@playwright/test';
import { joinRoom, liveCaptures, registerUser, streamFor, tileTrackId, type UserPage } from './fixtures';

async function createRoom(host: UserPage, name: string, password?: string): Promise<string> {
  await host.page.getByLabel('Room name').fill(name);
  if (password) await host.page.getByLabel('Room password').fill(password);
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await expect(host.page).toHaveURL(/\/room\//);
  const url = host.page.url();
  await host.page.getByRole('button', { name: 'Join' }).click();
  await expect(host.page.getByTestId('room')).toBeVisible();
  return url;
}

/** Alice hosts a room; Bob, with a window of the given size, joins and gets Alice's camera track. */
async function bobWatchesAlice(browser: Browser, room: string, viewport: { width: number; height: number }) {
  const alice = await registerUser(browser, 'Alice');
  const bob = await registerUser(browser, 'Bob');
  await bob.page.setViewportSize(viewport);
  const url = await createRoom(alice, room);
  await joinRoom(bob, url);
  await expect.poll(() => tileTrackId(bob.page, alice.name, 'video'), { timeout: 15_000 }).not.toBeNull();
  const track = (await tileTrackId(bob.page, alice.name, 'video'))!;
  const width = async () => (await streamFor(bob.page, track))?.frameWidth ?? 0;
  return { alice, bob, width };
}

test('password, lock, chat history, remove and end for all', async ({ browser }) => {
  test.setTimeout(150_000);
  const host = await registerUser(browser, 'Hana');
  const guest = await registerUser(browser, 'Gus');
  const late = await registerUser(browser, 'Lia');
  const url = await createRoom(host, 'Private sync', 'open-sesame');

  // Wrong password: a clear message, and the pre-join screen stays.
  await guest.page.goto(url);
  await guest.page.getByLabel('Room password').fill('nope');
  await guest.page.getByRole('button', { name: 'Join' }).click();
  await expect(guest.page.getByTestId('join-error')).toHaveText('That password is not right');
  await guest.page.getByLabel('Room password').fill('open-sesame');
  await guest.page.getByRole('button', { name: 'Join' }).click();
  await expect(guest.page.getByTestId('room')).toBeVisible();

  // Chat: delivered live, stored, and shown to whoever joins later.
  await guest.page.getByRole('tab', { name: 'Chat' }).click();
  await guest.page.getByLabel('Chat message').fill('hello from Gus');
  await guest.page.getByRole('button', { name: 'Send' }).click();
  await expect(guest.page.getByTestId('chat-message')).toHaveCount(1);
  await expect(guest.page.getByTestId('chat-message')).not.toContainText('sending');
  await host.page.getByRole('tab', { name: 'Chat' }).click();
  await expect(host.page.getByTestId('chat-message')).toContainText('hello from Gus');

  // Lock: nobody new gets in, with a clear message.
  await host.page.getByRole('button', { name: 'Lock room' }).click();
  await expect(host.page.getByRole('button', { name: 'Unlock room' })).toBeVisible();
  await late.page.goto(url);
  await late.page.getByLabel('Room password').fill('open-sesame');
  await late.page.getByRole('button', { name: 'Join' }).click();
  // A refusal that retrying will not change: said prominently, the camera released, a way back.
  await expect(late.page.getByTestId('join-refused')).toContainText('The host has locked this room');
  await expect(late.page.getByTestId('join-refused').getByRole('link', { name: 'Back to the lobby' })).toBeVisible();
  await expect.poll(() => liveCaptures(late.page)).toBe(0);
  await host.page.getByRole('button', { name: 'Unlock room' }).click();
  await late.page.getByRole('button', { name: 'Try again' }).click();
  await late.page.getByLabel('Room password').fill('open-sesame');
  await late.page.getByRole('button', { name: 'Join' }).click();
  await expect(late.page.getByTestId('room')).toBeVisible();
  await late.page.getByRole('tab', { name: 'Chat' }).click();
  await expect(late.page.getByTestId('chat-message')).toContainText('hello from Gus'); // history on join

  // Remove: the guest is told and cannot come back into this meeting.
  await host.page.getByRole('tab', { name: /People/ }).click();
  await host.page.getByLabel(`Actions for ${guest.name}`).click();
  await host.page.getByRole('button', { name: `Remove ${guest.name}` }).click();
  await expect(guest.page.getByTestId('room-closed')).toContainText('The host removed you from the meeting');
  await expect(late.page.locator(`[data-testid="room-tile"][data-user-name="${guest.name}"]`)).toHaveCount(0, { timeout: 5_000 });

  // End for all: everyone left is told, and the room disappears from the lobby.
  await host.page.getByRole('button', { name: 'End for all' }).click();
  await expect(late.page.getByTestId('room-closed')).toContainText('The host ended the meeting');
  await guest.page.goto('/lobby');
  await expect(guest.page.locator('[data-testid="room-entry"][data-room-name="Private sync"]')).toHaveCount(0);

  await Promise.all([host.context.close(), guest.context.close(), late.context.close()]);
});

test('simulcast: shrinking a tile lowers the resolution the SFU forwards to it', async ({ browser }) => {
  test.setTimeout(120_000);
  const { alice, bob, width } = await bobWatchesAlice(browser, 'Layers', { width: 1600, height: 1000 });
  // Large tile: the top layer arrives once the sender's bandwidth estimate allows it.
  await expect.poll(width, { timeout: 30_000 }).toBeGreaterThanOrEqual(640);
  const large = await width();

  // Thumbnail-sized window: the tile shrinks, the consumer's preferred layer drops.
  await bob.page.setViewportSize({ width: 420, height: 500 });
  await expect.poll(width, { timeout: 15_000 }).toBeLessThanOrEqual(large / 2);
  const small = await width();
  test.info().annotations.push({ type: 'frameWidth', description: `large ${large} → small ${small}` });
  console.log(`simulcast frameWidth at Bob: ${large} → ${small}`);

  await Promise.all([alice.context.close(), bob.context.close()]);
});

test('simulcast: a participant whose tile is small from the start never gets the full layer', async ({ browser }) => {
  test.setTimeout(120_000);
  // Small enough for the middle layer only: the tile reports its size before its consumer exists.
  const { alice, bob, width } = await bobWatchesAlice(browser, 'Small tile', { width: 420, height: 500 });
  await expect.poll(width, { timeout: 15_000 }).toBeGreaterThan(0);
  // Long enough for the sender's bandwidth estimate to allow the top layer (see the test above).
  let widest = 0;
  for (let i = 0; i < 16; i++) {
    widest = Math.max(widest, await width());
    await bob.page.waitForTimeout(500);
  }
  console.log(`small tile from the start: widest frame at Bob ${widest} px`);
  expect(widest).toBeGreaterThan(0);
  expect(widest).toBeLessThanOrEqual(640);

  await Promise.all([alice.context.close(), bob.context.close()]);
});
