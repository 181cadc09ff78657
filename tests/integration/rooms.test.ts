import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessageView, RoomJoined, RoomResumed, RoomSummary } from '@/lib/protocol';
import { startRoomServer, type RoomServer } from '../support/roomServer';
import { ask, next, sleep, type TestServer, type TestSocket } from '../support/server';

let rooms: RoomServer;
let server: TestServer;
let caps: Record<string, unknown>;
/** Short, so that the tests of what happens after it do not wait 15 s. */
const GRACE_MS = 1500;
beforeAll(async () => {
  rooms = await startRoomServer({ SFU_RTC_MIN_PORT: '46000', SFU_RTC_MAX_PORT: '46199' }, { ROOM_RESUME_GRACE_MS: String(GRACE_MS) });
  ({ server, caps } = rooms);
});
afterAll(() => rooms?.stop());
const user = (name: string) => rooms.user(name);

async function createRoom(socket: TestSocket, name: string, password?: string): Promise<RoomSummary> {
  const ack = await ask<{ room: RoomSummary }>(socket, 'room:create', password ? { name, password } : { name });
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.data.room;
}

describe('rooms: membership, authorization, chat and records', () => {
  it('a password room admits only with the right password; the host needs none', async () => {
    const [, host] = await user('Host');
    const [, guest] = await user('Guest');
    const room = await createRoom(host, 'Secret plans', 'hunter2-hunter2');
    expect(room).toMatchObject({ name: 'Secret plans', hasPassword: true, participants: 0 });
    expect(room.slug).toMatch(/^secret-plans-[a-z0-9]{4}$/);

    expect(await ask(host, 'room:join', { slug: room.slug, rtpCapabilities: caps })).toMatchObject({ ok: true });
    expect(await ask(guest, 'room:join', { slug: room.slug, rtpCapabilities: caps })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSWORD' } });
    expect(await ask(guest, 'room:join', { slug: room.slug, password: 'nope', rtpCapabilities: caps })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSWORD', message: 'That password is not right' },
    });
    const joined = await ask<RoomJoined>(guest, 'room:join', { slug: room.slug, password: 'hunter2-hunter2', rtpCapabilities: caps });
    expect(joined.ok).toBe(true);
    if (joined.ok) {
      expect(joined.data.participants).toHaveLength(2);
      expect(joined.data.routerRtpCapabilities).toMatchObject({ codecs: expect.any(Array) });
    }
    expect(await ask(guest, 'room:join', { slug: 'no-such-room', rtpCapabilities: caps })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('room password guesses are limited per user and room; others still get in', async () => {
    const [, host] = await user('Host');
    const [, guesser] = await user('Guesser');
    const [, friend] = await user('Friend');
    const room = await createRoom(host, 'Vault', 'open-sesame-1');
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => ask(guesser, 'room:join', { slug: room.slug, password: `guess-${i}`, rtpCapabilities: caps })),
    );
    const codes = guesses.map((g) => (g.ok ? 'ok' : g.error.code));
    expect(codes.filter((c) => c === 'WRONG_PASSWORD')).toHaveLength(5);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(7);
    // Even the right password waits now, for this user…
    expect(await ask(guesser, 'room:join', { slug: room.slug, password: 'open-sesame-1', rtpCapabilities: caps })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/Try again in \d+ s/) },
    });
    // …but not for someone else.
    expect(await ask(friend, 'room:join', { slug: room.slug, password: 'open-sesame-1', rtpCapabilities: caps })).toMatchObject({ ok: true });
  });

  it('media requests need membership, and ids must be your own', async () => {
    const [, host] = await user('Host');
    const [, guest] = await user('Guest');
    const [, outsider] = await user('Outsider');
    const room = await createRoom(host, 'Auth');
    const hostJoined = await ask<RoomJoined>(host, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    await ask(guest, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    if (!hostJoined.ok) throw new Error(hostJoined.error.message);

    expect(await ask(outsider, 'room:transport-restart-ice', { transportId: 'anything' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // The join answered with both transports; they are the host's own, and nobody else's.
    const { send, recv } = hostJoined.data.transports;
    expect(send.id).not.toBe(recv.id);
    const dtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] };
    expect(await ask(guest, 'room:transport-connect', { transportId: send.id, dtlsParameters })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await ask(guest, 'room:consumer-resume', { consumerId: 'no-such-consumer' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    // A join without the browser's capabilities is refused before anything else happens.
    expect(await ask(outsider, 'room:join', { slug: room.slug })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await ask(guest, 'room:host-lock', { locked: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await ask(guest, 'room:host-end', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('a locked room refuses newcomers with a clear message, but not its host', async () => {
    const [, host] = await user('Host');
    const [, late] = await user('Late');
    const room = await createRoom(host, 'Lockable');
    await ask(host, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    expect(await ask(host, 'room:host-lock', { locked: true })).toEqual({ ok: true, data: {} });
    expect(await ask(late, 'room:join', { slug: room.slug, rtpCapabilities: caps })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_LOCKED', message: 'The host has locked this room' },
    });
  });

  it('chat is stored before the ack, once per clientId, bounded in length and rate', async () => {
    const [, host] = await user('Host');
    const [, guest] = await user('Guest');
    const room = await createRoom(host, 'Chatty');
    await ask(host, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    await ask(guest, 'room:join', { slug: room.slug, rtpCapabilities: caps });

    const clientId = crypto.randomUUID();
    const heard = next(host, 'room:chat');
    const first = await ask<{ message: ChatMessageView }>(guest, 'chat:send', { clientId, text: 'hi all' });
    expect(first.ok).toBe(true);
    expect((await heard).message.text).toBe('hi all');
    // A retry after a lost ack returns the same stored message: no duplicate.
    const again = await ask<{ message: ChatMessageView }>(guest, 'chat:send', { clientId, text: 'hi all' });
    expect(again.ok && first.ok && again.data.message.id === first.data.message.id).toBe(true);
    expect(await server.db.chatMessage.count({ where: { clientId } })).toBe(1);

    expect(await ask(guest, 'chat:send', { clientId: crypto.randomUUID(), text: 'x'.repeat(2001) })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ask(guest, 'chat:send', { clientId: crypto.randomUUID(), text: `m${i}` })),
    );
    expect(burst.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length).toBeGreaterThan(0);

    // History on join.
    const [, late] = await user('Late');
    const joined = await ask<RoomJoined>(late, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    expect(joined.ok && joined.data.chat.map((m) => m.text)).toContain('hi all');
  });

  it('presence shows "in a room", room members are busy for calls, and the meeting is recorded', async () => {
    const [hostUser, host] = await user('Host');
    const [guestUser, guest] = await user('Guest');
    const [, caller] = await user('Caller');
    const room = await createRoom(host, 'Recorded');
    await ask(host, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    await ask(guest, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    expect(server.presence.status(guestUser.id)).toBe('in-room');
    expect(await ask(caller, 'call:invite', { calleeId: guestUser.id })).toMatchObject({ ok: false, error: { code: 'BUSY' } });

    const left = next(host, 'room:participant-left');
    await ask(guest, 'room:leave', {});
    expect(await left).toEqual({ userId: guestUser.id, reason: 'left' });
    host.disconnect(); // the last one goes: the meeting ends once the seat's grace is over
    const ended = () => server.db.callSession.findMany({ where: { room: { slug: room.slug } }, include: { participations: true } });
    await expect.poll(async () => (await ended())[0]?.endReason, { timeout: GRACE_MS + 5_000 }).toBe('empty');
    const sessions = await ended();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ kind: 'ROOM', endReason: 'empty' });
    const byUser = Object.fromEntries(sessions[0]!.participations.map((p) => [p.userId, p]));
    expect(byUser[hostUser.id]).toMatchObject({ role: 'host', leaveReason: 'disconnected' });
    expect(byUser[guestUser.id]).toMatchObject({ role: 'member', leaveReason: 'left' });
  });

  it('ending a room tells everyone and removes it from the lobby', async () => {
    const [, host] = await user('Host');
    const [, guest] = await user('Guest');
    const room = await createRoom(host, 'Ending');
    await ask(host, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    await ask(guest, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    const closed = next(guest, 'room:closed');
    const removed = next(guest, 'rooms:removed');
    expect(await ask(host, 'room:host-end', {})).toEqual({ ok: true, data: {} });
    expect(await closed).toEqual({ reason: 'ended-by-host' });
    expect(await removed).toEqual({ slug: room.slug });
    expect(await ask(guest, 'room:join', { slug: room.slug, rtpCapabilities: caps })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
  });
});

describe('rooms: media server failures', () => {
  it('dead workers do not close the room: every peer gets new transports, with no rejoin', async () => {
    const [, host] = await user('Host');
    const [, guest] = await user('Guest');
    const room = await createRoom(host, 'Fragile');
    const joined = await ask<RoomJoined>(host, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    await ask(guest, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    if (!joined.ok) throw new Error(joined.error.message);
    let closed = false;
    host.on('room:closed', () => (closed = true));
    const resetHost = next(host, 'room:media-reset', 15_000);
    const resetGuest = next(guest, 'room:media-reset', 15_000);
    const { workers } = await server.sfuClients[0]!.request('node:stats', {});
    for (const w of workers) process.kill(w.pid, 'SIGKILL');
    const [h] = await Promise.all([resetHost, resetGuest]);
    expect(h.transports.send.id).not.toBe(joined.data.transports.send.id);
    expect(closed).toBe(false);
    // Still seated: media requests on the new transports are the host's own.
    expect(await ask(host, 'room:transport-restart-ice', { transportId: h.transports.recv.id })).toMatchObject({ ok: true });
  });
});

describe('rooms: seats outlive a dropped connection', () => {
  it('a dropped socket keeps the seat; the same browser resumes it, and the others see it come and go', async () => {
    const [hostUser, host] = await user('Host');
    const [, guest] = await user('Guest');
    const room = await createRoom(host, 'Blip');
    const joined = await ask<RoomJoined>(host, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    await ask(guest, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    if (!joined.ok) throw new Error(joined.error.message);
    expect(joined.data.seat.graceMs).toBe(GRACE_MS);

    const away = next(guest, 'room:participant-state');
    host.disconnect();
    expect(await away).toEqual({ userId: hostUser.id, connection: 'reconnecting' });
    expect(server.rooms.statusOf(hostUser.id)).toBe('in-room');

    const back = next(guest, 'room:participant-state');
    const again = await server.connect(hostUser);
    const resumed = await ask<RoomResumed>(again, 'room:resume', { slug: room.slug, token: joined.data.seat.token, consumerIds: [] });
    if (!resumed.ok) throw new Error(resumed.error.message);
    expect(await back).toEqual({ userId: hostUser.id, connection: 'connected' });
    expect(resumed.data.transports.send.id).toBe(joined.data.transports.send.id); // the node kept them
    expect(resumed.data.participants.map((p) => p.connection)).toEqual(['connected', 'connected']);
    // The resumed socket speaks for the seat.
    expect(await ask(again, 'room:host-lock', { locked: false })).toEqual({ ok: true, data: {} });
  });

  it('another account, a wrong token, or the same token after the grace cannot take a seat', async () => {
    const [hostUser, host] = await user('Host');
    const [guestUser, guest] = await user('Guest');
    const room = await createRoom(host, 'Guarded');
    const joined = await ask<RoomJoined>(host, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    await ask(guest, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    if (!joined.ok) throw new Error(joined.error.message);
    const token = joined.data.seat.token;
    host.disconnect();

    const otherAccount = await server.connect(guestUser);
    expect(await ask(otherAccount, 'room:resume', { slug: room.slug, token, consumerIds: [] })).toMatchObject({
      ok: false,
      error: { code: 'SEAT_EXPIRED' },
    });
    const sameUser = await server.connect(hostUser);
    expect(await ask(sameUser, 'room:resume', { slug: room.slug, token: 'x'.repeat(32), consumerIds: [] })).toMatchObject({
      ok: false,
      error: { code: 'SEAT_EXPIRED' },
    });

    const left = next(guest, 'room:participant-left', GRACE_MS + 5_000);
    expect(await left).toEqual({ userId: hostUser.id, reason: 'disconnected' });
    expect(await ask(sameUser, 'room:resume', { slug: room.slug, token, consumerIds: [] })).toMatchObject({
      ok: false,
      error: { code: 'SEAT_EXPIRED', message: expect.stringMatching(/join again/) },
    });
  });

  it('a seat taken by a join from another tab cannot be resumed by the old one', async () => {
    const [hostUser, host] = await user('Host');
    const room = await createRoom(host, 'Tabs');
    const first = await ask<RoomJoined>(host, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    if (!first.ok) throw new Error(first.error.message);
    host.disconnect();
    const secondTab = await server.connect(hostUser);
    const second = await ask(secondTab, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    expect(second.ok ? 'ok' : second.error).toBe('ok');
    const firstTabBack = await server.connect(hostUser);
    expect(await ask(firstTabBack, 'room:resume', { slug: room.slug, token: first.data.seat.token, consumerIds: [] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You joined this meeting from another tab' },
    });
  });
});

describe('rooms: races on one socket', () => {
  it('two joins at once, then a disconnect, leave no ghost seat and no busy status (after the grace)', async () => {
    const [mallory, socket] = await user('Racer');
    const [, callerSocket] = await user('Caller');
    const [, hostA] = await user('HostA');
    const [, hostB] = await user('HostB');
    const a = await createRoom(hostA, 'Race A');
    const b = await createRoom(hostB, 'Race B');
    await ask(hostA, 'room:join', { slug: a.slug, rtpCapabilities: caps });
    await ask(hostB, 'room:join', { slug: b.slug, rtpCapabilities: caps });

    const [joinA, joinB] = await Promise.all([ask(socket, 'room:join', { slug: a.slug, rtpCapabilities: caps }), ask(socket, 'room:join', { slug: b.slug, rtpCapabilities: caps })]);
    expect(joinA.ok && joinB.ok).toBe(true);
    // One socket, one seat: the later join moved it.
    const seats = () => server.rooms.liveRooms().filter((r) => r.participants.has(mallory.id)).map((r) => r.stored.slug);
    expect(seats()).toEqual([b.slug]);

    socket.disconnect();
    await expect.poll(seats, { timeout: 5000 }).toEqual([]);
    expect(server.rooms.statusOf(mallory.id)).toBe(null);
    expect(server.rooms.liveRooms().find((r) => r.stored.slug === a.slug)?.participants.size).toBe(1);

    // …so calling them rings (after their presence linger), it is not BUSY.
    const again = await server.connect(mallory);
    const invited = await ask(callerSocket, 'call:invite', { calleeId: mallory.id });
    expect(invited).toMatchObject({ ok: true });
    again.disconnect();
  });

  it('a disconnect while a join is still on its way leaves no seat', async () => {
    const [racer, socket] = await user('Leaver');
    const [, host] = await user('Host');
    const room = await createRoom(host, 'Race C');
    await ask(host, 'room:join', { slug: room.slug, rtpCapabilities: caps });
    const joining = ask(socket, 'room:join', { slug: room.slug, rtpCapabilities: caps }).catch(() => null);
    socket.disconnect();
    await joining;
    await expect
      .poll(() => server.rooms.liveRooms().some((r) => r.participants.has(racer.id)), { timeout: 5000 })
      .toBe(false);
    expect(server.rooms.statusOf(racer.id)).toBe(null);
  });
});
