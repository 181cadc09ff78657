import { expect, test } from '@playwright/test';
import { everyoneDecodesAgain, meeting, sfuProcesses, watchForElement, type UserPage } from './fixtures';

/** Where the time went, in each page: its media marks (lib/client/room/RoomSession.ts) after `since`. */
async function logMediaMarks(users: UserPage[], since: number) {
  for (const u of users) {
    const marks = await u.page.evaluate(() =>
      performance.getEntriesByType('mark').map((m) => [m.name.replace('confab:', ''), performance.timeOrigin + m.startTime] as const),
    );
    const after = marks.filter(([, t]) => t >= since).map(([n, t]) => `${n} +${Math.round(t - since)}`);
    console.log(`  ${u.name}: ${after.join(', ') || 'no media marks (not moved)'}`);
  }
}

test('a killed mediasoup worker heals by itself: media comes back for everyone, no click, no "Rejoin"', async ({ browser }) => {
  test.setTimeout(150_000);
  const users = await meeting(browser, 'Worker crash');
  const rejoin = await Promise.all(users.map((u) => watchForElement(u.page, '[data-testid="room-closed"]')));
  const { workers } = sfuProcesses();
  const killedAt = Date.now();
  process.kill(workers[0]!, 'SIGKILL');
  const ms = await everyoneDecodesAgain(users, killedAt, 20_000);
  await logMediaMarks(users, killedAt);
  console.log(`worker kill -9 → every participant decodes fresh frames again after ${ms} ms`);
  for (const seen of rejoin) expect(await seen()).toBe(false);
  for (const u of users) await expect(u.page.getByTestId('room')).toBeVisible();
  await Promise.all(users.map((u) => u.context.close()));
});

test('a killed SFU node is restarted and the room re-created on it: media comes back with no click', async ({ browser }) => {
  test.setTimeout(150_000);
  const users = await meeting(browser, 'Node crash');
  const rejoin = await Promise.all(users.map((u) => watchForElement(u.page, '[data-testid="room-closed"]')));
  const { node } = sfuProcesses();
  const killedAt = Date.now();
  process.kill(node, 'SIGKILL');
  const ms = await everyoneDecodesAgain(users, killedAt, 30_000);
  await logMediaMarks(users, killedAt);
  console.log(`SFU node kill -9 → every participant decodes fresh frames again after ${ms} ms`);
  for (const seen of rejoin) expect(await seen()).toBe(false);
  // Chat and room state survived: the room is the same meeting, its participants all there.
  await expect(users[0]!.page.getByRole('tab', { name: 'People (3)' })).toBeVisible();
  await Promise.all(users.map((u) => u.context.close()));
});
