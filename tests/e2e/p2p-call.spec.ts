import { expect, test } from '@playwright/test';
import { call, expectMediaFlowing, inbound, liveCaptures, lobbyEntry, peerConnectionsCreated, registerUser } from './fixtures';

test('two users call 1:1 with real media; mute stops audio at the peer; hang-up returns both to the lobby', async ({ browser }) => {
  const alice = await registerUser(browser, 'Alice');
  const bob = await registerUser(browser, 'Bob');

  // Presence is live: each sees the other without reloading.
  await expect(lobbyEntry(alice, bob)).toHaveAttribute('data-status', 'available');
  await expect(lobbyEntry(bob, alice)).toBeVisible();

  await call(alice, bob);
  await expect(alice.page.getByTestId('outgoing-call')).toContainText('Ringing');
  const ringing = bob.page.getByTestId('incoming-call');
  await expect(ringing).toContainText(`${alice.name} is calling`);
  await ringing.getByRole('button', { name: 'Accept' }).click();

  await expect(alice.page).toHaveURL(/\/call\/[0-9a-f-]{36}$/);
  await expect(bob.page).toHaveURL(alice.page.url());

  // Real media both ways within 10 s of accepting.
  await Promise.all([expectMediaFlowing(alice.page), expectMediaFlowing(bob.page)]);
  const [atAlice, atBob] = await Promise.all([inbound(alice.page), inbound(bob.page)]);
  console.log(`1:1 inbound getStats — Alice: ${JSON.stringify(atAlice)}; Bob: ${JSON.stringify(atBob)}`);
  await expect(alice.page.getByTestId('link-state')).toHaveText('Connected');
  await expect(alice.page.getByTestId('call-duration')).toHaveText(/^00:0\d$/);
  // One connection per side, negotiated once: the move from the lobby to the call page keeps the
  // call state, so neither page asks to resume the call and make the other rebuild mid-negotiation.
  expect(await peerConnectionsCreated(alice.page)).toBe(1);
  expect(await peerConnectionsCreated(bob.page)).toBe(1);

  // Mute: Alice's audio stops arriving at Bob, and Bob sees her as muted.
  await alice.page.getByTestId('toggle-mic').click();
  await expect(bob.page.getByTestId('remote-video')).toContainText('muted');
  await bob.page.waitForTimeout(1000); // packets already in flight
  const before = (await inbound(bob.page)).audioPacketsReceived;
  await bob.page.waitForTimeout(2000);
  const after = (await inbound(bob.page)).audioPacketsReceived;
  console.log(`muted: Alice's audio packets at Bob grew by ${after - before} in 2 s`);
  expect(after - before).toBeLessThanOrEqual(2);
  // …while Alice still hears Bob, and video keeps flowing.
  const aliceAudio = (await inbound(alice.page)).audioPacketsReceived;
  await expect.poll(async () => (await inbound(alice.page)).audioPacketsReceived).toBeGreaterThan(aliceAudio + 20);

  // Unmute brings it back.
  await alice.page.getByTestId('toggle-mic').click();
  await expect.poll(async () => (await inbound(bob.page)).audioPacketsReceived).toBeGreaterThan(after + 20);

  // Presence shows both in a call to a third party's lobby.
  const carol = await registerUser(browser, 'Carol');
  await expect(lobbyEntry(carol, alice)).toHaveAttribute('data-status', 'in-call');

  await bob.page.getByTestId('hangup').click();
  await expect(alice.page).toHaveURL(/\/lobby$/, { timeout: 10_000 });
  await expect(bob.page).toHaveURL(/\/lobby$/, { timeout: 10_000 });
  // Both cameras and microphones are released.
  await expect.poll(() => liveCaptures(alice.page)).toBe(0);
  await expect.poll(() => liveCaptures(bob.page)).toBe(0);
  await expect(lobbyEntry(carol, alice)).toHaveAttribute('data-status', 'available');

  await Promise.all([alice.context.close(), bob.context.close(), carol.context.close()]);
});

test('decline: the caller is told, and both stay in the lobby', async ({ browser }) => {
  const alice = await registerUser(browser, 'Alice');
  const bob = await registerUser(browser, 'Bob');
  await call(alice, bob);
  // The caller's camera starts while it rings (so it is ready on accept) …
  await expect.poll(() => liveCaptures(alice.page)).toBeGreaterThan(0);
  // … and the callee's does not start before they accept.
  expect(await liveCaptures(bob.page)).toBe(0);
  await bob.page.getByTestId('incoming-call').getByRole('button', { name: 'Decline' }).click();
  await expect(alice.page.getByTestId('call-ended')).toContainText('Call declined');
  // A declined call leaves no camera on.
  await expect.poll(() => liveCaptures(alice.page)).toBe(0);
  await expect(bob.page.getByTestId('incoming-call')).toBeHidden();
  await expect(alice.page).toHaveURL(/\/lobby$/);
  await expect(lobbyEntry(alice, bob)).toHaveAttribute('data-status', 'available');
  await Promise.all([alice.context.close(), bob.context.close()]);
});

test('busy: someone in a call cannot be called from the lobby, and the button says why', async ({ browser }) => {
  const alice = await registerUser(browser, 'Alice');
  const bob = await registerUser(browser, 'Bob');
  const carol = await registerUser(browser, 'Carol');
  await call(alice, bob);
  await bob.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
  await expect(bob.page).toHaveURL(/\/call\//);
  await expect(lobbyEntry(carol, bob)).toHaveAttribute('data-status', 'in-call');

  // (The server's BUSY answer, for a status that was stale, is covered by tests/integration/calls.test.ts.)
  const callBob = lobbyEntry(carol, bob).getByRole('button', { name: `Call ${bob.name}` });
  await expect(callBob).toBeDisabled();
  await expect(callBob).toHaveAccessibleDescription('In a call');
  // The call in progress is untouched.
  await expect(bob.page.getByTestId('incoming-call')).toBeHidden();
  await expectMediaFlowing(alice.page);
  await Promise.all([alice.context.close(), bob.context.close(), carol.context.close()]);
});

test('cancel: the caller cancels while ringing and the callee stops ringing', async ({ browser }) => {
  const alice = await registerUser(browser, 'Alice');
  const bob = await registerUser(browser, 'Bob');
  await call(alice, bob);
  await expect(bob.page.getByTestId('incoming-call')).toBeVisible();
  await alice.page.getByTestId('outgoing-call').getByRole('button', { name: 'Cancel' }).click();
  await expect(bob.page.getByTestId('incoming-call')).toBeHidden();
  await expect(bob.page.getByTestId('call-ended')).toContainText('Call cancelled');
  await expect.poll(() => liveCaptures(alice.page)).toBe(0);
  await Promise.all([alice.context.close(), bob.context.close()]);
});

test('protected pages redirect to sign-in and come back after it', async ({ page }) => {
  await page.goto('/lobby');
  await expect(page).toHaveURL(/\/login\?next=%2Flobby$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill('admin@e2e.local');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form [role="alert"]')).toContainText('Wrong email or password');
  await page.getByLabel('Password').fill('admin-password-e2e');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/lobby$/);
  await expect(page.getByTestId('whoami')).toContainText('admin');
});
