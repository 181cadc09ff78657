/**
 * RoomSession without React, a browser or a server: the socket and the media layer are stand-ins
 * scripted per test, so what is checked is the session's own logic — its connection states, and
 * what it does on a dropped socket, a refused resume, a pushed consumer.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RoomJoined, RoomResumed } from '@/lib/protocol';

type Handler = (...args: unknown[]) => void;
const socket = {
  connected: true,
  handlers: new Map<string, Set<Handler>>(),
  on(event: string, fn: Handler) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(fn);
  },
  off(event: string, fn: Handler) {
    this.handlers.get(event)?.delete(fn);
  },
  /** The server (or socket.io) fires `event` at the page. */
  fire(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  },
};
/** Answers by event name; a function gets the payload. Error answers are thrown as RequestError. */
let answers: Record<string, unknown> = {};
const sent: { event: string; payload: unknown }[] = [];

vi.mock('@/lib/client/socket', () => {
  class RequestError extends Error {
    constructor(
      readonly code: string,
      message: string,
    ) {
      super(message);
    }
  }
  return {
    RequestError,
    getSocket: () => socket,
    request: async (event: string, payload: unknown) => {
      sent.push({ event, payload });
      const answer = answers[event];
      const value = typeof answer === 'function' ? (answer as (p: unknown) => unknown)(payload) : answer;
      if (value && typeof value === 'object' && 'error' in value) {
        const { code, message } = (value as { error: { code: string; message: string } }).error;
        throw new RequestError(code, message);
      }
      if (value === undefined) throw new RequestError('INTERNAL', `no answer scripted for ${event}`);
      return value;
    },
  };
});

const media = {
  kept: ['c1', 'c2'],
  dropped: [] as string[],
  transportsHeld: true,
};
vi.mock('@/lib/client/sfu/SfuClient', () => ({
  firstMedia: async () => undefined,
  SfuClient: class {
    load = async () => undefined;
    prefetchIce = () => undefined;
    rtpCapabilities = { codecs: [] };
    connect = async () => undefined;
    holds = () => media.transportsHeld;
    produce = async () => ({});
    producer = () => undefined;
    accept = async (info: { consumerId: string }) => {
      if (info.consumerId === 'c-bad') throw new Error('cannot consume this Producer');
      return { id: info.consumerId, track: { id: `t-${info.consumerId}` } };
    };
    consumerIds = () => media.kept;
    pausedConsumerIds = () => [];
    drop = (id: string) => media.dropped.push(id);
    restartIceWhereDown = () => undefined;
    consumerStats = async () => new Map();
    close = () => undefined;
  },
}));

const { RoomSession, RoomSessionEvent } = await import('@/lib/client/room/RoomSession');

const participant = { userId: 'me', name: 'Me', isHost: false, joinedAt: 1, connection: 'connected' as const };
const snapshot = {
  room: { slug: 'r', name: 'R', hostName: 'H', hasPassword: false, locked: false, waitingRoom: false, inside: [], lastActiveAt: 0, participants: 1 },
  meeting: { spotlight: null, hands: [] },
  maxVisibleVideos: 16,
  self: participant,
  participants: [participant],
  chat: [],
  transports: { send: { id: 's' }, recv: { id: 'r' } } as unknown as RoomJoined['transports'],
};
const joined: RoomJoined = {
  ...snapshot,
  routerRtpCapabilities: {},
  seat: { token: 'seat-token-0123456789', graceMs: 15_000 },
  offering: 0,
};
const resumed: RoomResumed = { ...snapshot, connected: { send: true, recv: true }, consumerIds: ['c2'] };
const flush = () => new Promise((r) => setTimeout(r, 0));

function session() {
  const s = new RoomSession('r', 'Me');
  const states: string[] = [];
  s.on(RoomSessionEvent.ConnectionStateChanged, (next) => states.push(next));
  s.start();
  return { s, states };
}

beforeEach(() => {
  socket.handlers.clear();
  socket.connected = true;
  sent.length = 0;
  media.dropped = [];
  media.transportsHeld = true;
  answers = { 'room:capabilities': { routerRtpCapabilities: {} }, 'room:join': joined, 'room:leave': {} };
});

describe('RoomSession', () => {
  it('joins: joining → connected, with the device capabilities in the join', async () => {
    const { s, states } = session();
    await s.join({ stream: null, micOn: true, cameraOn: true });
    expect(states).toEqual(['joining', 'connected']);
    expect(s.getState()).toMatchObject({ phase: 'joined', connection: 'connected', selfId: 'me' });
    expect(sent.find((m) => m.event === 'room:join')?.payload).toMatchObject({
      slug: 'r',
      rtpCapabilities: { codecs: [] },
    });
    s.dispose();
  });

  it("a refused join goes back to idle with the server's message", async () => {
    answers['room:join'] = { error: { code: 'ROOM_LOCKED', message: 'The host has locked this room' } };
    const { s, states } = session();
    await s.join({ stream: null, micOn: true, cameraOn: true });
    expect(states).toEqual(['joining', 'idle']);
    expect(s.getState()).toMatchObject({
      phase: 'idle',
      error: { code: 'ROOM_LOCKED', message: 'The host has locked this room' },
    });
  });

  it('a dropped socket: reconnecting, then the seat is resumed with its token; streams the server lost are dropped', async () => {
    answers['room:resume'] = resumed;
    const { s, states } = session();
    await s.join({ stream: null, micOn: true, cameraOn: true });
    socket.fire('disconnect');
    expect(s.getState().connection).toBe('reconnecting');
    socket.fire('connect');
    await flush();
    expect(states).toEqual(['joining', 'connected', 'reconnecting', 'connected']);
    expect(sent.find((m) => m.event === 'room:resume')?.payload).toEqual({
      slug: 'r',
      token: 'seat-token-0123456789',
      consumerIds: ['c1', 'c2'],
    });
    expect(media.dropped).toEqual(['c1']);
    expect(s.getState().phase).toBe('joined'); // never back to the pre-join screen
    s.dispose();
  });

  it('a rejoin refused as "not now" (the media server is not up yet) is tried again, not given up', async () => {
    vi.useFakeTimers();
    try {
      answers['room:resume'] = { error: { code: 'SEAT_EXPIRED', message: 'join again' } };
      const { s, states } = session();
      await s.join({ stream: null, micOn: true, cameraOn: true });
      const ok = answers['room:join'];
      answers['room:join'] = { error: { code: 'UNAVAILABLE', message: 'The media server is not available right now' } };
      socket.fire('disconnect');
      socket.fire('connect');
      await vi.advanceTimersByTimeAsync(10);
      expect(states.at(-1)).toBe('reconnecting');
      answers['room:join'] = ok;
      await vi.advanceTimersByTimeAsync(1500);
      expect(sent.filter((m) => m.event === 'room:join')).toHaveLength(3);
      expect(states.at(-1)).toBe('connected');
      expect(s.getState().closedReason).toBeNull();
      s.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a seat that expired is joined again by itself, without the pre-join screen', async () => {
    answers['room:resume'] = { error: { code: 'SEAT_EXPIRED', message: 'join again' } };
    const { s, states } = session();
    await s.join({ stream: null, micOn: true, cameraOn: true });
    const phases: string[] = [];
    s.subscribe(() => phases.push(s.getState().phase));
    socket.fire('disconnect');
    socket.fire('connect');
    await flush();
    await flush();
    expect(sent.filter((m) => m.event === 'room:join')).toHaveLength(2);
    expect(states).toEqual(['joining', 'connected', 'reconnecting', 'connected']);
    expect(phases).not.toContain('joining');
    expect(phases).not.toContain('idle');
    s.dispose();
  });

  it('a seat taken by another tab closes the meeting for this page, with why', async () => {
    answers['room:resume'] = { error: { code: 'FORBIDDEN', message: 'You joined this meeting from another tab' } };
    const { s, states } = session();
    await s.join({ stream: null, micOn: true, cameraOn: true });
    socket.fire('disconnect');
    socket.fire('connect');
    await flush();
    expect(states.at(-1)).toBe('closed');
    expect(s.getState()).toMatchObject({ phase: 'closed', closedReason: 'joined-elsewhere' });
  });

  it('accepts a batch of pushed consumers (acks the ones it refused, shows the others); refuses all when not in a room', async () => {
    const { s } = session();
    const push = {
      consumerId: 'c9',
      producerId: 'p9',
      userId: 'them',
      source: 'camera',
      kind: 'video',
      producerPaused: false,
      rtpParameters: {},
      type: 'simulcast',
      streamId: 'them.av',
    };
    const bad = { ...push, consumerId: 'c-bad', producerId: 'p-bad' };
    const refused = vi.fn();
    socket.fire('room:consumers-new', { consumers: [push] }, refused);
    await flush();
    expect(refused).toHaveBeenCalledWith({ ok: true, data: { refused: ['c9'] } });

    await s.join({ stream: null, micOn: true, cameraOn: true });
    const ack = vi.fn();
    socket.fire('room:consumers-new', { consumers: [push, bad] }, ack);
    await flush();
    expect(ack).toHaveBeenCalledWith({ ok: true, data: { refused: ['c-bad'] } });
    expect(s.getState().remotes.c9).toMatchObject({ userId: 'them', source: 'camera', paused: false });
    expect(s.getState().remotes['c-bad']).toBeUndefined();
    socket.fire('room:consumer-closed', { consumerId: 'c9' });
    expect(s.getState().remotes.c9).toBeUndefined();
    s.dispose();
  });

  it("the others' connection state shows on their entry", async () => {
    answers['room:join'] = { ...joined, participants: [participant, { ...participant, userId: 'them', name: 'Them' }] };
    const { s } = session();
    await s.join({ stream: null, micOn: true, cameraOn: true });
    socket.fire('room:participant-state', { userId: 'them', connection: 'reconnecting' });
    expect(s.getState().participants.find((p) => p.userId === 'them')?.connection).toBe('reconnecting');
    s.dispose();
  });
});
