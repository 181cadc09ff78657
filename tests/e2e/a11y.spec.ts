/**
 * axe-core on every kind of page a user meets: no serious or critical WCAG 2 A/AA violation on the
 * lobby, the pre-join screen, a room, a 1:1 call and the admin dashboard.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { call, joinRoom, registerUser, signInAdmin } from './fixtures';

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

test('no serious or critical accessibility violations on the lobby, pre-join, room, call and admin pages', async ({ browser }) => {
  test.setTimeout(120_000);
  const alice = await registerUser(browser, 'Alice');
  const bob = await registerUser(browser, 'Bob');
  expect(await seriousViolations(alice.page), 'lobby').toEqual([]);

  await alice.page.getByLabel('Room name').fill('Accessible');
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  await expect(alice.page.getByRole('button', { name: 'Join' })).toBeEnabled();
  expect(await seriousViolations(alice.page), 'pre-join').toEqual([]);
  await alice.page.getByRole('button', { name: 'Join' }).click();
  await expect(alice.page.getByTestId('room')).toBeVisible();
  await joinRoom(bob, alice.page.url());
  await expect(alice.page.locator('[data-testid="room-tile"]:not([data-self])')).toHaveCount(1);
  expect(await seriousViolations(alice.page), 'room').toEqual([]);
  await alice.page.getByRole('button', { name: 'Leave' }).click();
  await bob.page.getByRole('button', { name: 'Leave' }).click();
  await expect(bob.page).toHaveURL(/\/lobby$/);

  await call(alice, bob);
  await bob.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
  await expect(alice.page.getByTestId('call-view')).toBeVisible();
  expect(await seriousViolations(alice.page), 'call').toEqual([]);

  const admin = await signInAdmin(browser);
  try {
    expect(await seriousViolations(admin.page), 'admin').toEqual([]);
  } finally {
    await admin.close();
  }
  await Promise.all([alice.context.close(), bob.context.close()]);
});
