/**
 * The waiting room through the real web process and SFU node: knocking before and after the host
 * is in, admit, deny (and no knocking again after it), knock spam, a knocker who goes away, and
 * turning the waiting room off.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RoomSummary, WaitingEntry } from '@/lib/protocol';
import { startRoomServer, type RoomServer } from '../support/roomServer';
import { ask, next, type TestSocket } from '../support/server';

let rooms: RoomServer;
beforeAll(async () => {
  rooms = await startRoomServer({ SFU_RTC_MIN_PORT: '46600', SFU_RTC_MAX_PORT: '46699' });
});
afterAll(() => rooms?.stop());

async function waitingRoom(host: TestSocket): Promise<RoomSummary> {
  const created = await ask<{ room: RoomSummary }>(host, 'room:create', { name: 'Clinic', waitingRoom: true });
  if (!created.ok) throw new Error(created.error.message);
  expect(created.data.room.waitingRoom).toBe(true);
  return created.data.room;
}

const join = (socket: TestSocket, slug: string) => ask(socket, 'room:join', { slug, rtpCapabilities: rooms.caps });
/** The host's view of the waiting list, as pushed. */
const waitingList = (host: TestSocket) => next(host, 'room:waiting').then(({ waiting }) => waiting.map((w: WaitingEntry) => w.name));

it('a knock waits for the host, who admits: the guest then joins; a direct join is refused until then', async () => {
  const [, host] = await rooms.user('Host');
  const [guestUser, guest] = await rooms.user('Guest');
  const room = await waitingRoom(host);

  expect(await join(guest, room.slug)).toMatchObject({ ok: false, error: { code: 'KNOCK_REQUIRED' } });
  expect(await ask(guest, 'room:knock', { slug: room.slug })).toEqual({ ok: true, data: { admitted: false, hostPresent: false } });

  // The host arrives: the guest is told, the host sees the guest waiting.
  const told = next(guest, 'room:knock-state');
  const list = waitingList(host);
  expect(await join(host, room.slug)).toMatchObject({ ok: true });
  expect(await told).toEqual({ hostPresent: true });
  expect(await list).toEqual([guestUser.name]);

  const admitted = next(guest, 'room:admitted');
  expect(await ask(host, 'room:host-admit', { userId: guestUser.id })).toEqual({ ok: true, data: {} });
  await admitted;
  expect(await join(guest, room.slug)).toMatchObject({ ok: true, data: { participants: expect.any(Array) } });
  // Admitted for a while: after leaving, no second knock is needed.
  await ask(guest, 'room:leave', {});
  expect(await join(guest, room.slug)).toMatchObject({ ok: true });
});

it('a denied guest is told, and cannot knock again; knocks are rate-limited; a knocker who leaves drops off the list', async () => {
  const [, host] = await rooms.user('Host');
  const [deniedUser, denied] = await rooms.user('Denied');
  const [, spammer] = await rooms.user('Spammer');
  const [, leaver] = await rooms.user('Leaver');
  const room = await waitingRoom(host);
  await join(host, room.slug);

  let list = waitingList(host);
  await ask(denied, 'room:knock', { slug: room.slug });
  expect(await list).toEqual([deniedUser.name]);
  const refused = next(denied, 'room:denied');
  expect(await ask(host, 'room:host-deny', { userId: deniedUser.id })).toEqual({ ok: true, data: {} });
  expect(await refused).toEqual({ message: 'The host did not let you in' });
  expect(await ask(denied, 'room:knock', { slug: room.slug })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await join(denied, room.slug)).toMatchObject({ ok: false, error: { code: 'KNOCK_REQUIRED' } });

  const knocks = await Promise.all(Array.from({ length: 7 }, () => ask(spammer, 'room:knock', { slug: room.slug })));
  expect(knocks.filter((k) => !k.ok).map((k) => !k.ok && k.error.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);

  list = waitingList(host);
  await ask(leaver, 'room:knock', { slug: room.slug });
  await list;
  list = waitingList(host);
  leaver.disconnect();
  expect(await list).not.toContain('Leaver');
});

it('turning the waiting room off lets everyone waiting in, and tells the room', async () => {
  const [, host] = await rooms.user('Host');
  const [, guest] = await rooms.user('Guest');
  const room = await waitingRoom(host);
  await join(host, room.slug);
  await ask(guest, 'room:knock', { slug: room.slug });
  const admitted = next(guest, 'room:admitted');
  const updated = next(host, 'room:updated');
  expect(await ask(host, 'room:host-waiting-room', { enabled: false })).toEqual({ ok: true, data: {} });
  await admitted;
  expect(await updated).toEqual({ locked: false, waitingRoom: false });
  expect(await join(guest, room.slug)).toMatchObject({ ok: true });
});
