import { expect, test } from '@playwright/test';
import {
  decodingVideoStreams,
  inboundStreams,
  joinRoom,
  receivingAudioStreams,
  registerUser,
  remoteStreamIdOf,
  streamFor,
  tileTrackId,
} from './fixtures';

test('three people meet in a room through the SFU: video and audio both ways, screen share, mute by host, leave', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const alice = await registerUser(browser, 'Alice');
  const bob = await registerUser(browser, 'Bob');
  const carol = await registerUser(browser, 'Carol');

  // Alice creates the room from the lobby; it shows up in the others' lobby list.
  await alice.page.getByLabel('Room name').fill('Standup');
  await alice.page.getByRole('button', { name: 'Create room' }).click();
  await expect(alice.page).toHaveURL(/\/room\/standup-[a-z0-9]{4}$/);
  const url = alice.page.url();
  await expect(bob.page.locator('[data-testid="room-entry"][data-room-name="Standup"]')).toBeVisible();
  await alice.page.getByRole('button', { name: 'Join' }).click();
  await expect(alice.page.getByTestId('room')).toBeVisible();
  await expect(bob.page.locator('[data-testid="room-entry"][data-room-name="Standup"] [data-testid="room-count"]')).toHaveText(`1 inside: ${alice.name}`);

  await joinRoom(bob, url);
  // Carol joins with her mic off: her producer is made paused, so not one audio packet goes out.
  await carol.page.goto(url);
  await carol.page.getByRole('button', { name: 'Mute' }).click();
  await expect(carol.page.getByRole('button', { name: 'Unmute' })).toBeVisible();
  await carol.page.getByRole('button', { name: 'Join' }).click();
  await expect(carol.page.getByTestId('room')).toBeVisible();

  // Everyone decodes video from the two others and receives their audio.
  for (const user of [alice, bob, carol]) {
    await expect.poll(() => decodingVideoStreams(user.page), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => receivingAudioStreams(user.page), { timeout: 20_000 }).toBeGreaterThanOrEqual(user === carol ? 2 : 1);
    const streams = (await inboundStreams(user.page)).filter((s) => s.framesDecoded > 0 || (s.kind === 'audio' && s.packetsReceived > 0));
    console.log(`room inbound getStats at ${user.name}: ${streams.map((s) => `${s.kind} ${s.kind === 'video' ? `${s.framesDecoded} frames ${s.frameWidth}px` : `${s.packetsReceived} pkts`}`).join(', ')}`);
  }

  // Carol's mic: silent while she is muted, heard once she unmutes.
  const carolAudioAtAlice = await tileTrackId(alice.page, carol.name, 'audio');
  expect(carolAudioAtAlice).toBeTruthy();
  await expect(alice.page.locator(`[data-testid="room-tile"][data-user-name="${carol.name}"]`)).toContainText('muted');
  expect((await streamFor(alice.page, carolAudioAtAlice!))?.packetsReceived ?? 0).toBe(0);
  await carol.page.getByRole('button', { name: 'Unmute' }).click();
  await expect.poll(async () => (await streamFor(alice.page, carolAudioAtAlice!))?.packetsReceived ?? 0, { timeout: 10_000 }).toBeGreaterThan(20);

  // Lip sync: each participant's camera and mic arrive in one MediaStream.
  for (const [viewer, sender] of [[alice, bob], [bob, carol], [carol, alice]] as const) {
    const [audio, video] = [await tileTrackId(viewer.page, sender.name, 'audio'), await tileTrackId(viewer.page, sender.name, 'video')];
    const [audioStream, videoStream] = [await remoteStreamIdOf(viewer.page, audio!), await remoteStreamIdOf(viewer.page, video!)];
    expect(audioStream, `${sender.name}'s stream at ${viewer.name}`).toBeTruthy();
    expect(videoStream).toBe(audioStream);
  }

  // Alice shares her screen: Bob and Carol decode a third video stream.
  await alice.page.getByRole('button', { name: 'Share screen' }).click();
  for (const user of [bob, carol]) {
    await expect(user.page.locator(`[data-testid="room-tile"][data-source="screen"]`)).toBeVisible();
    await expect.poll(() => decodingVideoStreams(user.page), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
  }
  await alice.page.getByRole('button', { name: 'Stop sharing' }).click();
  await expect(bob.page.locator(`[data-testid="room-tile"][data-source="screen"]`)).toHaveCount(0, { timeout: 5_000 });

  // The host (Alice) mutes Bob: at Carol, Bob's audio stops arriving; Bob is told.
  const bobAudioAtCarol = await tileTrackId(carol.page, bob.name, 'audio');
  expect(bobAudioAtCarol).toBeTruthy();
  await alice.page.getByLabel(`Actions for ${bob.name}`).click();
  await alice.page.getByRole('button', { name: `Mute ${bob.name}`, exact: true }).click();
  await expect(bob.page.getByTestId('room-notice')).toContainText('muted by the host');
  await expect(bob.page.getByRole('button', { name: 'Unmute' })).toBeVisible();
  await carol.page.waitForTimeout(1000);
  const before = (await streamFor(carol.page, bobAudioAtCarol!))?.packetsReceived ?? 0;
  await carol.page.waitForTimeout(2000);
  const after = (await streamFor(carol.page, bobAudioAtCarol!))?.packetsReceived ?? 0;
  expect(after - before).toBeLessThanOrEqual(2);
  await expect(carol.page.locator(`[data-testid="room-tile"][data-user-name="${bob.name}"]`)).toContainText('muted');

  // Alice leaves: Bob's and Carol's grids drop her within 5 s.
  await alice.page.getByRole('button', { name: 'Leave' }).click();
  await expect(alice.page).toHaveURL(/\/lobby$/);
  for (const user of [bob, carol]) {
    await expect(user.page.locator(`[data-testid="room-tile"][data-user-name="${alice.name}"]`)).toHaveCount(0, { timeout: 5_000 });
  }

  await Promise.all([alice.context.close(), bob.context.close(), carol.context.close()]);
});
