import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceSnapshot } from '@/lib/protocol';
import { ask, next, record, sleep, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ PRESENCE_LINGER_MS: '200' });
});
afterAll(() => server.stop());

describe('lobby presence', () => {
  it('sends a snapshot, then diffs: joined, status, left — and several tabs are one presence', async () => {
    const watcher = await server.signUp('Watcher');
    const sw = await server.connect(watcher);
    const joined = record(sw, 'presence:joined');
    const left = record(sw, 'presence:left');
    const statuses = record(sw, 'presence:status');

    const zed = await server.signUp('Zed');
    const tab1 = await server.connect(zed);
    const tab2 = await server.connect(zed);
    await sleep(100);
    expect(joined.map((u) => u.name)).toEqual(['Zed']); // one presence for two tabs

    const snap = await ask<PresenceSnapshot>(sw, 'presence:snapshot', {});
    expect(snap.ok && snap.data.users.find((u) => u.id === zed.id)).toMatchObject({ status: 'available' });
    expect(snap.ok && snap.data.me.id).toBe(watcher.id);
    expect(snap.ok && snap.data.users.some((u) => u.id === watcher.id)).toBe(false);

    // Ringing and in-call show up as status diffs.
    const inviteAck = await ask<{ call: { callId: string } }>(sw, 'call:invite', { calleeId: zed.id });
    expect(inviteAck.ok).toBe(true);
    await sleep(100);
    expect(statuses).toContainEqual({ userId: zed.id, status: 'ringing' });
    if (inviteAck.ok) await ask(sw, 'call:cancel', { callId: inviteAck.data.call.callId });
    await sleep(100);
    expect(statuses.at(-1)).toEqual({ userId: zed.id, status: 'available' });

    // Closing one tab is not leaving; closing the last one is, after the linger.
    tab1.disconnect();
    await sleep(350);
    expect(left).toEqual([]);
    const gone = next(sw, 'presence:left', 2000);
    tab2.disconnect();
    expect(await gone).toEqual({ userId: zed.id });
    expect(joined).toHaveLength(1);
  });

  it('a reload within the linger does not flap presence', async () => {
    const watcher = await server.signUp('Watcher2');
    const sw = await server.connect(watcher);
    const yan = await server.signUp('Yan');
    const first = await server.connect(yan);
    await sleep(50);
    const joined = record(sw, 'presence:joined');
    const left = record(sw, 'presence:left');
    first.disconnect();
    await sleep(50);
    await server.connect(yan);
    await sleep(400);
    expect(joined).toEqual([]);
    expect(left).toEqual([]);
  });
});
