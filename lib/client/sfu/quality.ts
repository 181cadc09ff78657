/**
 * A tile's connection quality from what both ends measure: the node's scores (0–10: what reaches
 * it from the sender, and what it delivers to us) and our own loss and round-trip time.
 * Thresholds follow what people notice: a few % loss or ~300 ms RTT is audible; 10 % or ~600 ms
 * breaks a conversation.
 */
export type Quality = 'good' | 'fair' | 'poor';

export interface QualityInputs {
  /** What the node delivers to us, 0–10. */
  score: number | null;
  /** What reaches the node from the sender, 0–10. */
  producerScore: number | null;
  /** Packets lost on the way to us over the last interval, %. */
  lossPct: number | null;
  /** Our round trip to the SFU, ms. */
  rttMs: number | null;
}

export function qualityOf({ score, producerScore, lossPct, rttMs }: QualityInputs): Quality | null {
  const scores = [score, producerScore].filter((s): s is number => s !== null);
  if (!scores.length && lossPct === null && rttMs === null) return null;
  const worstScore = scores.length ? Math.min(...scores) : 10;
  if (worstScore <= 4 || (lossPct ?? 0) >= 10 || (rttMs ?? 0) >= 600) return 'poor';
  if (worstScore <= 7 || (lossPct ?? 0) >= 3 || (rttMs ?? 0) >= 300) return 'fair';
  return 'good';
}

/** Loss % between two cumulative readings of an inbound-rtp stream (null if nothing arrived). */
export function lossBetween(
  before: { packetsReceived: number; packetsLost: number } | undefined,
  now: { packetsReceived: number; packetsLost: number },
): number | null {
  const received = now.packetsReceived - (before?.packetsReceived ?? 0);
  const lost = Math.max(0, now.packetsLost - (before?.packetsLost ?? 0));
  if (received + lost <= 0) return null;
  return (100 * lost) / (received + lost);
}
