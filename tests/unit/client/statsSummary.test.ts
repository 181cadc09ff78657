import { describe, expect, it } from 'vitest';
import { callStatsSummary } from '@/lib/protocol';
import { readStats, summarize, type RtcStat } from '@/lib/client/p2p/statsSummary';

/** The parts of a Chrome getStats() report the summary reads. */
function report(opts: { sent: number; received: number; packets: number; lost: number; rtt?: number }): RtcStat[] {
  return [
    { type: 'outbound-rtp', id: 'o1', kind: 'video', bytesSent: opts.sent * 0.9 },
    { type: 'outbound-rtp', id: 'o2', kind: 'audio', bytesSent: opts.sent * 0.1 },
    {
      type: 'inbound-rtp',
      id: 'i1',
      kind: 'video',
      bytesReceived: opts.received,
      packetsReceived: opts.packets,
      packetsLost: opts.lost,
      jitter: 0.012,
      frameWidth: 640,
      frameHeight: 480,
      framesPerSecond: 30,
    },
    {
      type: 'inbound-rtp',
      id: 'i2',
      kind: 'audio',
      bytesReceived: 0,
      packetsReceived: 0,
      packetsLost: 0,
      jitter: 0.004,
    },
    { type: 'transport', id: 't', selectedCandidatePairId: 'p1' },
    {
      type: 'candidate-pair',
      id: 'p0',
      nominated: false,
      state: 'failed',
      localCandidateId: 'l0',
      currentRoundTripTime: 9,
    },
    {
      type: 'candidate-pair',
      id: 'p1',
      nominated: true,
      state: 'succeeded',
      localCandidateId: 'l1',
      ...(opts.rtt === undefined ? {} : { currentRoundTripTime: opts.rtt }),
    },
    { type: 'local-candidate', id: 'l1', candidateType: 'relay' },
  ];
}

describe('call stats summary', () => {
  it('turns two readings into bitrates, loss, RTT, jitter, video and path', () => {
    const a = readStats(report({ sent: 0, received: 0, packets: 0, lost: 0 }), 10_000);
    const b = readStats(report({ sent: 375_000, received: 250_000, packets: 990, lost: 10, rtt: 0.042 }), 13_000);
    const summary = summarize(a, b);
    expect(summary).toEqual({
      outBitrate: 1_000_000,
      inBitrate: 666_667,
      packetLossPct: 1,
      rttMs: 42,
      jitterMs: 12,
      video: { width: 640, height: 480, fps: 30 },
      candidateType: 'relay',
    });
    // …and it is what the server's schema accepts.
    expect(callStatsSummary.safeParse(summary).success).toBe(true);
  });

  it('has no loss figure without packets, and no summary when counters restart (a new connection)', () => {
    const a = readStats(report({ sent: 1000, received: 1000, packets: 10, lost: 0 }), 0);
    const same = readStats(report({ sent: 1000, received: 1000, packets: 10, lost: 0 }), 3000);
    expect(summarize(a, same)).toMatchObject({ outBitrate: 0, inBitrate: 0, packetLossPct: null, rttMs: null });
    const restarted = readStats(report({ sent: 10, received: 10, packets: 1, lost: 0 }), 6000);
    expect(summarize(same, restarted)).toBeNull();
  });
});
