import { chromium, expect, test } from '@playwright/test';
import { call, inbound, registerUser } from './fixtures';
import config from '../../playwright.config';

test('camera blocked: the callee is told how to allow it, and can continue receive-only', async ({ browser, baseURL }) => {
  // A second browser whose permission prompt answers "Block", as a user who denied access would.
  const args = (config.use?.launchOptions?.args ?? []).map((a) =>
    a === '--use-fake-ui-for-media-stream' ? '--use-fake-ui-for-media-stream=deny' : a,
  );
  const denying = await chromium.launch({ ...config.use?.launchOptions, args });
  try {
    const alice = await registerUser(browser, 'Alice');
    const bob = await registerUser(denying, 'Bob', baseURL);
    await call(alice, bob);
    await bob.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();

    const blocked = bob.page.getByTestId('media-blocked');
    await expect(blocked).toContainText('Camera and microphone are blocked');
    await expect(blocked).toContainText('address bar');
    await blocked.getByRole('button', { name: 'Continue receive-only' }).click();
    await expect(bob.page.getByTestId('media-notice')).toContainText('Receive-only');

    // Bob sees and hears Alice; Alice receives nothing from Bob, but the call is up.
    await expect.poll(async () => (await inbound(bob.page)).videoFramesDecoded, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await inbound(bob.page)).audioPacketsReceived, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect(alice.page.getByTestId('link-state')).toHaveText('Connected');
    expect((await inbound(alice.page)).videoFramesDecoded).toBe(0);
    await alice.page.getByTestId('hangup').click();
    await expect(bob.page).toHaveURL(/\/lobby$/, { timeout: 10_000 });
  } finally {
    await denying.close();
  }
});
