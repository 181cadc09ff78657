/**
 * The socket fuzzer: sends `events` deterministic pseudo-random events over already signed-in
 * socket.io clients (a share each, in parallel) and classifies every answer. The integration suite
 * runs it at 2,000 events (tests/integration/protocol.test.ts), the bench at 100,000
 * (bench/socket-fuzz.ts).
 *
 * What it sends: real event names with junk, with valid payloads mutated in one field, with
 * oversized strings (below the transport's frame limit, so they reach the dispatcher), with the
 * wrong number of arguments; and names that are not events at all. What it expects: an ack for
 * every one, of the protocol's shape ({ok:true,data} | {ok:false,error:{code,message}}), with a
 * known error code, never INTERNAL, and the connection still up.
 */
import { ErrorCode, inboundSpecs } from '../../lib/protocol';

/** The part of a socket.io client the fuzzer uses. */
export interface FuzzSocket {
  connected: boolean;
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
}

export interface FuzzReport {
  events: number;
  seconds: number;
  ok: number;
  /** Refusals by error code (typed errors only). */
  byCode: Record<string, number>;
  /** Acks with code INTERNAL: a handler threw something it should not have. */
  internal: number;
  /** Answers that are not the protocol's ack shape, or no answer within the timeout. */
  untyped: string[];
  /** Sockets that were connected at the start and are not at the end. */
  dropped: number;
}

/** Deterministic PRNG (LCG), so a failing run can be replayed from its seed. */
export function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const uuid = () => crypto.randomUUID();

function junk(rand: Rand, depth = 0): unknown {
  switch (Math.floor(rand() * 13)) {
    case 0: return null;
    case 1: return rand() * 1e9 - 5e8;
    case 2: return 'x'.repeat(Math.floor(rand() * 200));
    case 3: return rand() > 0.5;
    case 4: return depth > 3 ? [] : Array.from({ length: Math.floor(rand() * 4) }, () => junk(rand, depth + 1));
    case 5: return { callId: 'not-a-uuid', signal: junk(rand, depth + 1) };
    case 6: return { calleeId: rand() > 0.5 ? '' : 'a'.repeat(100) };
    case 7: return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');
    // Over the event's budget, but two of them still fit the transport's frame limit (4 × 65 KB).
    case 8:
      if (depth > 0) return 'v'.repeat(1000); // one big string per argument at most
      return { callId: uuid(), signal: { description: { type: 'offer', sdp: 'v'.repeat(70_000 + Math.floor(rand() * 50_000)) } } };
    case 9: return { callId: uuid(), extra: 'field' };
    case 10: return '\u0000\u202e\ud800';
    case 11: return depth > 3 ? {} : { a: junk(rand, depth + 1), b: junk(rand, depth + 1) };
    default: return undefined;
  }
}

/** A well-formed payload for each kind of event, to mutate one field at a time. */
function template(event: string): Record<string, unknown> {
  const [area, action] = event.split(':');
  if (area === 'call') return { callId: uuid(), calleeId: uuid(), signal: { candidate: null }, audio: true, video: true };
  if (event === 'chat:send') return { clientId: uuid(), text: 'hello' };
  if (event === 'room:create') return { name: 'Fuzz room' };
  if (event === 'room:join') return { slug: 'no-such-room-abcd', rtpCapabilities: {} };
  if (event === 'room:resume') return { slug: 'no-such-room-abcd', token: 'not-a-seat-token-0123', consumerIds: [uuid()] };
  if (area === 'room' && action?.startsWith('transport')) return { transportId: uuid(), direction: 'recv' };
  if (area === 'room' && action?.startsWith('producer')) return { producerId: uuid() };
  if (area === 'room' && action?.startsWith('consum')) return { consumerId: uuid(), producerId: uuid(), spatialLayer: 1, rtpCapabilities: {} };
  if (area === 'room' && action?.startsWith('host')) return { userId: uuid(), locked: true };
  if (area === 'admin') return { roomId: uuid(), userId: uuid(), callId: uuid(), disabled: false, role: 'user' };
  return {};
}

function mutate(rand: Rand, payload: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(payload);
  const copy = { ...payload };
  if (keys.length === 0 || rand() < 0.2) copy[pick(rand, ['extra', '__proto__', 'constructor', 'x'.repeat(300)])] = junk(rand);
  else copy[pick(rand, keys)] = junk(rand);
  return copy;
}

const EVENTS = Object.keys(inboundSpecs);
const NOT_EVENTS = ['unknown:event', 'constructor', '__proto__', 'toString', '', 'x'.repeat(500), 'call:', 'room:join ', 'ROOM:JOIN'];
const CODES = new Set<string>(Object.values(ErrorCode));

function isAck(value: unknown): value is { ok: true } | { ok: false; error: { code: string; message: string } } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; data?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return 'data' in v;
  return v.ok === false && typeof v.error?.code === 'string' && CODES.has(v.error.code) && typeof v.error.message === 'string';
}

/**
 * `perSocketPerSecond` paces each socket under the dispatcher's flood guard (100 events/s), so
 * the events reach the handlers instead of being refused as RATE_LIMITED.
 */
export async function fuzzSockets(sockets: FuzzSocket[], events: number, seed = 20261203, perSocketPerSecond = 90): Promise<FuzzReport> {
  const report: FuzzReport = { events, seconds: 0, ok: 0, byCode: {}, internal: 0, untyped: [], dropped: 0 };
  const connectedAtStart = sockets.filter((s) => s.connected);
  const t0 = performance.now();
  await Promise.all(
    sockets.map(async (socket, i) => {
      const rand = rng(seed + i);
      const share = Math.floor(events / sockets.length) + (i < events % sockets.length ? 1 : 0);
      const started = performance.now();
      for (let n = 0; n < share; n++) {
        const wait = started + (n * 1000) / perSocketPerSecond - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (!socket.connected) {
          report.untyped.push(`socket ${i} dropped with ${share - n} events left`);
          return;
        }
        const real = rand() < 0.9;
        const event = real ? pick(rand, EVENTS) : pick(rand, NOT_EVENTS);
        const shape = rand();
        const args = shape < 0.45 ? [mutate(rand, template(event))] : shape < 0.9 ? [junk(rand)] : [junk(rand), junk(rand)];
        let answer: unknown;
        try {
          answer = await socket.timeout(5_000).emitWithAck(event, ...args);
        } catch (err) {
          report.untyped.push(`${event}: no ack (${(err as Error).message})`);
          continue;
        }
        if (!isAck(answer)) {
          if (report.untyped.length < 50) report.untyped.push(`${event}: ${JSON.stringify(answer).slice(0, 200)}`);
          else report.untyped.push(event);
        } else if (answer.ok) {
          report.ok++;
        } else {
          report.byCode[answer.error.code] = (report.byCode[answer.error.code] ?? 0) + 1;
          if (answer.error.code === ErrorCode.Internal) report.internal++;
        }
      }
    }),
  );
  report.seconds = (performance.now() - t0) / 1000;
  report.dropped = connectedAtStart.filter((s) => !s.connected).length;
  return report;
}
