import { expect, test } from '@playwright/test';
import { call, expectMediaFlowing, inbound, registerUser } from './fixtures';

test('a reload mid-call rejoins the same call, and media flows again both ways', async ({ browser }) => {
  const alice = await registerUser(browser, 'Alice');
  const bob = await registerUser(browser, 'Bob');
  await call(alice, bob);
  await bob.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
  await Promise.all([expectMediaFlowing(alice.page), expectMediaFlowing(bob.page)]);
  const callUrl = bob.page.url();

  await bob.page.reload();
  await expect(bob.page).toHaveURL(callUrl);
  await expect(bob.page.getByTestId('call-view')).toBeVisible();
  // Both sides rebuilt their connection: the new one decodes fresh frames.
  await expectMediaFlowing(bob.page, 15_000);
  const aliceFrames = (await inbound(alice.page)).videoFramesDecoded;
  await expect.poll(async () => (await inbound(alice.page)).videoFramesDecoded, { timeout: 15_000 }).toBeGreaterThan(aliceFrames + 10);
  await expect(alice.page.getByTestId('link-state')).toHaveText('Connected');

  await alice.page.getByTestId('hangup').click();
  await expect(bob.page).toHaveURL(/\/lobby$/, { timeout: 10_000 });
  await Promise.all([alice.context.close(), bob.context.close()]);
});

test('when a party vanishes, the other is told and the call ends after the grace period', async ({ browser }) => {
  const alice = await registerUser(browser, 'Alice');
  const bob = await registerUser(browser, 'Bob');
  await call(alice, bob);
  await bob.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
  await expectMediaFlowing(alice.page);

  await bob.context.close(); // the tab is gone for good
  await expect(alice.page.getByTestId('link-state')).toContainText('reconnecting', { timeout: 5_000 });
  // CALL_RECONNECT_GRACE_MS is 10 s by default.
  await expect(alice.page.getByTestId('call-over')).toContainText('Connection to the other side was lost', { timeout: 20_000 });
  await expect(alice.page).toHaveURL(/\/lobby$/, { timeout: 10_000 });
  await alice.context.close();
});
