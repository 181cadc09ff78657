/**
 * The embedded default: `npm start` runs one SFU node as a child process of the web process, on
 * loopback, with a fresh shared secret. If the node dies, a warm standby process (started ahead,
 * its modules loaded, waiting) takes over its port at once, and the web process re-creates its rooms
 * there (RoomMedia); the web process itself never goes down with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { repoRoot } from '../env';
import type { Logger } from '../logger';
import { freePort } from '../net/freePort';

export interface LocalSfuNode {
  url: string;
  secret: string;
  stop(): Promise<void>;
}

/** A node process, and whether it is still the warm standby (modules loaded, waiting for `start`). */
interface NodeProcess {
  child: ChildProcess;
  /** Its `start` listener is in place (it said `standby-ready`). */
  ready: boolean;
  /** Told to start before it was ready: it starts as soon as it is. */
  startWhenReady: boolean;
}

export async function spawnLocalSfuNode(log: Logger): Promise<LocalSfuNode> {
  const secret = crypto.randomBytes(24).toString('hex');
  const port = await freePort();
  let active: NodeProcess | null = null;
  let spare: NodeProcess | null = null;
  let stopping = false;
  let restarts = 0;

  const spawnNode = (standby: boolean): NodeProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'sfu', 'main.ts')], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SFU_SECRET: secret,
        SFU_RPC_PORT: String(port),
        SFU_RPC_HOST: '127.0.0.1',
        ...(standby ? { SFU_STANDBY: '1' } : {}),
      },
      // The IPC channel is how the node notices that this process is gone (sfu/main.ts), and how a
      // standby is told to start.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const proc: NodeProcess = { child, ready: !standby, startWhenReady: false };
    child.on('message', (msg: { type?: string } | null) => {
      if (msg?.type !== 'standby-ready') return;
      proc.ready = true;
      if (proc.startWhenReady) child.send({ type: 'start' });
    });
    child.once('exit', (code, signal) => {
      if (spare === proc) {
        spare = null; // a standby that died is simply replaced, later
        if (!stopping) setTimeout(() => !stopping && !spare && (spare = spawnNode(true)), 5_000).unref();
        return;
      }
      if (active === proc) activeExited(code, signal);
    });
    return proc;
  };

  const activate = (proc: NodeProcess) => {
    active = proc;
    activeSince = Date.now();
    if (proc.ready) proc.child.send({ type: 'start' });
    else proc.startWhenReady = true;
  };
  let activeSince = Date.now();

  const activeExited = (code: number | null, signal: NodeJS.Signals | null) => {
    active = null;
    if (stopping) return;
    // A node that keeps crashing soon after it started (within 10 s: a start-up failure, not a worker
    // or machine fault in a node that served) is restarted ever more slowly, never in a hot loop.
    restarts = Date.now() - activeSince > 10_000 ? 0 : restarts + 1;
    const delay = restarts <= 1 ? 0 : Math.min(30_000, 500 * 2 ** Math.min(restarts, 6));
    log.error({ code, signal, delay, standby: !!spare && delay === 0 }, 'SFU node exited; restarting');
    setTimeout(() => {
      if (stopping) return;
      // The standby has already loaded everything: it serves within a few hundred ms, where a cold
      // start takes seconds on a busy machine. A new standby is then prepared behind it.
      const next = spare ?? spawnNode(true);
      spare = null;
      activate(next);
      spare = spawnNode(true);
    }, delay).unref();
  };

  active = spawnNode(false);
  spare = spawnNode(true);

  return {
    url: `http://127.0.0.1:${port}`,
    secret,
    async stop() {
      stopping = true;
      await Promise.all([active, spare].map((p) => p && stopProcess(p.child)));
    },
  };
}

function stopProcess(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const kill = setTimeout(() => c.kill('SIGKILL'), 5000);
    c.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    c.kill('SIGTERM');
  });
}
