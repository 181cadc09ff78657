import { describe, expect, it } from 'vitest';
import type { CallInfo } from '@/lib/protocol';
import { idle, makeCallReducer, type CallEvent, type CallState } from '@/lib/client/p2p/callReducer';

const alice = { id: 'alice', name: 'Alice' };
const bob = { id: 'bob', name: 'Bob' };

const info = (over: Partial<CallInfo> = {}): CallInfo => ({
  callId: '00000000-0000-4000-8000-000000000001',
  caller: alice,
  callee: bob,
  phase: 'ringing',
  startedAt: 1,
  answeredAt: null,
  ringDeadline: 30_001,
  ...over,
});

const run = (me: string, events: CallEvent[], from: CallState = idle) => events.reduce(makeCallReducer(me), from);

describe('call reducer', () => {
  it('caller: dial → ringing → accepted → hang up', () => {
    const ringing = run('alice', [{ type: 'dial', peer: bob }, { type: 'invite-sent', call: info() }]);
    expect(ringing).toEqual({ phase: 'outgoing', call: info() });
    const active = run('alice', [{ type: 'accepted', call: info({ phase: 'active', answeredAt: 5 }) }], ringing);
    expect(active.phase).toBe('active');
    const ended = run('alice', [{ type: 'hangup', reason: 'hangup' }], active);
    expect(ended).toMatchObject({ phase: 'ended', reason: 'hangup', peer: bob });
  });

  it('callee: incoming → accept → active, and the peer is the caller', () => {
    const s = run('bob', [
      { type: 'incoming', call: info() },
      { type: 'accept' },
      { type: 'accepted', call: info({ phase: 'active', answeredAt: 5 }) },
      { type: 'ended', callId: info().callId, reason: 'hangup' },
    ]);
    expect(s).toMatchObject({ phase: 'ended', peer: alice, reason: 'hangup' });
  });

  it('timeout: an unanswered call becomes a missed call on both sides', () => {
    const ended = { type: 'ended', callId: info().callId, reason: 'missed' } as const;
    expect(run('alice', [{ type: 'dial', peer: bob }, { type: 'invite-sent', call: info() }, ended])).toMatchObject({
      phase: 'ended',
      reason: 'missed',
      peer: bob,
    });
    expect(run('bob', [{ type: 'incoming', call: info() }, ended])).toMatchObject({ phase: 'ended', reason: 'missed' });
    // The callee missed it, and is told from whom; the caller just got no answer.
    expect(run('bob', [{ type: 'incoming', call: info() }, ended])).toMatchObject({ message: expect.stringMatching(/^Missed call from /) });
    expect(run('alice', [{ type: 'dial', peer: info().callee }, { type: 'invite-sent', call: info() }, ended])).not.toHaveProperty('message');
  });

  it('cancel: the caller cancels while ringing and the callee sees it', () => {
    expect(run('alice', [{ type: 'dial', peer: bob }, { type: 'invite-sent', call: info() }, { type: 'cancel' }])).toBe(idle);
    expect(run('bob', [{ type: 'incoming', call: info() }, { type: 'ended', callId: info().callId, reason: 'cancelled' }])).toMatchObject({
      phase: 'ended',
      reason: 'cancelled',
    });
  });

  it('cancel before the invite ack is allowed and leaves no call', () => {
    expect(run('alice', [{ type: 'dial', peer: bob }, { type: 'cancel' }])).toBe(idle);
  });

  it('glare: our invite crossed theirs — their ringing is held, then the merged call becomes active', () => {
    // Alice dials Bob while Bob's invite to Alice is already on its way.
    const bobsCall = info({ caller: bob, callee: alice });
    const s1 = run('alice', [{ type: 'dial', peer: bob }, { type: 'incoming', call: bobsCall }]);
    expect(s1.phase).toBe('dialing');
    // The server answers Alice's invite by joining her to Bob's call as the callee.
    const s2 = run('alice', [{ type: 'invite-sent', call: { ...bobsCall, phase: 'active', answeredAt: 2 } }], s1);
    expect(s2).toMatchObject({ phase: 'active', call: { caller: bob, callee: alice } });
    // Bob, the original caller, hears "accepted" for his own call.
    const b = run('bob', [
      { type: 'dial', peer: alice },
      { type: 'invite-sent', call: bobsCall },
      { type: 'accepted', call: { ...bobsCall, phase: 'active', answeredAt: 2 } },
    ]);
    expect(b.phase).toBe('active');
  });

  it('busy and other invite failures end the attempt with the server message', () => {
    const s = run('alice', [{ type: 'dial', peer: bob }, { type: 'invite-failed', code: 'BUSY', message: 'Bob is busy' }]);
    expect(s).toMatchObject({ phase: 'ended', reason: 'busy', message: 'Bob is busy', callId: null });
    const f = run('alice', [{ type: 'dial', peer: bob }, { type: 'invite-failed', code: 'OFFLINE', message: 'not online' }]);
    expect(f).toMatchObject({ phase: 'ended', reason: 'failed' });
  });

  it('ignores events for other calls and a second incoming call while busy', () => {
    const active = run('bob', [{ type: 'incoming', call: info() }, { type: 'accept' }, { type: 'accepted', call: info({ phase: 'active' }) }]);
    const other = info({ callId: '00000000-0000-4000-8000-000000000002', caller: { id: 'carol', name: 'Carol' } });
    expect(run('bob', [{ type: 'incoming', call: other }], active)).toBe(active);
    expect(run('bob', [{ type: 'ended', callId: other.callId, reason: 'hangup' }], active)).toBe(active);
  });

  it('another tab answering stops this tab ringing without an "ended" notice', () => {
    expect(run('bob', [{ type: 'incoming', call: info() }, { type: 'ended', callId: info().callId, reason: 'answered-elsewhere' }])).toBe(idle);
  });

  it('decline returns to idle; dismiss clears an ended call', () => {
    expect(run('bob', [{ type: 'incoming', call: info() }, { type: 'decline' }])).toBe(idle);
    const ended = run('bob', [{ type: 'incoming', call: info() }, { type: 'ended', callId: info().callId, reason: 'missed' }]);
    expect(run('bob', [{ type: 'dismiss' }], ended)).toBe(idle);
  });

  it('resume adopts the server call after a reload', () => {
    expect(run('alice', [{ type: 'resumed', call: info({ phase: 'active' }) }])).toMatchObject({ phase: 'active' });
  });
});
