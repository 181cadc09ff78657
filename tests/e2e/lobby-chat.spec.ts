/**
 * The lobby chat in the browser: the public channel and a direct message between two users, unread
 * counts, text that stays text (no HTML) with safe links, and a call started from a direct message
 * whose outcome is noted in the conversation.
 */
import { expect, test } from '@playwright/test';
import { expectMediaFlowing, registerUser } from './fixtures';

test('two users chat in the lobby and in a direct message, with unread counts, and call from it', async ({ browser }) => {
  const ann = await registerUser(browser, 'Ann');
  const bob = await registerUser(browser, 'Bob');
  const chat = (p: typeof ann) => p.page.getByTestId('lobby-chat');
  const tab = (p: typeof ann, withWhom: string) => chat(p).locator(`[data-testid="conversation"][data-with="${withWhom}"]`);

  // The lobby channel: Ann writes, Bob (who has it open) sees it at once. HTML stays text; a link is a link.
  await chat(ann).getByPlaceholder('Message Lobby').fill('hi all <b>bold</b> https://example.org/x?y=1');
  await chat(ann).getByRole('button', { name: 'Send' }).click();
  const line = chat(bob).getByTestId('chat-lines').locator('li', { hasText: 'hi all' });
  await expect(line).toContainText('<b>bold</b>');
  await expect(line.locator('b')).toHaveCount(0);
  await expect(line.getByRole('link', { name: 'https://example.org/x?y=1' })).toHaveAttribute('rel', /noopener/);

  // Bob opens a direct message with Ann from the people list; Ann sees an unread count on it.
  await bob.page.locator(`[data-testid="lobby-user"][data-user-name="${ann.name}"]`).getByRole('button', { name: `Message ${ann.name}` }).click();
  await chat(bob).getByPlaceholder(`Message ${ann.name}`).fill('psst, Ann');
  await chat(bob).getByRole('button', { name: 'Send' }).click();
  await expect(chat(bob).getByTestId('chat-lines')).toContainText('psst, Ann');
  await expect(chat(bob).locator('[data-testid="conversation"][aria-selected="true"]')).toHaveText(ann.name);
  await expect(tab(bob, 'lobby')).toHaveAttribute('aria-selected', 'false');
  const bobTab = chat(ann).locator('[data-testid="conversation"]', { hasText: bob.name });
  await expect(bobTab.getByTestId('unread')).toHaveText('1');
  await bobTab.click();
  await expect(chat(ann).getByTestId('chat-lines')).toContainText('psst, Ann');
  await expect(bobTab.getByTestId('unread')).toHaveCount(0);

  // A call from the direct message: Ann calls Bob with its Call button; both decode; the outcome is noted.
  await chat(ann).getByRole('button', { name: 'Call', exact: true }).click();
  await bob.page.getByTestId('incoming-call').getByRole('button', { name: 'Accept' }).click();
  await Promise.all([expectMediaFlowing(ann.page, 15_000), expectMediaFlowing(bob.page, 15_000)]);
  await ann.page.getByTestId('hangup').click();
  await expect(bob.page).toHaveURL(/\/lobby$/, { timeout: 10_000 });
  await bob.page.locator('[data-testid="conversation"]', { hasText: ann.name }).click();
  await expect(chat(bob).locator('[data-kind="call-ended"]')).toContainText('Call ended');
});
