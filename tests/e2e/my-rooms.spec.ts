/** "My rooms" in the lobby: a host renames a room (the lobby shows the new name) and deletes it (gone for everyone). */
import { expect, test } from '@playwright/test';
import { registerUser } from './fixtures';

test('a host renames and deletes a room from "My rooms"; others see the lobby follow', async ({ browser }) => {
  const alice = await registerUser(browser, 'Alice');
  const bob = await registerUser(browser, 'Bob');
  const name = `Retro ${Date.now().toString(36)}`;
  await alice.page.getByLabel('Room name').fill(name);
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  await expect(alice.page).toHaveURL(/\/room\//);
  await alice.page.goto('/lobby');

  await alice.page.getByRole('tab', { name: 'My rooms' }).click();
  await alice.page.getByRole('button', { name: `Rename ${name}` }).click();
  await alice.page.getByLabel(`New name for ${name}`).fill(`${name} (weekly)`);
  await alice.page.getByRole('button', { name: 'Save' }).click();
  await expect(alice.page.locator(`[data-testid="my-room"][data-room-name="${name} (weekly)"]`)).toBeVisible();
  await expect(bob.page.locator(`[data-testid="room-entry"][data-room-name="${name} (weekly)"]`)).toBeVisible();
  await bob.page.screenshot({ path: 'test-results/screens/lobby.png' });
  await alice.page.screenshot({ path: 'test-results/screens/lobby-my-rooms.png' });

  alice.page.once('dialog', (d) => void d.accept());
  await alice.page.getByRole('button', { name: `Delete ${name} (weekly)` }).click();
  await expect(alice.page.locator(`[data-testid="my-room"][data-room-name="${name} (weekly)"]`)).toHaveCount(0);
  await expect(bob.page.locator(`[data-testid="room-entry"][data-room-name="${name} (weekly)"]`)).toHaveCount(0);
  await Promise.all([alice.context.close(), bob.context.close()]);
});
