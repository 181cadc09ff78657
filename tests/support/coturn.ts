/**
 * Debian's coturn for tests: `turnserver` on loopback, on a free port, with `use-auth-secret` (the
 * scheme Confab mints credentials for), relaying between loopback addresses only. Installed by
 * `npm test`'s set-up (scripts/setup.mjs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/server/net/freePort';

export interface TestTurnServer {
  port: number;
  secret: string;
  /** turn: URLs for Confab's TURN_URLS. */
  urls(transports: ('udp' | 'tcp')[]): string;
  /** What coturn logged (allocations, 401s), for assertions and failure messages. */
  output(): string;
  stop(): Promise<void>;
}

async function waitListening(port: number, child: ChildProcess, output: () => string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`turnserver exited ${child.exitCode}:\n${output()}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`turnserver did not listen on ${port} within ${timeoutMs} ms:\n${output()}`);
}

export async function startTurnServer(opts: { relayPorts: [number, number] }): Promise<TestTurnServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-turn-'));
  const port = await freePort();
  const secret = `turn-test-${crypto.randomUUID()}`;
  let log = '';
  const child = spawn(
    'turnserver',
    [
      '-n', // no configuration file: everything is below
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      `--min-port=${opts.relayPorts[0]}`,
      `--max-port=${opts.relayPorts[1]}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=confab.test',
      '--fingerprint',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      // The browsers and the SFU are all on loopback here; a real deployment keeps the default.
      '--allow-loopback-peers',
      '--no-multicast-peers',
      `--userdb=${path.join(dir, 'turndb')}`,
      `--pidfile=${path.join(dir, 'turnserver.pid')}`,
      '--log-file=stdout',
      '--simple-log',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (c) => (log += c));
  child.stderr!.on('data', (c) => (log += c));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitListening(port, child, () => log);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    secret,
    urls: (transports) => transports.map((t) => `turn:127.0.0.1:${port}?transport=${t}`).join(','),
    output: () => log,
    stop,
  };
}
