import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceDiff } from '@/lib/protocol';
import { PresenceBatcher } from '@/lib/server/realtime/presenceBatcher';

const left = (userId: string): PresenceDiff => ({ type: 'left', userId });

describe('presence batcher', () => {
  let now = 0;
  let sent: PresenceDiff[][];
  let batcher: PresenceBatcher;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 1_000;
    sent = [];
    batcher = new PresenceBatcher((diffs) => sent.push(diffs), 100, () => now);
  });
  afterEach(() => vi.useRealTimers());
  const advance = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it('sends a lone change on the next tick, with what else happened in the same tick', () => {
    batcher.push(left('a'));
    batcher.push(left('b'));
    expect(sent).toEqual([]);
    advance(0);
    expect(sent).toEqual([[left('a'), left('b')]]);
  });

  it('gathers changes that follow within the window into one message, in order', () => {
    batcher.push(left('a'));
    advance(0);
    advance(10);
    batcher.push(left('b'));
    advance(30);
    batcher.push(left('c'));
    advance(59);
    expect(sent).toHaveLength(1);
    advance(1);
    expect(sent).toEqual([[left('a')], [left('b'), left('c')]]);
  });

  it('widens the window to four times what a send cost (at most a second), so sends cannot hog the loop', () => {
    batcher = new PresenceBatcher(
      (diffs) => {
        sent.push(diffs);
        now += sent.length === 1 ? 40 : 900; // sends to every socket took 40 ms, then 900 ms
      },
      100,
      () => now,
    );
    batcher.push(left('a'));
    advance(0);
    batcher.push(left('b'));
    advance(110); // 150 ms since the first send began: not the 100 ms window but 4 × 40
    expect(sent).toHaveLength(1);
    advance(10);
    expect(sent).toHaveLength(2);
    batcher.push(left('c'));
    advance(90); // a 900 ms send would mean 3.6 s; capped at 1 s from its start
    expect(sent).toHaveLength(2);
    advance(10);
    expect(sent).toEqual([[left('a')], [left('b')], [left('c')]]);
  });

  it('with a window of 0, sends each change on its own (only changes of one tick share a message)', () => {
    batcher = new PresenceBatcher(
      (diffs) => {
        sent.push(diffs);
        now += 40;
      },
      0,
      () => now,
    );
    batcher.push(left('a'));
    batcher.push(left('b'));
    advance(0);
    batcher.push(left('c'));
    advance(0);
    expect(sent).toEqual([[left('a'), left('b')], [left('c')]]);
  });

  it('is immediate again after a quiet window, and close() drops what is pending and what follows', () => {
    batcher.push(left('a'));
    advance(0);
    advance(500);
    batcher.push(left('b'));
    advance(0);
    expect(sent).toEqual([[left('a')], [left('b')]]);
    batcher.push(left('c'));
    batcher.close();
    batcher.push(left('d'));
    advance(1_000);
    expect(sent).toHaveLength(2);
  });
});
