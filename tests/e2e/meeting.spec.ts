/**
 * The meeting itself, four people at 1280×800: the grid uses the screen (2 × 2, so every remote
 * video is decoded at 640 px or more, not the 320 px of a row of narrow tiles), speaker view gives
 * the stage the full layer and the filmstrip the lowest, raised hands keep one order for all, and
 * reactions reach the others. Screenshots of the grid and the speaker view go to test-results/.
 */
import { expect, test, type Page } from '@playwright/test';
import { decodesFreshFrom, inboundStreams, joinRoom, liveCaptures, registerUser, tileTrackId, type UserPage } from './fixtures';

const SHOTS = 'test-results/screens';

/** Width of the frames `viewer` decodes from `sender`'s camera tile now. */
async function decodedWidth(viewer: UserPage, sender: UserPage): Promise<number> {
  const track = await tileTrackId(viewer.page, sender.name, 'video').catch(() => null);
  if (!track) return 0;
  const streams = (await inboundStreams(viewer.page)).filter((s) => s.trackIdentifier === track && s.framesDecoded > 0);
  return Math.max(0, ...streams.map((s) => s.frameWidth));
}

const handOrder = (page: Page) => page.getByTestId('raised-hand').evaluateAll((els) => els.map((e) => e.getAttribute('data-user-id')));

test('four people at 1280×800: a 2 × 2 grid at ≥ 640 px, speaker view layers, raised hands in one order, reactions, volume, a live camera switch', async ({ browser }) => {
  test.setTimeout(240_000);
  const users = await Promise.all(['Alice', 'Bob', 'Carol', 'Dave'].map((n) => registerUser(browser, n)));
  const [alice, bob, carol, dave] = users as [UserPage, UserPage, UserPage, UserPage];
  for (const u of users) await u.page.setViewportSize({ width: 1280, height: 800 });
  await alice.page.getByLabel('Room name').fill('Four');
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  await expect(alice.page).toHaveURL(/\/room\//);
  await alice.page.getByRole('button', { name: 'Join' }).click();
  await expect(alice.page.getByTestId('room')).toBeVisible();
  for (const u of [bob, carol, dave]) await joinRoom(u, alice.page.url());

  // The grid: 2 columns, and every remote camera decoded at 640 px or more, at every page.
  for (const viewer of users) {
    await expect(viewer.page.getByTestId('room-grid')).toHaveAttribute('data-cols', '2');
    for (const sender of users.filter((u) => u !== viewer)) {
      await expect.poll(() => decodedWidth(viewer, sender), { timeout: 30_000, message: `${sender.name} at ${viewer.name}` }).toBeGreaterThanOrEqual(640);
    }
  }
  console.log(`decoded widths at ${alice.name}: ${(await Promise.all([bob, carol, dave].map((s) => decodedWidth(alice, s)))).join(', ')} px`);
  await alice.page.screenshot({ path: `${SHOTS}/room-grid-4.png` });

  // Speaker view with Bob pinned: his tile takes the stage at the full layer, the filmstrip gets the lowest.
  await alice.page.getByRole('button', { name: 'Speaker view' }).click();
  await alice.page.locator(`[data-testid="room-tile"][data-user-name="${bob.name}"]`).hover();
  await alice.page.getByRole('button', { name: `Pin ${bob.name}` }).click();
  await expect(alice.page.getByTestId('room-grid')).toHaveAttribute('data-layout', 'stage');
  await expect.poll(() => decodedWidth(alice, bob), { timeout: 30_000 }).toBe(1280);
  await expect.poll(() => decodedWidth(alice, carol), { timeout: 30_000 }).toBe(320);
  await alice.page.screenshot({ path: `${SHOTS}/room-speaker-view.png` });

  // Raised hands: Dave, then Bob, then Carol; every page lists them in that order.
  for (const u of [dave, bob, carol]) {
    await u.page.getByRole('button', { name: 'Raise hand' }).click();
    await expect(u.page.getByRole('button', { name: 'Lower hand' })).toBeVisible();
  }
  const expected = await handOrder(alice.page);
  expect(expected).toHaveLength(3);
  for (const u of users) await expect.poll(() => handOrder(u.page)).toEqual(expected);
  await expect(alice.page.getByTestId('raised-hands')).toContainText(new RegExp(`${dave.name}[\\s\\S]*${bob.name}[\\s\\S]*${carol.name}`));
  await alice.page.screenshot({ path: `${SHOTS}/room-hands.png` });
  // The host lowers Bob's hand: gone for everyone, the others keep their order.
  await alice.page.getByRole('button', { name: `Lower ${bob.name}'s hand` }).click();
  for (const u of users) await expect.poll(() => handOrder(u.page)).toEqual([expected[0], expected[2]]);
  await expect(bob.page.getByRole('button', { name: 'Raise hand' })).toBeVisible();

  // The host spotlights Carol for everyone: her tile takes Dave's stage (and its full layer); Alice's own pin still wins for her.
  await alice.page.getByLabel(`Actions for ${carol.name}`).click();
  await alice.page.getByRole('button', { name: 'Spotlight for everyone' }).click();
  await expect(dave.page.getByTestId('room-grid')).toHaveAttribute('data-layout', 'stage');
  await expect(dave.page.locator('.room-stage [data-testid="room-tile"]')).toHaveAttribute('data-user-name', carol.name);
  await expect.poll(() => decodedWidth(dave, carol), { timeout: 30_000 }).toBe(1280);
  await expect(alice.page.locator('.room-stage [data-testid="room-tile"]')).toHaveAttribute('data-user-name', bob.name);
  await alice.page.getByLabel(`Actions for ${carol.name}`).click();
  await alice.page.getByRole('button', { name: 'Remove spotlight' }).click();
  await expect(dave.page.getByTestId('room-grid')).toHaveAttribute('data-layout', 'grid');

  // A reaction from Carol floats over her tile at the others.
  await carol.page.getByRole('button', { name: 'React', exact: true }).click();
  await carol.page.getByRole('button', { name: 'React with applause' }).click();
  for (const u of [alice, dave]) {
    await expect(u.page.locator(`[data-testid="room-tile"][data-user-name="${carol.name}"] [data-testid="reaction"]`)).toHaveText('👏');
  }

  await alice.page.screenshot({ path: `${SHOTS}/room-reaction.png` });

  // Alice turns Bob down, then mutes him for herself only: his audio element follows; Carol still hears him.
  const bobAudio = alice.page.locator(`[data-testid="room-audio"][data-user-name="${bob.name}"]`);
  await alice.page.getByLabel(`Actions for ${bob.name}`).click();
  await alice.page.getByLabel(`Volume for ${bob.name}`).fill('30');
  await expect.poll(() => bobAudio.evaluate((el: HTMLAudioElement) => el.volume)).toBeCloseTo(0.3, 2);
  await alice.page.getByRole('button', { name: `Mute ${bob.name} for me` }).click();
  await expect.poll(() => bobAudio.evaluate((el: HTMLAudioElement) => el.muted)).toBe(true);
  await expect.poll(() => carol.page.locator(`[data-testid="room-audio"][data-user-name="${bob.name}"]`).evaluate((el: HTMLAudioElement) => el.muted)).toBe(false);

  // Bob switches his camera live: the old capture is released, and the others keep decoding him.
  await bob.page.getByRole('tab', { name: 'Devices' }).click();
  const camera = bob.page.getByLabel('Camera');
  // The tab lists the devices once enumerateDevices() answered (slow on a loaded machine).
  await expect(camera.locator('option')).not.toHaveCount(0);
  const cameras = await camera.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  const current = await camera.inputValue();
  const next = cameras.find((id) => id !== current) ?? current;
  const producedBefore = await bob.page.evaluate(() => (window as unknown as { __captured: MediaStreamTrack[] }).__captured.length);
  await camera.selectOption(next);
  await expect.poll(() => bob.page.evaluate(() => (window as unknown as { __captured: MediaStreamTrack[] }).__captured.length)).toBe(producedBefore + 1);
  expect(await liveCaptures(bob.page)).toBe(2); // the new camera and the mic; the old camera stopped
  console.log(`camera switch at ${bob.name}: ${cameras.length} cameras, ${current === next ? 'the same one again' : 'another one'}`);
  for (const viewer of [alice, carol]) await expect.poll(() => decodesFreshFrom(viewer, bob.name), { timeout: 15_000 }).toBe(true);

  // Shortcuts: M mutes, R raises the hand, ? shows the help, Escape closes it.
  await dave.page.getByTestId('room-grid').click({ position: { x: 5, y: 5 } });
  await dave.page.keyboard.press('m');
  await expect(dave.page.getByRole('button', { name: 'Unmute' })).toBeVisible();
  await dave.page.keyboard.press('r');
  await expect(dave.page.getByRole('button', { name: 'Raise hand' })).toBeVisible(); // his hand was up: R lowers it
  await dave.page.keyboard.press('Shift+?');
  await expect(dave.page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await dave.page.keyboard.press('Escape');
  await expect(dave.page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
  // Typing in the chat is never a shortcut.
  await dave.page.getByRole('tab', { name: 'Chat' }).click();
  await dave.page.getByRole('textbox').first().pressSequentially('mmm');
  await expect(dave.page.getByRole('button', { name: 'Unmute' })).toBeVisible();

  // A phone: the grid over the panel, nothing off screen sideways.
  await dave.page.setViewportSize({ width: 375, height: 812 });
  await expect(dave.page.getByTestId('room-grid')).toHaveAttribute('data-cols', '1');
  await dave.page.screenshot({ path: `${SHOTS}/room-phone.png`, fullPage: true });
  const wide = await dave.page.evaluate(() =>
    [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 376).map((e) => `${e.tagName}.${e.className}`).slice(0, 8),
  );
  expect(wide, 'elements past the right edge').toEqual([]);

  await Promise.all(users.map((u) => u.context.close()));
});
