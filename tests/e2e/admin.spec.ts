import { expect, test, type Page } from '@playwright/test';
import { call, expectMediaFlowing, joinRoom, registerUser, signInAdmin, type UserPage } from './fixtures';

async function createRoom(host: UserPage, name: string): Promise<string> {
  await host.page.getByLabel('Room name').fill(name);
  await host.page.getByRole('button', { name: 'Create room' }).click();
  await expect(host.page).toHaveURL(/\/room\//);
  const url = host.page.url();
  await host.page.getByRole('button', { name: 'Join' }).click();
  await expect(host.page.getByTestId('room')).toBeVisible();
  return url;
}

const numberAttr = (page: Page, selector: string, attr: string) => async () =>
  Number((await page.locator(selector).getAttribute(attr)) || 0);

test('admin watches a live room and a live 1:1 call with real media figures, and ends them', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await signInAdmin(browser);
  const host = await registerUser(browser, 'Rhea');
  const guest = await registerUser(browser, 'Gil');
  await expect(admin.page.getByTestId('admin-live')).toBeVisible();
  await expect(admin.page.getByTestId('admin-rooms-empty')).toBeVisible();

  // A room with two participants sending real media through the SFU.
  const url = await createRoom(host, 'Admin watch');
  await joinRoom(guest, url);
  await expectMediaFlowing(guest.page, 20_000);

  const room = admin.page.locator('[data-testid="admin-room"][data-room-name="Admin watch"]');
  await expect(room.getByTestId('admin-participant')).toHaveCount(2);
  for (const u of [host, guest]) {
    const row = `[data-testid="admin-room"][data-room-name="Admin watch"] [data-testid="admin-participant"][data-user-name="${u.name}"]`;
    // The SFU receives their camera + mic and forwards the other's: nonzero both ways.
    await expect.poll(numberAttr(admin.page, row, 'data-in-bitrate'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(numberAttr(admin.page, row, 'data-out-bitrate'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect(admin.page.locator(row)).toContainText('mic on');
  }
  await expect(admin.page.getByTestId('admin-worker').first()).toBeVisible();

  // End it: both participants are back in the lobby, told why.
  await room.getByRole('button', { name: 'End room Admin watch' }).click();
  await room.getByRole('button', { name: 'End room', exact: true }).click();
  await expect(admin.page.getByTestId('admin-action-status')).toHaveText('Ended Admin watch');
  for (const u of [host, guest]) {
    await expect(u.page).toHaveURL(/\/lobby\?ended=ended-by-admin/);
    await expect(u.page.getByTestId('room-closed')).toContainText('The meeting was ended by an admin');
    await expect(u.page.getByTestId('room-closed')).toContainText('Admin watch');
  }
  await expect(room).toHaveCount(0);
  await guest.page.getByRole('button', { name: 'Dismiss this message' }).click();
  await expect(guest.page).toHaveURL(/\/lobby$/);
  await expect(guest.page.getByTestId('room-closed')).toHaveCount(0);

  // The same two now call each other: the admin sees the call and what both browsers report.
  await call(host, guest);
  await guest.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
  await Promise.all([expectMediaFlowing(host.page, 20_000), expectMediaFlowing(guest.page, 20_000)]);
  const callSelector = `[data-testid="admin-call"][data-parties="${host.name} ↔ ${guest.name}"]`;
  const callRow = admin.page.locator(callSelector);
  await expect(callRow).toContainText('In call');
  await expect(callRow).toHaveAttribute('data-reports', '2', { timeout: 15_000 });
  await expect.poll(numberAttr(admin.page, callSelector, 'data-in-bitrate'), { timeout: 15_000 }).toBeGreaterThan(0);
  await expect(callRow).toContainText('direct');

  await callRow.getByRole('button', { name: `End call ${host.name} ↔ ${guest.name}` }).click();
  await callRow.getByRole('button', { name: 'End call', exact: true }).click();
  for (const u of [host, guest]) await expect(u.page.getByTestId('call-over')).toContainText('Ended by an admin');
  await expect(admin.page.getByTestId('admin-calls-empty')).toBeVisible();

  // Both actions are in the audit log; the meeting and the call are in the history, and in its CSV.
  await admin.page.getByRole('link', { name: 'Audit log' }).click();
  const audit = admin.page.getByTestId('audit-row');
  await expect(audit.nth(0)).toContainText('Ended call');
  await expect(audit.nth(1)).toContainText('Ended room');
  await expect(audit.nth(1)).toContainText('Admin watch');
  await admin.page.goto(`/admin/history?user=${encodeURIComponent(host.name)}`);
  await expect(admin.page.getByTestId('history-row')).toHaveCount(2);
  await expect(admin.page.getByTestId('history-row').filter({ hasText: 'Admin watch' })).toContainText(guest.name);
  const csv = await admin.page.request.get(`/admin/history/export?user=${encodeURIComponent(host.name)}&kind=ROOM`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
  expect((await csv.text()).split('\r\n').filter(Boolean)).toHaveLength(2); // header + the meeting

  await Promise.all([admin.close(), host.context.close(), guest.context.close()]);
});

test('a non-admin gets a 403 page on /admin, and no admin link or export', async ({ browser }) => {
  const user = await registerUser(browser, 'Nia');
  await expect(user.page.getByTestId('admin-link')).toHaveCount(0);
  const res = await user.page.goto('/admin');
  expect(res?.status()).toBe(403);
  await expect(user.page.getByTestId('forbidden')).toContainText('You do not have access to this page');
  expect((await user.page.request.get('/admin/history/export')).status()).toBe(403);
  expect((await user.page.goto('/admin/audit'))?.status()).toBe(403);
  await user.context.close();
});
