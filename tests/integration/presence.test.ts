import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceDiff, PresenceSnapshot, PresenceUser } from '@/lib/protocol';
import { ask, record, sleep, startTestServer, type TestServer, type TestSocket } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ PRESENCE_LINGER_MS: '200' });
});
afterAll(() => server.stop());

/** Every presence diff `socket` receives from now on, flattened out of their batches, by kind. */
function recordDiffs(socket: TestSocket) {
  const batches = record(socket, 'presence:diffs');
  const of = <T extends PresenceDiff['type']>(type: T) =>
    batches.flat().filter((d): d is Extract<PresenceDiff, { type: T }> => d.type === type);
  return {
    batches,
    joined: (): PresenceUser[] => of('joined').map((d) => d.user),
    left: () => of('left').map(({ userId }) => ({ userId })),
    statuses: () => of('status').map(({ userId, status }) => ({ userId, status })),
  };
}

describe('lobby presence', () => {
  it('sends a snapshot, then diffs: joined, status, left — and several tabs are one presence', async () => {
    const watcher = await server.signUp('Watcher');
    const sw = await server.connect(watcher);
    const diffs = recordDiffs(sw);
    const others = () => diffs.joined().filter((u) => u.id !== watcher.id); // a socket hears its own join too

    const zed = await server.signUp('Zed');
    const tab1 = await server.connect(zed);
    const tab2 = await server.connect(zed);
    await sleep(150);
    expect(others().map((u) => u.name)).toEqual(['Zed']); // one presence for two tabs

    const snap = await ask<PresenceSnapshot>(sw, 'presence:snapshot', {});
    expect(snap.ok && snap.data.users.find((u) => u.id === zed.id)).toMatchObject({ status: 'available' });
    expect(snap.ok && snap.data.me.id).toBe(watcher.id);
    expect(snap.ok && snap.data.users.some((u) => u.id === watcher.id)).toBe(false);

    // Ringing and in-call show up as status diffs.
    const inviteAck = await ask<{ call: { callId: string } }>(sw, 'call:invite', { calleeId: zed.id });
    expect(inviteAck.ok).toBe(true);
    await sleep(150);
    expect(diffs.statuses()).toContainEqual({ userId: zed.id, status: 'ringing' });
    if (inviteAck.ok) await ask(sw, 'call:cancel', { callId: inviteAck.data.call.callId });
    await sleep(150);
    expect(diffs.statuses().at(-1)).toEqual({ userId: zed.id, status: 'available' });

    // Closing one tab is not leaving; closing the last one is, after the linger.
    tab1.disconnect();
    await sleep(350);
    expect(diffs.left()).toEqual([]);
    tab2.disconnect();
    await expect.poll(() => diffs.left(), { timeout: 2000 }).toEqual([{ userId: zed.id }]);
    expect(others()).toHaveLength(1);
  });

  it('a burst of arrivals reaches each socket as a few messages, every change in order', async () => {
    const watcher = await server.signUp('Watcher3');
    const sw = await server.connect(watcher);
    await sleep(150);
    const diffs = recordDiffs(sw);
    const crowd = await Promise.all(Array.from({ length: 12 }, (_, i) => server.signUp(`Crowd${i}`)));
    for (const user of crowd) await server.connect(user);
    await expect.poll(() => diffs.joined().length, { timeout: 2000 }).toBe(crowd.length);
    expect(diffs.joined().map((u) => u.id)).toEqual(crowd.map((u) => u.id));
    // Twelve connections take well under the 100 ms window: the first goes out alone, the rest together.
    expect(diffs.batches.length).toBeLessThan(crowd.length);
  });

  it('a reload within the linger does not flap presence', async () => {
    const watcher = await server.signUp('Watcher2');
    const sw = await server.connect(watcher);
    const yan = await server.signUp('Yan');
    const first = await server.connect(yan);
    await sleep(150);
    const diffs = recordDiffs(sw);
    first.disconnect();
    await sleep(50);
    await server.connect(yan);
    await sleep(400);
    expect(diffs.batches).toEqual([]);
  });
});
