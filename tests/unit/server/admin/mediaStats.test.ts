import { describe, expect, it } from 'vitest';
import type { PeerStats } from '@/lib/protocol';
import { participantMedia } from '@/lib/server/admin/mediaStats';

const peer: PeerStats = {
  peerId: 'u1',
  workerPid: 4242,
  transports: [
    { transportId: 's', direction: 'send', recvBitrate: 900_000, sendBitrate: 10_000, availableOutgoingBitrate: null },
    {
      transportId: 'r',
      direction: 'recv',
      recvBitrate: 5_000,
      sendBitrate: 1_200_000,
      availableOutgoingBitrate: 2_500_000,
    },
  ],
  producers: [
    {
      producerId: 'mic',
      kind: 'audio',
      source: 'mic',
      paused: false,
      score: 10,
      bitrate: 40_000,
      lossPct: 0.5,
      jitterMs: 4,
      rttMs: null,
    },
    {
      producerId: 'cam',
      kind: 'video',
      source: 'camera',
      paused: false,
      score: 9,
      bitrate: 800_000,
      lossPct: 2,
      jitterMs: 11,
      rttMs: 30,
    },
    // Paused: its stale figures must not count.
    {
      producerId: 'scr',
      kind: 'video',
      source: 'screen',
      paused: true,
      score: 0,
      bitrate: 5,
      lossPct: 90,
      jitterMs: 500,
      rttMs: 900,
    },
  ],
  consumers: [
    {
      consumerId: 'c1',
      producerId: 'x',
      kind: 'video',
      paused: false,
      score: 10,
      bitrate: 600_000,
      lossPct: 1,
      rttMs: 12,
    },
    {
      consumerId: 'c2',
      producerId: 'y',
      kind: 'audio',
      paused: false,
      score: 10,
      bitrate: 40_000,
      lossPct: 3,
      rttMs: 14,
    },
    { consumerId: 'c3', producerId: 'z', kind: 'video', paused: true, score: 0, bitrate: 0, lossPct: 50, rttMs: 999 },
  ],
};

describe('participantMedia', () => {
  it('sums live bitrates and takes the worst loss, RTT and jitter of live streams', () => {
    expect(participantMedia(peer)).toEqual({
      workerPid: 4242,
      inBitrate: 840_000,
      outBitrate: 640_000,
      lossInPct: 2,
      lossOutPct: 3,
      rttMs: 14,
      jitterMs: 11,
      availableOutgoingBitrate: 2_500_000,
      producers: 3,
      consumers: 3,
    });
  });

  it('falls back to the producers’ RTT for a peer that only sends, and says null when nothing is known', () => {
    expect(participantMedia({ ...peer, consumers: [] }).rttMs).toBe(30);
    const idle = participantMedia({ peerId: 'u2', workerPid: 1, transports: [], producers: [], consumers: [] });
    expect(idle).toMatchObject({
      inBitrate: 0,
      outBitrate: 0,
      rttMs: null,
      jitterMs: null,
      availableOutgoingBitrate: null,
    });
  });
});
