/**
 * Helpers for the admin integration tests: users (optionally admins), a subscribed dashboard, a live
 * 1:1 call and a live room, all through the real socket API of a test server.
 */
import { expect } from 'vitest';
import type { AdminSnapshot, CallInfo, CallStatsSummary, RoomSummary } from '@/lib/protocol';
import { ask, next, type TestServer, type TestSocket, type TestUser } from './server';

export function adminHarness(server: () => TestServer) {
  let n = 0;
  return {
    /** A fresh account and one connected socket; `admin` makes it an admin before it connects. */
    async user(name: string, role: 'user' | 'admin' = 'user'): Promise<[TestUser, TestSocket]> {
      const u = await server().signUp(`${name}${++n}`);
      if (role === 'admin') await server().db.user.update({ where: { id: u.id }, data: { role: 'admin' } });
      return [u, await server().connect(u)];
    },
  };
}

export async function subscribe(socket: TestSocket): Promise<AdminSnapshot> {
  const ack = await ask<{ snapshot: AdminSnapshot }>(socket, 'admin:subscribe', {});
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data.snapshot;
}

export async function activeCall(a: TestSocket, b: TestSocket, bUser: TestUser): Promise<CallInfo> {
  const incoming = next(b, 'call:incoming');
  const invited = await ask<{ call: CallInfo }>(a, 'call:invite', { calleeId: bUser.id });
  if (!invited.ok) throw new Error(invited.error.message);
  await incoming;
  expect(await ask(b, 'call:accept', { callId: invited.data.call.callId })).toMatchObject({ ok: true });
  return invited.data.call;
}

export async function liveRoom(host: TestSocket, guests: TestSocket[], name: string): Promise<RoomSummary> {
  const created = await ask<{ room: RoomSummary }>(host, 'room:create', { name });
  if (!created.ok) throw new Error(created.error.message);
  for (const s of [host, ...guests]) {
    expect(await ask(s, 'room:join', { slug: created.data.room.slug, rtpCapabilities: {} })).toMatchObject({ ok: true });
  }
  return created.data.room;
}

/** A plausible browser report. */
export const stats: CallStatsSummary = {
  outBitrate: 1_200_000,
  inBitrate: 1_100_000,
  packetLossPct: 0.5,
  rttMs: 23,
  jitterMs: 4,
  video: { width: 640, height: 480, fps: 30 },
  candidateType: 'host',
};
