import { describe, expect, it } from 'vitest';
import type { RoomSnapshot } from '@/lib/protocol';
import { initialRoomState, roomReducer, type RemoteMedia, type RoomEvent, type RoomState } from '@/lib/client/sfu/roomReducer';

const track = {} as MediaStreamTrack;
const person = (userId: string, connection: 'connected' | 'reconnecting' = 'connected') => ({
  userId,
  name: userId.toUpperCase(),
  isHost: userId === 'a',
  joinedAt: 1,
  connection,
});
const snapshot = (participants = [person('a'), person('b')]): RoomSnapshot => ({
  room: { slug: 's', name: 'S', hostName: 'A', hasPassword: false, locked: false, waitingRoom: false, inside: [], lastActiveAt: 0, participants: participants.length },
  meeting: { spotlight: null, hands: [] },
  maxVisibleVideos: 16,
  self: person('a'),
  participants,
  chat: [],
  transports: {} as RoomSnapshot['transports'],
});
const remote = (consumerId: string, userId = 'b', source: RemoteMedia['source'] = 'camera'): RemoteMedia => ({
  consumerId,
  producerId: `p-${consumerId}`,
  userId,
  source,
  kind: source === 'mic' ? 'audio' : 'video',
  paused: false,
  track,
  score: null,
  producerScore: null,
  quality: null,
});
const run = (...events: RoomEvent[]): RoomState => events.reduce(roomReducer, initialRoomState);

describe('roomReducer', () => {
  it('join: joining → joined with the snapshot; a failed join goes back to idle with the error', () => {
    expect(run({ type: 'join-start' }).phase).toBe('joining');
    const joined = run({ type: 'join-start' }, { type: 'joined', snapshot: snapshot() });
    expect(joined).toMatchObject({ phase: 'joined', selfId: 'a', participants: [person('a'), person('b')] });
    expect(run({ type: 'join-start' }, { type: 'join-failed', code: 'ROOM_LOCKED', message: 'locked' })).toMatchObject({
      phase: 'idle',
      error: { code: 'ROOM_LOCKED' },
    });
  });

  it('a participant who drops stays, marked reconnecting, until they come back or leave', () => {
    let s = run({ type: 'joined', snapshot: snapshot() }, { type: 'remote-added', remote: remote('c1') });
    s = roomReducer(s, { type: 'participant-state', userId: 'b', connection: 'reconnecting' });
    expect(s.participants.find((p) => p.userId === 'b')?.connection).toBe('reconnecting');
    expect(s.remotes.c1).toBeDefined(); // their tile keeps its stream
    s = roomReducer(s, { type: 'participant-state', userId: 'b', connection: 'connected' });
    expect(s.participants.find((p) => p.userId === 'b')?.connection).toBe('connected');
    s = roomReducer(s, { type: 'participant-left', userId: 'b' });
    expect(s.participants.map((p) => p.userId)).toEqual(['a']);
    expect(s.remotes).toEqual({});
  });

  it('a resume keeps the remote streams the server still holds and drops the others', () => {
    let s = run({ type: 'joined', snapshot: snapshot() }, { type: 'remote-added', remote: remote('c1') }, { type: 'remote-added', remote: remote('c2') });
    s = roomReducer(s, { type: 'connection', connection: 'reconnecting' });
    s = roomReducer(s, { type: 'resumed', snapshot: snapshot(), consumerIds: ['c2'] });
    expect(s.connection).toBe('connected');
    expect(Object.keys(s.remotes)).toEqual(['c2']);
    expect(s.phase).toBe('joined');
  });

  it('our own streams are never remote; a media reset drops every remote stream', () => {
    let s = run({ type: 'joined', snapshot: snapshot() }, { type: 'remote-added', remote: remote('mine', 'a') });
    expect(s.remotes).toEqual({});
    s = roomReducer(s, { type: 'remote-added', remote: remote('c1') });
    expect(roomReducer(s, { type: 'media-reset' }).remotes).toEqual({});
  });

  it('consumer state: pause shows, and quality follows the scores and our own loss', () => {
    let s = run({ type: 'joined', snapshot: snapshot() }, { type: 'remote-added', remote: remote('c1') });
    const state = { consumerId: 'c1', producerPaused: true, score: 10, producerScore: 10, spatialLayer: 0 };
    s = roomReducer(s, { type: 'remote-state', state });
    expect(s.remotes.c1).toMatchObject({ paused: true, quality: 'good' });
    s = roomReducer(s, { type: 'remote-state', state: { ...state, producerScore: 3 } });
    expect(s.remotes.c1?.quality).toBe('poor');
    s = roomReducer(s, { type: 'remote-state', state: { ...state, producerScore: 10 } });
    s = roomReducer(s, { type: 'remote-quality', consumerId: 'c1', lossPct: 5, rttMs: 40 });
    expect(s.remotes.c1?.quality).toBe('fair');
    // An update that changes nothing shown returns the same state (no re-render).
    expect(roomReducer(s, { type: 'remote-quality', consumerId: 'c1', lossPct: 5, rttMs: 40 })).toBe(s);
  });

  it('closing keeps why, and forgets the media; unsent chat survives a rejoin', () => {
    let s = run({ type: 'joined', snapshot: snapshot() });
    const message = { id: 'm', clientId: 'm', userId: 'a', name: 'A', text: 'hi', sentAt: 5 };
    s = roomReducer(s, { type: 'chat-pending', message });
    s = roomReducer(s, { type: 'joined', snapshot: snapshot() });
    expect(s.chat).toMatchObject([{ clientId: 'm', status: 'pending' }]);
    s = roomReducer(s, { type: 'closed', reason: 'seat-expired' });
    expect(s).toMatchObject({ phase: 'closed', closedReason: 'seat-expired', remotes: {} });
  });
});
