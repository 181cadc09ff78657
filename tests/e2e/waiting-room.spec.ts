/**
 * The waiting room as people meet it: a guest asks to join and keeps the preview; the host is told
 * and admits; another is denied, told so, and their camera is released; with no host in the room,
 * the guest is told the host has not joined.
 */
import { expect, test } from '@playwright/test';
import { decodingVideoStreams, liveCaptures, registerUser, type UserPage } from './fixtures';

test('waiting room: ask to join, admit, deny, and no host yet', async ({ browser }) => {
  test.setTimeout(150_000);
  const users = await Promise.all(['Alice', 'Bob', 'Carol', 'Dave'].map((n) => registerUser(browser, n)));
  const [alice, bob, carol, dave] = users as [UserPage, UserPage, UserPage, UserPage];

  // A room with a waiting room, whose host is not in yet: Dave knocks and is told so.
  await alice.page.getByLabel('Room name').fill('Office hours');
  await alice.page.getByLabel('Waiting room').check();
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  await expect(alice.page).toHaveURL(/\/room\//);
  const url = alice.page.url();
  await dave.page.goto(url);
  await dave.page.getByRole('button', { name: 'Ask to join' }).click();
  await expect(dave.page.getByTestId('knock-waiting')).toContainText('The host has not joined yet');
  await dave.page.getByRole('button', { name: 'Cancel' }).click();
  await expect(dave.page.getByRole('button', { name: 'Ask to join' })).toBeVisible();

  await alice.page.getByRole('button', { name: 'Join' }).click();
  await expect(alice.page.getByTestId('room')).toBeVisible();

  // Bob asks, keeps his preview; Alice is told and admits him; he is in, and media flows.
  await bob.page.goto(url);
  await bob.page.getByRole('button', { name: 'Ask to join' }).click();
  await expect(bob.page.getByTestId('knock-waiting')).toContainText('Waiting for the host to let you in');
  await expect(bob.page.getByTestId('prejoin-preview').locator('video')).toBeVisible();
  await bob.page.screenshot({ path: 'test-results/screens/prejoin-waiting.png' });
  await expect(alice.page.getByTestId('room-notice')).toContainText(`${bob.name} is asking to join`);
  await alice.page.getByRole('button', { name: `Admit ${bob.name}` }).click();
  await expect(bob.page.getByTestId('room')).toBeVisible();
  await expect.poll(() => decodingVideoStreams(bob.page), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);

  // Carol asks and is denied: a clear message, and her camera is off.
  await carol.page.goto(url);
  await carol.page.getByRole('button', { name: 'Ask to join' }).click();
  await expect(alice.page.getByTestId('waiting-entry')).toHaveAttribute('data-user-name', carol.name);
  await alice.page.getByRole('button', { name: `Deny ${carol.name}` }).click();
  await expect(carol.page.getByTestId('knock-denied')).toContainText('The host did not let you in');
  await expect.poll(() => liveCaptures(carol.page)).toBe(0);
  await expect(alice.page.getByTestId('waiting-list')).toHaveCount(0);

  await Promise.all([alice, bob, carol, dave].map((u) => u.context.close()));
});
