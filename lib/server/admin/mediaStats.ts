/**
 * Turns what the SFU node reports per transport, producer and consumer (`room:stats`) into the one
 * line per participant the dashboard shows. Pure, so the arithmetic is unit-tested.
 */
import type { ParticipantMediaStats, PeerStats } from '../../protocol';

const max = (values: number[]) => (values.length ? Math.max(...values) : 0);
const maxOrNull = (values: (number | null)[]) => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
};

export function participantMedia(peer: PeerStats): ParticipantMediaStats {
  // Paused streams carry no media; their stale loss/jitter figures would only mislead.
  const producers = peer.producers.filter((p) => !p.paused);
  const consumers = peer.consumers.filter((c) => !c.paused);
  const recv = peer.transports.find((t) => t.direction === 'recv');
  return {
    workerPid: peer.workerPid,
    inBitrate: producers.reduce((sum, p) => sum + p.bitrate, 0),
    outBitrate: consumers.reduce((sum, c) => sum + c.bitrate, 0),
    lossInPct: max(producers.map((p) => p.lossPct)),
    lossOutPct: max(consumers.map((c) => c.lossPct)),
    // Receiver reports on what the node sends give the RTT; a peer that only sends has it on its producers.
    rttMs: maxOrNull(consumers.map((c) => c.rttMs)) ?? maxOrNull(producers.map((p) => p.rttMs)),
    jitterMs: producers.length ? max(producers.map((p) => p.jitterMs)) : null,
    availableOutgoingBitrate: recv?.availableOutgoingBitrate ?? null,
    producers: peer.producers.length,
    consumers: peer.consumers.length,
  };
}
