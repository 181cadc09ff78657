import { expect, test } from '@playwright/test';
import { decodingVideoStreams, inboundStreams, joinRoom, registerUser, serverLink, tileTrackId, watchForElement, type UserPage } from './fixtures';

/** Sum of frames decoded from one sender's camera, found by its tile's track. */
async function framesFrom(viewer: UserPage, sender: string): Promise<number> {
  const track = await tileTrackId(viewer.page, sender, 'video');
  return (await inboundStreams(viewer.page)).filter((s) => s.trackIdentifier === track).reduce((n, s) => n + s.framesDecoded, 0);
}

test('a socket dropped for 5 s keeps the seat: the others see "reconnecting", media flows both ways again, no pre-join screen', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const alice = await registerUser(browser, 'Alice');
  const bob = await registerUser(browser, 'Bob');
  const carol = await registerUser(browser, 'Carol');
  await alice.page.getByLabel('Room name').fill('Wobbly Wi-Fi');
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  await expect(alice.page).toHaveURL(/\/room\//);
  const url = alice.page.url();
  await alice.page.getByRole('button', { name: 'Join' }).click();
  await expect(alice.page.getByTestId('room')).toBeVisible();
  const link = await serverLink(bob.page); // before Bob's room page opens its socket
  await joinRoom(bob, url);
  await joinRoom(carol, url);
  for (const user of [alice, bob, carol]) {
    await expect.poll(() => decodingVideoStreams(user.page), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  }
  const tracksBefore = [await tileTrackId(bob.page, alice.name, 'video'), await tileTrackId(bob.page, carol.name, 'video')];
  const sawPreJoin = await watchForElement(bob.page, '[data-testid="prejoin-preview"]');

  await link.cut();
  const cutAt = Date.now();
  // The others keep Bob's tile, marked as reconnecting; Bob is told his seat is kept.
  for (const other of [alice, carol]) {
    await expect(other.page.locator(`[data-testid="room-tile"][data-user-name="${bob.name}"]`)).toHaveAttribute(
      'data-connection',
      'reconnecting',
    );
  }
  await expect(bob.page.getByTestId('room-reconnecting')).toBeVisible();
  await bob.page.waitForTimeout(Math.max(0, 5_000 - (Date.now() - cutAt))); // the outage itself lasts 5 s

  const aliceFromBob = await framesFrom(alice, bob.name);
  const bobFromAlice = await framesFrom(bob, alice.name);
  const bobFromCarol = await framesFrom(bob, carol.name);
  link.restore();
  const restoredAt = Date.now();
  for (const other of [alice, carol]) {
    await expect(other.page.locator(`[data-testid="room-tile"][data-user-name="${bob.name}"]`)).toHaveAttribute(
      'data-connection',
      'connected',
      { timeout: 15_000 },
    );
  }
  await expect(bob.page.getByTestId('room')).toHaveAttribute('data-connection', 'connected');
  const seatBackMs = Date.now() - restoredAt;
  // Fresh frames both ways.
  await expect.poll(() => framesFrom(alice, bob.name), { timeout: 10_000, intervals: [100] }).toBeGreaterThan(aliceFromBob);
  await expect.poll(() => framesFrom(bob, alice.name), { timeout: 10_000, intervals: [100] }).toBeGreaterThan(bobFromAlice);
  await expect.poll(() => framesFrom(bob, carol.name), { timeout: 10_000, intervals: [100] }).toBeGreaterThan(bobFromCarol);
  // The measure: from the socket's return (its reconnect, after socket.io's backoff) to the seat resumed.
  const resumeMs = await bob.page.evaluate(() => {
    const last = (name: string) => performance.getEntriesByName(name).at(-1)?.startTime ?? NaN;
    return last('confab:seat-resumed') - last('confab:socket-back');
  });
  console.log(
    `link back → seat resumed in ${seatBackMs} ms (socket reconnected, then resumed in ${Math.round(resumeMs)} ms); fresh frames both ways ${Date.now() - restoredAt} ms after the link returned`,
  );


  expect(await sawPreJoin()).toBe(false);
  // Nothing was consumed again: Bob still plays the same remote tracks.
  expect([await tileTrackId(bob.page, alice.name, 'video'), await tileTrackId(bob.page, carol.name, 'video')]).toEqual(tracksBefore);

  await Promise.all([alice.context.close(), bob.context.close(), carol.context.close()]);
});
