/**
 * Every socket event, sent by someone it is not for, is refused with the right typed error: as a
 * non-member of a room, as a member who is not the host, as a non-admin, and as someone who is not
 * a party of a 1:1 call. Payloads are valid (so the refusal is authorization, not validation), and
 * the table must name every inbound event: a new event without a row fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundSpecs, type CallInfo, type InboundEvent, type RoomSummary } from '@/lib/protocol';
import type { SfuNode } from '@/sfu/node';
import { ask, startTestServer, type TestServer, type TestSocket, type TestUser } from '../support/server';
import { SFU_TEST_SECRET, startTestSfu } from '../support/sfu';

type Role = 'nonMember' | 'nonHost' | 'nonAdmin' | 'nonParty';
/** The expected error code per role; roles the event is open to are left out. */
type Row = { payload: () => unknown } & Partial<Record<Role, string>>;

let sfu: SfuNode;
let server: TestServer;
let room: RoomSummary & { id: string };
let call: CallInfo;
let host: TestUser;
let member: TestUser;
let outsider: TestUser;
const sockets = {} as Record<'host' | 'member' | 'outsider' | 'caller' | 'callee', TestSocket>;

const uuid = () => crypto.randomUUID();
const rtpParameters = { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 1111 }] };
const rtpCapabilities = { codecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }] };
const dtlsParameters = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] };

const FORBIDDEN = 'FORBIDDEN';
const ROOM_MEMBERS_ONLY = { nonMember: FORBIDDEN };
const CALL_PARTIES_ONLY = { nonParty: FORBIDDEN };
const ADMINS_ONLY = { nonAdmin: FORBIDDEN };
const HOSTS_ONLY = { nonMember: FORBIDDEN, nonHost: FORBIDDEN };

const table: Record<InboundEvent, Row> = {
  'presence:snapshot': { payload: () => ({}) },
  'ice:config': { payload: () => ({}) },
  'session:ping': { payload: () => ({}) },
  // Anyone signed in may report a failed media connection (rate-limited, counted in /metrics).
  'media:trouble': { payload: () => ({ scope: 'room', phase: 'connect' }) },
  // The lobby chat is everyone's; direct messages are reached only through the sender's own id
  // (tests/integration/lobby-chat.test.ts checks that a third user reads nothing of them).
  'lobby:chat-send': { payload: () => ({ to: null, clientId: uuid(), text: 'hello' }) },
  'lobby:chat-history': { payload: () => ({ with: null }) },
  'lobby:chat-read': { payload: () => ({ with: null }) },
  'lobby:conversations': { payload: () => ({}) },
  // Calling a party of a live call: BUSY, and the call goes on.
  'call:invite': { payload: () => ({ calleeId: call.callee.id }), nonParty: 'BUSY' },
  'call:accept': { payload: () => ({ callId: call.callId }), ...CALL_PARTIES_ONLY },
  'call:decline': { payload: () => ({ callId: call.callId }), ...CALL_PARTIES_ONLY },
  'call:cancel': { payload: () => ({ callId: call.callId }), ...CALL_PARTIES_ONLY },
  'call:hangup': { payload: () => ({ callId: call.callId }), ...CALL_PARTIES_ONLY },
  'call:resume': { payload: () => ({ callId: call.callId }), ...CALL_PARTIES_ONLY },
  'call:signal': { payload: () => ({ callId: call.callId, signal: { candidate: null } }), ...CALL_PARTIES_ONLY },
  'call:media': { payload: () => ({ callId: call.callId, audio: true, video: true }), ...CALL_PARTIES_ONLY },
  'call:stats': {
    payload: () => ({
      callId: call.callId,
      stats: { outBitrate: 1, inBitrate: 1, packetLossPct: 0, rttMs: 1, jitterMs: 1, video: null, candidateType: 'host' },
    }),
    ...CALL_PARTIES_ONLY,
  },
  'room:list': { payload: () => ({}) },
  'room:create': { payload: () => ({ name: `Another ${uuid().slice(0, 4)}` }) },
  // Open to anyone who knows the link (password and lock are checked in rooms.test.ts).
  'room:join': { payload: () => ({ slug: room.slug, rtpCapabilities }) },
  'room:leave': { payload: () => ({}) },
  'room:capabilities': { payload: () => ({}) },
  'room:resume': { payload: () => ({ slug: room.slug, token: 'not-the-token-of-any-seat', consumerIds: [] }), nonMember: 'SEAT_EXPIRED' },
  'room:transport-connect': { payload: () => ({ transportId: uuid(), dtlsParameters }), ...ROOM_MEMBERS_ONLY },
  'room:transport-restart-ice': { payload: () => ({ transportId: uuid() }), ...ROOM_MEMBERS_ONLY },
  'room:produce': { payload: () => ({ transportId: uuid(), kind: 'audio', rtpParameters, source: 'mic' }), ...ROOM_MEMBERS_ONLY },
  'room:producer-close': { payload: () => ({ producerId: uuid() }), ...ROOM_MEMBERS_ONLY },
  'room:producer-pause': { payload: () => ({ producerId: uuid() }), ...ROOM_MEMBERS_ONLY },
  'room:producer-resume': { payload: () => ({ producerId: uuid() }), ...ROOM_MEMBERS_ONLY },
  'room:consumer-resume': { payload: () => ({ consumerId: uuid() }), ...ROOM_MEMBERS_ONLY },
  'room:consumer-pause': { payload: () => ({ consumerId: uuid() }), ...ROOM_MEMBERS_ONLY },
  'room:consumer-layers': { payload: () => ({ consumerId: uuid(), spatialLayer: 1 }), ...ROOM_MEMBERS_ONLY },
  'chat:send': { payload: () => ({ clientId: uuid(), text: 'hello' }), ...ROOM_MEMBERS_ONLY },
  'room:host-mute': { payload: () => ({ userId: member.id }), ...HOSTS_ONLY },
  'room:host-remove': { payload: () => ({ userId: member.id }), ...HOSTS_ONLY },
  'room:host-lock': { payload: () => ({ locked: true }), ...HOSTS_ONLY },
  'room:host-end': { payload: () => ({}), ...HOSTS_ONLY },
  'room:knock': { payload: () => ({ slug: room.slug }) },
  'room:mine': { payload: () => ({}) },
  // Only the room's host may rename or delete it, whether in the meeting or not.
  'room:rename': { payload: () => ({ slug: room.slug, name: 'Taken over' }), ...HOSTS_ONLY },
  'room:delete': { payload: () => ({ slug: room.slug }), ...HOSTS_ONLY },
  'room:knock-cancel': { payload: () => ({ slug: room.slug }) },
  'room:host-admit': { payload: () => ({ userId: member.id }), ...HOSTS_ONLY },
  'room:host-deny': { payload: () => ({ userId: member.id }), ...HOSTS_ONLY },
  'room:host-admit-all': { payload: () => ({}), ...HOSTS_ONLY },
  'room:host-waiting-room': { payload: () => ({ enabled: false }), ...HOSTS_ONLY },
  'room:host-spotlight': { payload: () => ({ userId: member.id }), ...HOSTS_ONLY },
  'room:host-lower-hand': { payload: () => ({ userId: member.id }), ...HOSTS_ONLY },
  'room:hand': { payload: () => ({ raised: true }), ...ROOM_MEMBERS_ONLY },
  'room:react': { payload: () => ({ reaction: '👍' }), ...ROOM_MEMBERS_ONLY },
  'admin:subscribe': { payload: () => ({}), ...ADMINS_ONLY },
  'admin:unsubscribe': { payload: () => ({}), ...ADMINS_ONLY },
  'admin:end-room': { payload: () => ({ roomId: room.id }), ...ADMINS_ONLY },
  'admin:remove-participant': { payload: () => ({ roomId: room.id, userId: member.id }), ...ADMINS_ONLY },
  'admin:end-call': { payload: () => ({ callId: call.callId }), ...ADMINS_ONLY },
  'admin:set-disabled': { payload: () => ({ userId: member.id, disabled: true }), ...ADMINS_ONLY },
  'admin:set-role': { payload: () => ({ userId: member.id, role: 'admin' }), ...ADMINS_ONLY },
};

/** Who sends each role's requests. */
const senders: Record<Role, () => TestSocket> = {
  nonMember: () => sockets.outsider,
  nonHost: () => sockets.member,
  nonAdmin: () => sockets.member,
  nonParty: () => sockets.outsider,
};

beforeAll(async () => {
  sfu = await startTestSfu({ SFU_RTC_MIN_PORT: '47000', SFU_RTC_MAX_PORT: '47099' });
  server = await startTestServer({}, { sfu: [{ url: sfu.url, secret: SFU_TEST_SECRET }] });
  host = await server.signUp('Hostess');
  member = await server.signUp('Member');
  outsider = await server.signUp('Outsider');
  const caller = await server.signUp('Caller');
  const callee = await server.signUp('Callee');
  const connected = await Promise.all([host, member, outsider, caller, callee].map((u) => server.connect(u)));
  Object.assign(sockets, { host: connected[0], member: connected[1], outsider: connected[2], caller: connected[3], callee: connected[4] });
  const created = await ask<{ room: RoomSummary }>(sockets.host, 'room:create', { name: 'Guarded' });
  if (!created.ok) throw new Error(created.error.message);
  for (const s of [sockets.host, sockets.member]) {
    expect(await ask(s, 'room:join', { slug: created.data.room.slug, rtpCapabilities: {} })).toMatchObject({ ok: true });
  }
  const live = server.rooms.liveRooms().find((r) => r.stored.slug === created.data.room.slug)!;
  room = { ...created.data.room, id: live.id };
  const invited = await ask<{ call: CallInfo }>(sockets.caller, 'call:invite', { calleeId: callee.id });
  if (!invited.ok) throw new Error(invited.error.message);
  call = invited.data.call;
  expect(await ask(sockets.callee, 'call:accept', { callId: call.callId })).toMatchObject({ ok: true });
});
afterAll(async () => {
  await server?.stop();
  await sfu?.close();
});

describe('authorization of every socket event', () => {
  it('has a row for every inbound event', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(inboundSpecs).sort());
  });

  for (const role of ['nonMember', 'nonHost', 'nonAdmin', 'nonParty'] as const) {
    it(`refuses ${role} with the right typed error, and changes nothing`, async () => {
      const refused = Object.entries(table).filter(([, row]) => row[role] !== undefined);
      expect(refused.length).toBeGreaterThan(0);
      const wrong: string[] = [];
      for (const [event, row] of refused) {
        const ack = await ask(senders[role](), event, row.payload());
        const code = ack.ok ? 'ok' : ack.error.code;
        if (code !== row[role]) wrong.push(`${event}: ${code} (expected ${row[role]})`);
      }
      expect(wrong).toEqual([]);
      // The room, its host, its member and the call are all as they were.
      const live = server.rooms.liveRooms().find((r) => r.id === room.id);
      expect(live?.closed).toBe(false);
      expect([...(live?.participants.keys() ?? [])].sort()).toEqual([host.id, member.id].sort());
      expect(live?.stored.locked).toBe(false);
      expect(server.calls.list().find((c) => c.callId === call.callId)?.phase).toBe('active');
      expect((await server.db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe('user');
    });
  }
});
