/**
 * The embedded default: `npm start` runs one SFU node as a child process of the web process, on
 * loopback, with a fresh shared secret. If the node dies it is started again and the web process
 * re-creates its rooms there (RoomMedia); the web process itself never goes down with it.
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

export async function spawnLocalSfuNode(log: Logger): Promise<LocalSfuNode> {
  const secret = crypto.randomBytes(24).toString('hex');
  const port = await freePort();
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;

  const start = () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'sfu', 'main.ts')], {
      cwd: repoRoot,
      env: { ...process.env, SFU_SECRET: secret, SFU_RPC_PORT: String(port), SFU_RPC_HOST: '127.0.0.1' },
      // The IPC channel is how the node notices that this process is gone (sfu/main.ts).
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const started = Date.now();
    child.once('exit', (code, signal) => {
      child = null;
      if (stopping) return;
      // The first crash in a while is restarted at once: rooms on it are waiting for their media.
      // A node that keeps crashing at start-up is restarted ever more slowly, never in a hot loop.
      restarts = Date.now() - started > 60_000 ? 0 : restarts + 1;
      const delay = restarts <= 1 ? 0 : Math.min(30_000, 500 * 2 ** Math.min(restarts, 6));
      log.error({ code, signal, delay }, 'SFU node exited; restarting');
      setTimeout(() => !stopping && start(), delay).unref();
    });
  };
  start();

  return {
    url: `http://127.0.0.1:${port}`,
    secret,
    async stop() {
      stopping = true;
      const c = child;
      if (!c) return;
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => c.kill('SIGKILL'), 5000);
        c.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        c.kill('SIGTERM');
      });
    },
  };
}
