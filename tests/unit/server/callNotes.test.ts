import { describe, expect, it } from 'vitest';
import type { CallInfo } from '@/lib/protocol';
import { callNote } from '@/lib/server/lobby/callNotes';

const call = (answeredAt: number | null): CallInfo => ({
  callId: 'c1',
  caller: { id: 'a', name: 'Ann' },
  callee: { id: 'b', name: 'Bob' },
  phase: answeredAt === null ? 'ringing' : 'active',
  startedAt: 0,
  answeredAt,
  ringDeadline: 30_000,
});

describe('the call note written into a direct conversation', () => {
  it('says who was missed, declined, or how long the call lasted', () => {
    expect(callNote(call(null), 'missed', 40_000)).toEqual({ kind: 'call-missed', text: 'Missed call from Ann' });
    expect(callNote(call(null), 'cancelled', 5_000)).toEqual({ kind: 'call-missed', text: 'Missed call from Ann' });
    expect(callNote(call(null), 'declined', 5_000)).toEqual({ kind: 'call-declined', text: 'Bob declined the call' });
    expect(callNote(call(null), 'peer-lost', 5_000)).toEqual({ kind: 'call-missed', text: 'Call from Ann did not connect' });
    expect(callNote(call(10_000), 'hangup', 10_000 + 192_400)).toEqual({ kind: 'call-ended', text: 'Call ended · 3:12' });
    expect(callNote(call(10_000), 'ice-failed', 15_000)).toEqual({ kind: 'call-ended', text: 'Call ended · 0:05' });
  });

  it('writes nothing for a call handed over to the next process', () => {
    expect(callNote(call(10_000), 'server-restart', 20_000)).toBeNull();
  });
});
