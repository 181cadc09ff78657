/**
 * The lobby chat on a real server and database: the public channel and direct messages, delivery
 * acked after the write and idempotent by clientId, paging, unread counts, limits, and direct
 * messages readable only by their two parties.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary, LobbyHistoryPage, LobbyMessageView } from '@/lib/protocol';
import { conversationKey } from '@/lib/server/lobby/lobbyChatStore';
import { ask, next, record, startTestServer, type TestServer, type TestSocket, type TestUser } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function user(name: string): Promise<[TestUser, TestSocket]> {
  const u = await server.signUp(name);
  return [u, await server.connect(u)];
}

async function send(socket: TestSocket, to: string | null, text: string, clientId: string = crypto.randomUUID()) {
  const r = await ask<{ message: LobbyMessageView }>(socket, 'lobby:chat-send', { to, clientId, text });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data.message;
}

async function history(socket: TestSocket, other: string | null, before?: string) {
  const r = await ask<LobbyHistoryPage>(socket, 'lobby:chat-history', { with: other, ...(before ? { before } : {}) });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
}

async function conversations(socket: TestSocket) {
  const r = await ask<{ conversations: ConversationSummary[] }>(socket, 'lobby:conversations', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.data.conversations;
}

describe('lobby chat', () => {
  it('the public channel reaches everyone signed in, once, and a retry is stored once', async () => {
    const [, ann] = await user('Ann');
    const [, ben] = await user('Ben');
    const heard = next(ben, 'lobby:chat');
    const clientId = crypto.randomUUID();
    const first = await send(ann, null, 'hello lobby', clientId);
    expect((await heard).message).toMatchObject({ id: first.id, text: 'hello lobby', dm: null, kind: 'text' });
    // The same clientId again (the ack was lost): the stored message, no second copy, no second broadcast.
    const seen = record(ben, 'lobby:chat');
    const again = await send(ann, null, 'hello lobby', clientId);
    expect(again.id).toBe(first.id);
    expect((await history(ben, null)).messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
    // A resend racing the original (both in flight after a reconnect): both acked with the one stored message.
    const racedId = crypto.randomUUID();
    const raced = await Promise.all([send(ann, null, 'raced', racedId), send(ann, null, 'raced', racedId), send(ann, null, 'raced', racedId)]);
    expect(new Set(raced.map((m) => m.id)).size).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.filter((e) => e.message.clientId === clientId)).toHaveLength(0);
    // The raced message was broadcast once.
    expect(seen.filter((e) => e.message.clientId === racedId)).toHaveLength(1);
  });

  it('a direct message reaches only its two parties; a third user can neither read nor receive it', async () => {
    const [annU, ann] = await user('Anna');
    const [benU, ben] = await user('Bert');
    const [, eve] = await user('Eve');
    const eveHeard = record(eve, 'lobby:chat');
    const benHeard = next(ben, 'lobby:chat');
    const m = await send(ann, benU.id, 'just for you');
    expect((await benHeard).message).toMatchObject({ id: m.id, dm: [annU.id, benU.id].sort() });
    expect((await history(ben, annU.id)).messages.map((x) => x.text)).toEqual(['just for you']);
    // Eve names either party: she only ever reaches her own (empty) conversation with them.
    expect((await history(eve, annU.id)).messages).toEqual([]);
    expect((await history(eve, benU.id)).messages).toEqual([]);
    // Paging from a message of someone else's conversation gives nothing either.
    expect((await history(eve, annU.id, m.id)).messages).toEqual([]);
    expect((await conversations(eve)).map((c) => c.with)).toEqual([null]);
    await new Promise((r) => setTimeout(r, 200));
    expect(eveHeard.filter((e) => e.message.dm !== null)).toHaveLength(0);
  });

  it('counts unread messages per conversation until read', async () => {
    const [annU, ann] = await user('Ada');
    const [benU, ben] = await user('Bob');
    await send(ann, benU.id, 'one');
    await send(ann, benU.id, 'two');
    const dm = (await conversations(ben)).find((c) => c.with === annU.id);
    expect(dm).toMatchObject({ name: annU.name, unread: 2, last: { text: 'two' } });
    expect(await ask(ben, 'lobby:chat-read', { with: annU.id })).toMatchObject({ ok: true });
    expect((await conversations(ben)).find((c) => c.with === annU.id)?.unread).toBe(0);
    // Our own messages never count as unread.
    expect((await conversations(ann)).find((c) => c.with === benU.id)?.unread).toBe(0);
  });

  it('pages back through history, newest last', async () => {
    const [annU, ann] = await user('Pager');
    const [benU] = await user('Paged');
    // Written straight to the database: 60 through the socket would (rightly) hit the rate limit.
    const t0 = Date.now() - 60_000;
    await server.db.lobbyMessage.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        conversation: conversationKey(annU.id, benU.id),
        userId: annU.id,
        clientId: crypto.randomUUID(),
        text: `m${i}`,
        // Some share a timestamp: paging must still neither skip nor repeat any.
        createdAt: new Date(t0 + Math.floor(i / 3) * 1000),
      })),
    });
    const page1 = await history(ann, benU.id);
    expect(page1.more).toBe(true);
    expect(page1.messages.at(-1)!.text).toBe('m59');
    expect(page1.messages).toHaveLength(50);
    const page2 = await history(ann, benU.id, page1.messages[0]!.id);
    expect(page2.more).toBe(false);
    expect(page2.messages.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
  });

  it('refuses what it must: too long, empty, to yourself, to nobody, malformed, and too fast', async () => {
    const [annU, ann] = await user('Limits');
    const refused = async (payload: unknown, code: string) =>
      expect(await ask(ann, 'lobby:chat-send', payload)).toMatchObject({ ok: false, error: { code } });
    await refused({ to: null, clientId: crypto.randomUUID(), text: 'x'.repeat(2001) }, 'BAD_REQUEST');
    await refused({ to: null, clientId: crypto.randomUUID(), text: '   ' }, 'BAD_REQUEST');
    await refused({ to: annU.id, clientId: crypto.randomUUID(), text: 'me' }, 'BAD_REQUEST');
    await refused({ to: 'nobody-at-all', clientId: crypto.randomUUID(), text: 'hi' }, 'NOT_FOUND');
    await refused({ to: null, clientId: 'not-a-uuid', text: 'hi' }, 'BAD_REQUEST');
    await refused({ to: { $ne: null }, clientId: crypto.randomUUID(), text: 'hi' }, 'BAD_REQUEST');
    const results = [];
    for (let i = 0; i < 14; i++) results.push(await ask(ann, 'lobby:chat-send', { to: null, clientId: crypto.randomUUID(), text: `burst ${i}` }));
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toContain('RATE_LIMITED');
    // The process lives on and still answers.
    expect(await ask(ann, 'session:ping', {})).toMatchObject({ ok: true });
  });
});
