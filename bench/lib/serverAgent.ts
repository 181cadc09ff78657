/**
 * Loaded into the benchmarked web process with `node --import` (bench/lib/webServer.ts), never by
 * the app: it answers the benchmark over the IPC channel, so server.ts needs no benchmark hooks.
 *
 *   { op: 'memory' }                 → process.memoryUsage() after two full GCs (needs --expose-gc)
 *   { op: 'profile-start' }          → starts the V8 CPU profiler
 *   { op: 'profile-stop', file }     → stops it and writes a .cpuprofile (open in Chrome DevTools)
 *
 * When the benchmark process goes away, so does the server.
 *
 * Profiling on demand, around just the phase being studied, keeps start-up and ramp-up out of the
 * profile — which `--cpu-prof` (whole process lifetime) cannot do.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AgentReply, AgentRequest } from './agentProtocol';

let session: Session | null = null;

async function handle(req: AgentRequest): Promise<unknown> {
  switch (req.op) {
    case 'memory': {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      return process.memoryUsage();
    }
    case 'profile-start': {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      return null;
    }
    case 'profile-stop': {
      if (!session) throw new Error('no profile running');
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = null;
      fs.writeFileSync(req.file, JSON.stringify(profile));
      return null;
    }
  }
}

if (process.send) {
  process.on('message', (req: AgentRequest) => {
    handle(req).then(
      (result) => process.send?.({ id: req.id, ok: true, result } satisfies AgentReply),
      (err: unknown) => process.send?.({ id: req.id, ok: false, error: String(err) } satisfies AgentReply),
    );
  });
  // The channel must not keep the server alive on its own, e.g. after a failed start-up.
  process.channel?.unref();
  // The benchmark is gone (finished without stopping us, interrupted, crashed): shut down as on
  // Ctrl-C, which also stops the SFU node, rather than linger as an orphan.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
