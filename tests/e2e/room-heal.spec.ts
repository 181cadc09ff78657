import { expect, test, type Browser } from '@playwright/test';
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

/**
 * `kill -9` of `pid` in a 3-person room: every participant decodes fresh frames from every other
 * again within `timeout`, and no page ever shows the "Rejoin" notice. Returns the users, still in.
 */
async function survivesKill(browser: Browser, room: string, what: string, pid: () => number, timeout: number): Promise<UserPage[]> {
  const users = await meeting(browser, room);
  const rejoin = await Promise.all(users.map((u) => watchForElement(u.page, '[data-testid="room-closed"]')));
  const target = pid();
  const killedAt = Date.now();
  process.kill(target, 'SIGKILL');
  const ms = await everyoneDecodesAgain(users, killedAt, timeout);
  await logMediaMarks(users, killedAt);
  console.log(`${what} kill -9 → every participant decodes fresh frames again after ${ms} ms`);
  for (const seen of rejoin) expect(await seen()).toBe(false);
  return users;
}

test('a killed mediasoup worker heals by itself: media comes back for everyone, no click, no "Rejoin"', async ({ browser }) => {
  test.setTimeout(150_000);
  const users = await survivesKill(browser, 'Worker crash', 'worker', () => sfuProcesses().workers[0]!, 20_000);
  for (const u of users) await expect(u.page.getByTestId('room')).toBeVisible();
  await Promise.all(users.map((u) => u.context.close()));
});

test('a killed SFU node is restarted and the room re-created on it: media comes back with no click', async ({ browser }) => {
  test.setTimeout(150_000);
  const users = await survivesKill(browser, 'Node crash', 'SFU node', () => sfuProcesses().node, 30_000);
  // Chat and room state survived: the room is the same meeting, its participants all there.
  await expect(users[0]!.page.getByRole('tab', { name: 'People (3)' })).toBeVisible();
  await Promise.all(users.map((u) => u.context.close()));
});
