/**
 * `room:stats`: each peer's media as mediasoup measures it, summarised per transport, producer and
 * consumer. One getStats() is one request to the worker, so this runs only while an admin watches
 * (the web process asks every 2 s then, never otherwise).
 *
 * Units: mediasoup reports RTCP `fractionLost` as 0–255 and inbound `jitter` in RTP timestamp units
 * (RFC 3550 §6.4.1); both are converted here so the contract speaks percent and milliseconds.
 */
import type { types } from 'mediasoup';
import type { PeerStats } from '../lib/protocol/sfuRpc';
import type { Member } from './Room';
import type { ProducerAppData, TransportAppData } from './types';

const lossPct = (fractionLost: number) => Math.min(100, (fractionLost / 256) * 100);
/** mediasoup reports RTT 0 until an RTCP round trip has been measured. */
const rtt = (ms: number | undefined) => (ms && ms > 0 ? ms : null);

/** getStats() of an object that closes meanwhile rejects: it is simply left out of the report. */
async function statsOf<T>(get: () => Promise<T[]>): Promise<T[] | null> {
  try {
    return await get();
  } catch {
    return null;
  }
}

async function transportStats(t: types.WebRtcTransport<TransportAppData>) {
  const [s] = (await statsOf(() => t.getStats())) ?? [];
  if (!s) return null;
  return {
    transportId: t.id,
    direction: t.appData.direction,
    recvBitrate: s.recvBitrate,
    sendBitrate: s.sendBitrate,
    availableOutgoingBitrate: s.availableOutgoingBitrate ?? null,
  };
}

async function producerStats(p: types.Producer<ProducerAppData>) {
  const streams = await statsOf(() => p.getStats());
  if (!streams) return null;
  const clockRate = p.rtpParameters.codecs[0]?.clockRate ?? (p.kind === 'audio' ? 48_000 : 90_000);
  return {
    producerId: p.id,
    kind: p.kind,
    source: p.appData.source,
    paused: p.paused,
    score: Math.max(0, ...streams.map((s) => s.score)),
    bitrate: streams.reduce((sum, s) => sum + s.bitrate, 0),
    lossPct: Math.max(0, ...streams.map((s) => lossPct(s.fractionLost))),
    jitterMs: Math.max(0, ...streams.map((s) => (s.jitter / clockRate) * 1000)),
    rttMs: rtt(Math.max(0, ...streams.map((s) => s.roundTripTime ?? 0))),
  };
}

async function consumerStats(c: types.Consumer) {
  const all = await statsOf(() => c.getStats());
  // A consumer's report also carries its producer's inbound streams; only its own is wanted here.
  const mine = all?.find((s) => s.type === 'outbound-rtp');
  if (!all) return null;
  return {
    consumerId: c.id,
    producerId: c.producerId,
    kind: c.kind,
    paused: c.paused,
    score: mine?.score ?? 0,
    bitrate: mine?.bitrate ?? 0,
    lossPct: mine ? lossPct(mine.fractionLost) : 0,
    rttMs: rtt(mine?.roundTripTime),
  };
}

const present = <T>(x: T | null): x is T => x !== null;

export async function peerStats(member: Member): Promise<PeerStats> {
  const { transports, producers, consumers } = member.peer.media();
  const [t, p, c] = await Promise.all([
    Promise.all(transports.map(transportStats)),
    Promise.all(producers.map(producerStats)),
    Promise.all(consumers.map(consumerStats)),
  ]);
  return {
    peerId: member.peer.id,
    workerPid: member.worker.worker.pid,
    transports: t.filter(present),
    producers: p.filter(present),
    consumers: c.filter(present),
  };
}
