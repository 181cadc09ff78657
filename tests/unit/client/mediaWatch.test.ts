import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MediaWatch } from '@/lib/client/sfu/MediaWatch';

describe('MediaWatch: media transports that do not work are noticed', () => {
  let seen: (string | null)[];
  let watch: MediaWatch;
  beforeEach(() => {
    vi.useFakeTimers();
    seen = [];
    watch = new MediaWatch({ onTrouble: (t, d) => seen.push(t && `${t}:${d.join(',')}`), connectDeadlineMs: 8000, lostDeadlineMs: 12000 });
  });
  afterEach(() => vi.useRealTimers());

  it('says nothing about transports that never start connecting (alone, camera and mic off)', () => {
    watch.update('send', 'new');
    watch.update('recv', 'new');
    vi.advanceTimersByTime(60_000);
    expect(seen).toEqual([]);
  });

  it('reports connect trouble when a transport stays connecting past the deadline, and clears it once connected', () => {
    watch.update('recv', 'connecting');
    vi.advanceTimersByTime(7999);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['connect:recv']);
    watch.update('recv', 'connected');
    expect(seen).toEqual(['connect:recv', null]);
  });

  it('reports connect trouble at once when a transport fails before ever connecting (Firefox and a loopback candidate)', () => {
    watch.update('send', 'connecting');
    watch.update('send', 'failed');
    expect(seen).toEqual(['connect:send']);
  });

  it('gives a connected transport that drops the lost deadline to recover before reporting', () => {
    watch.update('recv', 'connecting');
    watch.update('recv', 'connected');
    watch.update('recv', 'disconnected');
    watch.update('recv', 'failed'); // the deadline already running keeps running
    vi.advanceTimersByTime(11_000);
    watch.update('recv', 'connected'); // an ICE restart brought it back in time
    vi.advanceTimersByTime(60_000);
    expect(seen).toEqual([]);
    watch.update('recv', 'failed');
    vi.advanceTimersByTime(12_000);
    expect(seen).toEqual(['lost:recv']);
  });

  it('shows the worst trouble of the two transports, and forgets everything on new transports', () => {
    watch.update('recv', 'connecting');
    watch.update('recv', 'connected');
    watch.update('recv', 'failed');
    vi.advanceTimersByTime(12_000);
    watch.update('send', 'connecting');
    watch.update('send', 'failed');
    expect(seen).toEqual(['lost:recv', 'connect:send']);
    watch.reset();
    expect(seen).toEqual(['lost:recv', 'connect:send', null]);
    vi.advanceTimersByTime(60_000);
    expect(seen).toHaveLength(3);
  });
});
