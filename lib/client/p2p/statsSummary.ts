/**
 * Turns RTCPeerConnection.getStats() reports into the small summary a 1:1 call reports to the
 * server for the admin dashboard (CallStatsSummary). Bitrates and loss are deltas between two
 * readings, so the first reading only sets the baseline. Pure: the tests feed it plain objects.
 */
import type { CallStatsSummary } from '../../protocol';

/** One entry of an RTCStatsReport, loosely typed: browsers differ in what they fill in. */
export type RtcStat = { type: string; id: string } & Record<string, unknown>;

export interface StatsReading {
  at: number;
  bytesSent: number;
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  rttMs: number | null;
  jitterMs: number | null;
  video: CallStatsSummary['video'];
  candidateType: CallStatsSummary['candidateType'];
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const CANDIDATE_TYPES = ['host', 'srflx', 'prflx', 'relay'] as const;

export function readStats(stats: RtcStat[], at: number): StatsReading {
  const byId = new Map(stats.map((s) => [s.id, s]));
  const reading: StatsReading = {
    at,
    bytesSent: 0,
    bytesReceived: 0,
    packetsReceived: 0,
    packetsLost: 0,
    rttMs: null,
    jitterMs: null,
    video: null,
    candidateType: null,
  };
  for (const s of stats) {
    if (s.type === 'outbound-rtp') reading.bytesSent += num(s.bytesSent);
    if (s.type !== 'inbound-rtp') continue;
    reading.bytesReceived += num(s.bytesReceived);
    reading.packetsReceived += num(s.packetsReceived);
    reading.packetsLost += num(s.packetsLost);
    if (typeof s.jitter === 'number') reading.jitterMs = Math.max(reading.jitterMs ?? 0, num(s.jitter) * 1000);
    const width = num(s.frameWidth);
    if (s.kind === 'video' && width > (reading.video?.width ?? 0)) {
      reading.video = { width, height: num(s.frameHeight), fps: num(s.framesPerSecond) };
    }
  }
  // The pair in use: the transport names it; older reports only mark it nominated + succeeded.
  const transport = stats.find((s) => s.type === 'transport' && typeof s.selectedCandidatePairId === 'string');
  const pair =
    (transport && byId.get(transport.selectedCandidatePairId as string)) ??
    stats.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
  if (pair) {
    if (typeof pair.currentRoundTripTime === 'number') reading.rttMs = num(pair.currentRoundTripTime) * 1000;
    const local = byId.get(pair.localCandidateId as string);
    const type = local?.candidateType;
    reading.candidateType = CANDIDATE_TYPES.find((t) => t === type) ?? null;
  }
  return reading;
}

/** The summary for the interval between two readings; null if the counters went backwards (a new connection). */
export function summarize(prev: StatsReading, cur: StatsReading): CallStatsSummary | null {
  const seconds = (cur.at - prev.at) / 1000;
  const dSent = cur.bytesSent - prev.bytesSent;
  const dReceived = cur.bytesReceived - prev.bytesReceived;
  const dPackets = cur.packetsReceived - prev.packetsReceived;
  const dLost = cur.packetsLost - prev.packetsLost;
  if (seconds <= 0 || dSent < 0 || dReceived < 0 || dPackets < 0) return null;
  const lossBase = dPackets + Math.max(0, dLost);
  return {
    outBitrate: Math.round((dSent * 8) / seconds),
    inBitrate: Math.round((dReceived * 8) / seconds),
    packetLossPct: lossBase > 0 ? (Math.max(0, dLost) / lossBase) * 100 : null,
    rttMs: cur.rttMs,
    jitterMs: cur.jitterMs,
    video: cur.video,
    candidateType: cur.candidateType,
  };
}
