/**
 * Socket fuzz: signed-in socket.io clients send 100,000 (full) pseudo-random events to the
 * production server — real event names with junk or mutated payloads, wrong arity, names that are
 * no event — and every answer is classified (bench/lib/socketFuzz.ts). Goal: every event gets a
 * typed ack, none is INTERNAL, no connection is dropped, and the web process's memory comes back.
 * Reported: events/s, the web process's RSS before, right after and after a GC, and errors by code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { benchCommand } from './lib/command';
import { summarizeProfile, type CpuProfile } from './lib/cpuProfile';
import { fuzzSockets, type FuzzSocket } from './lib/socketFuzz';
import type { BenchMode, Benchmark, BenchResult } from './lib/types';
import { startWebServer, type WebServer } from './lib/webServer';

/** Each socket sends 90 events/s (under the flood guard): sockets × 90 is the offered load. */
const plan: Record<BenchMode, { events: number; sockets: number }> = {
  smoke: { events: 500, sockets: 4 },
  quick: { events: 20_000, sockets: 16 },
  full: { events: 100_000, sockets: 32 },
};

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

async function signedInSocket(server: WebServer, n: number): Promise<FuzzSocket & { close(): void }> {
  const res = await fetch(`${server.url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: `fuzz${n}.${Date.now()}@bench.local`, password: 'fuzz-password-1', name: `Fuzzer ${n}` }),
  });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const socket = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return Object.assign(socket as unknown as FuzzSocket, { close: () => void socket.disconnect() });
}

export const benchmark: Benchmark = {
  id: 'socket-fuzz',
  title: 'Socket fuzz',
  async run(ctx): Promise<BenchResult> {
    const { events, sockets: count } = plan[ctx.mode];
    const server = await startWebServer({ log: ctx.log, env: { LOG_LEVEL: 'error' } });
    try {
      const sockets = await Promise.all(Array.from({ length: count }, (_, i) => signedInSocket(server, i)));
      const memBefore = await server.agent<NodeJS.MemoryUsage>({ op: 'memory' }); // after two GCs
      const heapBefore = memBefore.heapUsed;
      const rssBefore = server.rssBytes();
      ctx.log(`fuzzing with ${events} events over ${count} sockets`);
      const report = await fuzzSockets(sockets, events);
      const rssAfter = server.rssBytes();
      // Where the web process's time goes, from a profile of a further, smaller run (the sampling
      // profiler slows down what it watches, so it is kept out of the measured one).
      const profileFile = path.join(ctx.outDir, 'socket-fuzz.cpuprofile');
      await server.agent({ op: 'profile-start' });
      await fuzzSockets(sockets, Math.min(events, 10_000), 7);
      await server.agent({ op: 'profile-stop', file: profileFile });
      const profile = summarizeProfile(JSON.parse(fs.readFileSync(profileFile, 'utf8')) as CpuProfile);
      for (const s of sockets) s.close();
      await new Promise((r) => setTimeout(r, 1000));
      const memSettled = await server.agent<NodeJS.MemoryUsage>({ op: 'memory' });
      const heapSettled = memSettled.heapUsed;
      const rssSettled = server.rssBytes();
      const rate = report.events / report.seconds;
      const goalMet = report.untyped.length === 0 && report.internal === 0 && report.dropped === 0;
      const codes = Object.entries(report.byCode).sort((a, b) => b[1] - a[1]);
      return {
        id: 'socket-fuzz',
        title: 'Socket fuzz',
        command: benchCommand('socket-fuzz', ctx.mode),
        summary:
          `${report.events.toLocaleString('en')} fuzzed events over ${count} signed-in sockets in ${report.seconds.toFixed(1)} s ` +
          `(${rate.toFixed(0)} events/s, each socket paced at 90/s, under the flood guard): ${report.untyped.length} untyped or missing acks, ` +
          `${report.internal} INTERNAL, ${report.dropped} connections dropped (goal: 0, 0, 0 — ${goalMet ? 'met' : 'missed'}). ` +
          `Web process RSS ${mb(rssBefore)} MB before, ${mb(rssAfter)} MB right after, ${mb(rssSettled)} MB after a GC; ` +
          `JS heap in use ${mb(heapBefore)} MB before and ${mb(heapSettled)} MB after, external buffers ${mb(memBefore.external)} → ${mb(memSettled.external)} MB (each after two GCs): ` +
          `what RSS keeps is memory the allocator holds for reuse after the large frames, not live objects.`,
        goalMet,
        tables: [
          {
            columns: ['answer', 'events', 'share'],
            rows: [['ok', report.ok], ...codes].map(([code, n]) => [String(code), n as number, `${((100 * (n as number)) / report.events).toFixed(1)} %`]),
          },
          {
            columns: ['events', 'seconds', 'events/s', 'RSS before (MB)', 'RSS after (MB)', 'RSS after GC (MB)', 'heap before (MB)', 'heap after GC (MB)'],
            rows: [[report.events, report.seconds.toFixed(1), rate.toFixed(0), mb(rssBefore), mb(rssAfter), mb(rssSettled), mb(heapBefore), mb(heapSettled)]],
          },
        ],
        charts: [],
        notes: [
          `Where the web process's time goes: a CPU profile of a further ${Math.min(events, 10_000).toLocaleString('en')}-event run ` +
            `(\`bench/out/${path.basename(profileFile)}\`), ${profile.busyMs} ms busy in ${profile.wallMs} ms. ` +
            `By package: ${profile.byPackage.map((x) => `${x.name} ${x.pct}%`).join(', ')}. ` +
            `Top functions by self time: ${profile.byFunction.slice(0, 5).map((x) => `${x.name} ${x.pct}%`).join('; ')}.`,
          ...(report.untyped.length ? [`First untyped answers: ${report.untyped.slice(0, 5).join('; ')}`] : []),
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
