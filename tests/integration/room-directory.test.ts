/**
 * Rooms that do not pile up: the lobby lists live meetings first with who is inside, then the most
 * recently used; rooms unused for ROOM_ARCHIVE_DAYS drop off (their host still has them in "My
 * rooms"); only the host renames or deletes, and a deletion ends a meeting on in the room.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RoomSummary } from '@/lib/protocol';
import { startRoomServer, type RoomServer } from '../support/roomServer';
import { ask, next, type TestSocket } from '../support/server';

let rooms: RoomServer;
beforeAll(async () => {
  rooms = await startRoomServer({ SFU_RTC_MIN_PORT: '46700', SFU_RTC_MAX_PORT: '46799' }, { ROOM_ARCHIVE_DAYS: '30' });
});
afterAll(() => rooms?.stop());

async function create(socket: TestSocket, name: string): Promise<RoomSummary> {
  const created = await ask<{ room: RoomSummary }>(socket, 'room:create', { name });
  if (!created.ok) throw new Error(created.error.message);
  return created.data.room;
}
const list = async (socket: TestSocket) => {
  const r = await ask<{ rooms: RoomSummary[] }>(socket, 'room:list', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.data.rooms;
};

it('lists live meetings first with who is inside, then by last use; archives unused rooms; "My rooms" keeps them', async () => {
  const [hostUser, host] = await rooms.user('Host');
  const [guestUser, guest] = await rooms.user('Guest');
  const quiet = await create(host, 'Quiet');
  const stale = await create(host, 'Stale');
  const busy = await create(host, 'Busy');
  const fresh = await create(guest, 'Fresh');
  await rooms.server.db.room.update({ where: { slug: stale.slug }, data: { lastActiveAt: new Date(Date.now() - 40 * 86_400_000) } });
  await rooms.server.db.room.update({ where: { slug: quiet.slug }, data: { lastActiveAt: new Date(Date.now() - 2 * 86_400_000) } });
  for (const s of [host, guest]) expect(await ask(s, 'room:join', { slug: busy.slug, rtpCapabilities: rooms.caps })).toMatchObject({ ok: true });

  const mine = (await list(guest)).filter((r) => [quiet.slug, stale.slug, busy.slug, fresh.slug].includes(r.slug));
  expect(mine.map((r) => r.name)).toEqual(['Busy', 'Fresh', 'Quiet']);
  expect(mine[0]).toMatchObject({ participants: 2, inside: [hostUser.name, guestUser.name] });

  // Behind a password, the lobby learns how many are inside, not who.
  const secret = await ask<{ room: RoomSummary }>(guest, 'room:create', { name: 'Secret', password: 'pass-word-123' });
  if (!secret.ok) throw new Error(secret.error.message);
  expect(await ask(guest, 'room:join', { slug: secret.data.room.slug, rtpCapabilities: rooms.caps })).toMatchObject({ ok: true });
  expect((await list(host)).find((r) => r.slug === secret.data.room.slug)).toMatchObject({ participants: 1, inside: [] });

  const own = await ask<{ rooms: RoomSummary[] }>(host, 'room:mine', {});
  expect(own.ok && own.data.rooms.map((r) => r.name).sort()).toEqual(['Busy', 'Quiet', 'Stale']);
});

it('only the host renames (everyone inside sees it) or deletes (the meeting ends for all); others are refused', async () => {
  const [, host] = await rooms.user('Host');
  const [, guest] = await rooms.user('Guest');
  const room = await create(host, 'Standup');
  for (const s of [host, guest]) await ask(s, 'room:join', { slug: room.slug, rtpCapabilities: rooms.caps });

  expect(await ask(guest, 'room:rename', { slug: room.slug, name: 'Mine now' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await ask(guest, 'room:delete', { slug: room.slug })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await ask(host, 'room:rename', { slug: 'no-such-room', name: 'x' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

  const renamed = next(guest, 'room:renamed');
  expect(await ask(host, 'room:rename', { slug: room.slug, name: '  Daily standup ' })).toMatchObject({ ok: true, data: { room: { name: 'Daily standup', slug: room.slug } } });
  expect(await renamed).toEqual({ name: 'Daily standup' });

  const closed = next(guest, 'room:closed');
  expect(await ask(host, 'room:delete', { slug: room.slug })).toEqual({ ok: true, data: {} });
  expect(await closed).toEqual({ reason: 'ended-by-host' });
  expect((await list(guest)).some((r) => r.slug === room.slug)).toBe(false);
  expect(await ask(guest, 'room:join', { slug: room.slug, rtpCapabilities: rooms.caps })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
});
