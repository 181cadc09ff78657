/**
 * One size of the presence benchmark: a fresh web process, N signed-in lobby sockets held by
 * client processes, then:
 *   - ramp-up: all N connect at once, as after a restart (16 handshakes in flight per client
 *     process; two bursts of N/2); each burst is done when a sentinel user's `joined` has reached
 *     every socket — diffs arrive in order, so every earlier one has arrived too;
 *   - memory per socket: (RSS after − RSS before) / N, both read after two full GCs; and the
 *     marginal cost, from the second half of the sockets alone: the first half pays one-time costs
 *     (V8's young generation becoming resident under the ramp's churn, JIT code, caches) that
 *     would otherwise be spread over N;
 *   - fan-out latency: a probe user connects; for every other socket, the time from the probe
 *     starting to connect until that socket has the probe's `joined` diff.
 */
import fs from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from '../lib/cpuProfile';
import { AUTH_SECRET, startWebServer, type WebServer } from '../lib/webServer';
import { ClientFleet } from './fleet';
import { seedUsers, sessionCookieName, type SeededUser } from './seed';

export interface SizeOptions {
  n: number;
  probes: number;
  /** Extra probes run under the CPU profiler (0: no profile). */
  profileProbes: number;
  clientProcesses: number;
  /** The server's PRESENCE_BATCH_MS; unset: its default. */
  batchMs?: number;
  outDir: string;
  log: (msg: string) => void;
}

export interface SizeResult {
  n: number;
  batchMs?: number;
  rampSeconds: number;
  /** Web-process CPU time spent while the N sockets connected. */
  rampCpuSeconds: number;
  /** Presence messages each socket received during the ramp-up, on average. */
  rampMessagesPerSocket: number;
  /** (RSS after − RSS before) / N. */
  rssPerSocketKiB: number;
  /** RSS growth per socket while the second half of the sockets connected. */
  marginalRssPerSocketKiB: number;
  heapPerSocketKiB: number;
  /** Every socket's fan-out latency, pooled over the probes (ms). */
  latencies: number[];
  /** Per probe: until the last socket had the diff (ms). */
  allReceived: number[];
  /** Per probe: the probe's own handshake, connect to `connect` (ms). */
  handshakes: number[];
  profile?: { file: string; summary: ProfileSummary };
}

const WARMUP_SOCKETS = 10;
const HANDSHAKES_IN_FLIGHT = 16;
const PROBE_TIMEOUT_MS = 120_000;
/**
 * Probes are lone changes in a quiet lobby: a second apart, beyond the presence batch window that
 * follows a send (lib/server/realtime/presenceBatcher.ts), which would otherwise hold them back.
 */
const PROBE_SPACING_MS = 1000;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureSize(opts: SizeOptions): Promise<SizeResult> {
  const { n, log } = opts;
  let users: SeededUser[] = [];
  const server = await startWebServer({
    env: {
      // No linger: the warm-up users must be gone before the baseline is read.
      PRESENCE_LINGER_MS: '0',
      ...(opts.batchMs === undefined ? {} : { PRESENCE_BATCH_MS: String(opts.batchMs) }),
    },
    seed: async (url) => {
      users = await seedUsers(url, n + WARMUP_SOCKETS + 2 + opts.probes + opts.profileProbes, AUTH_SECRET);
    },
    log,
  });
  const extra: Socket[] = [];
  let fleet: ClientFleet | null = null;
  try {
    const need = users.length + 256;
    if (server.fdLimit() < need) {
      throw new Error(`the web process may open ${server.fdLimit()} files but needs ~${need}: raise \`ulimit -n\` (the hard limit) and retry`);
    }
    fleet = await ClientFleet.start(opts.clientProcesses);
    const clients = fleet;
    const url = `http://127.0.0.1:${server.port}`;
    const cookieName = await sessionCookieName(server.url);
    const halves = [users.slice(0, Math.floor(n / 2)), users.slice(Math.floor(n / 2), n)] as const;
    const warmup = users.slice(n, n + WARMUP_SOCKETS);
    const sentinels = users.slice(n + WARMUP_SOCKETS, n + WARMUP_SOCKETS + 2);
    const probes = users.slice(n + WARMUP_SOCKETS + 2);
    const probe = async (user: SeededUser) => {
      const r = await probeOnce(clients, url, cookieName, user);
      extra.push(r.socket);
      return r;
    };

    // Warm up the connection path (JIT, lazily loaded modules), so the baseline is not flattered.
    const warm = await Promise.all(warmup.map((u) => openSocket(url, cookieName, u)));
    warm.forEach((s) => s.disconnect());
    await sleep(500);
    const before = await memory(server);

    // All at once, in two bursts: the second one's growth is the marginal cost per socket.
    let rampSeconds = 0;
    let rampCpuSeconds = 0;
    const mid: { rss: number; heapUsed: number }[] = [];
    for (const [i, half] of halves.entries()) {
      const cpu0 = server.cpuSeconds();
      const t0 = now();
      await clients.connect(url, cookieName, half, HANDSHAKES_IN_FLIGHT);
      await probe(sentinels[i]!);
      rampSeconds += (now() - t0) / 1000;
      rampCpuSeconds += server.cpuSeconds() - cpu0;
      await sleep(500);
      mid.push(await memory(server));
    }
    const after = mid[1]!;
    const { messages } = await clients.counts();
    log(`${n} sockets connected, every diff delivered: ${rampSeconds.toFixed(1)} s, ${rampCpuSeconds.toFixed(1)} s server CPU, ${(messages / n).toFixed(1)} messages per socket`);

    const latencies: number[] = [];
    const allReceived: number[] = [];
    const handshakes: number[] = [];
    for (const user of probes.slice(0, opts.probes)) {
      const r = await probe(user);
      latencies.push(...r.latencies);
      allReceived.push(r.latencies.reduce((a, b) => Math.max(a, b), -Infinity));
      handshakes.push(r.handshake);
      await sleep(PROBE_SPACING_MS);
    }

    let profile: SizeResult['profile'];
    if (opts.profileProbes > 0) {
      // Apart from the measured probes: the sampling profiler slows down what it watches.
      const file = path.join(opts.outDir, `presence-${n}.cpuprofile`);
      await server.agent({ op: 'profile-start' });
      for (const user of probes.slice(opts.probes)) {
        await probe(user);
        await sleep(PROBE_SPACING_MS);
      }
      await server.agent({ op: 'profile-stop', file });
      profile = { file, summary: summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile) };
    }

    const { dropped } = await clients.counts();
    if (dropped) throw new Error(`the server dropped ${dropped} sockets during the run`);
    return {
      n,
      batchMs: opts.batchMs,
      rampSeconds,
      rampCpuSeconds,
      rampMessagesPerSocket: messages / n,
      rssPerSocketKiB: (after.rss - before.rss) / n / 1024,
      marginalRssPerSocketKiB: (after.rss - mid[0]!.rss) / halves[1].length / 1024,
      heapPerSocketKiB: (after.heapUsed - before.heapUsed) / n / 1024,
      latencies,
      allReceived,
      handshakes,
      profile,
    };
  } finally {
    extra.forEach((s) => s.disconnect());
    fleet?.close();
    await server.stop();
  }
}

async function probeOnce(fleet: ClientFleet, url: string, cookieName: string, user: SeededUser) {
  const { arrivals } = await fleet.watch(user.id, PROBE_TIMEOUT_MS);
  const t0 = now();
  const socket = await openSocket(url, cookieName, user);
  const handshake = now() - t0;
  const latencies = (await arrivals).map((t) => t - t0);
  return { socket, handshake, latencies };
}

/** Memory of the web process after two full GCs: RSS from /proc, heap from V8. */
async function memory(server: WebServer) {
  const usage = await server.agent<NodeJS.MemoryUsage>({ op: 'memory' });
  return { rss: server.rssBytes(), heapUsed: usage.heapUsed };
}

function openSocket(url: string, cookieName: string, user: SeededUser): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie: `${cookieName}=${user.cookieValue}` },
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(new Error(`socket for ${user.id} refused: ${err.message}`)));
  });
}
