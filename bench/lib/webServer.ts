/**
 * The web process under test: the real production server.ts (Next.js build, socket.io, better-auth,
 * and the SFU node it spawns) on a fresh, migrated SQLite database in a temp dir, on a free port —
 * the same set-up as the end-to-end tests (tests/support/e2eServer.ts), but in its own child
 * process, so a benchmark can read its memory (/proc/<pid>/status) and profile it without
 * measuring itself. bench/lib/serverAgent.ts rides along (via --import) to answer over IPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/server/net/freePort';
import { migrateDeploy } from '../../scripts/prisma.mjs';
import type { AgentCommand, AgentReply } from './agentProtocol';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** Signs the session cookies; benchmarks that mint sessions themselves need to know it. */
export const AUTH_SECRET = 'bench-secret-bench-secret-bench-secret-0';

export interface WebServerOptions {
  /** Extra environment for server.ts, over the defaults below. */
  env?: Record<string, string>;
  /** Runs against the migrated database before the server starts (e.g. bulk-created users). */
  seed?: (databaseUrl: string) => Promise<void>;
  /** Start on an existing database and port (a restart after crash()), instead of fresh ones. */
  restartOf?: Pick<WebServer, 'databaseUrl' | 'port'>;
  /** Listen on this port (e.g. one already named in PUBLIC_URL) instead of a free one. */
  port?: number;
  /**
   * Run it inside this network namespace (`ip netns exec`, which keeps the pid), reached at this
   * address of it: the server is then "another machine" to browsers outside the namespace.
   */
  netns?: { name: string; address: string };
  log: (msg: string) => void;
}

export interface WebServer {
  /** For browsers: http://localhost:<port>, like the e2e tests (http://<address>:<port> in a namespace). */
  url: string;
  port: number;
  pid: number;
  databaseUrl: string;
  /** Resident set size of the web process now (VmRSS), in bytes. */
  rssBytes(): number;
  /** CPU time (user + system) the web process has used so far, in seconds. */
  cpuSeconds(): number;
  /** The web process's soft limit on open files (each socket is one). */
  fdLimit(): number;
  agent<T = unknown>(command: AgentCommand): Promise<T>;
  /** kill -9: no shutdown runs, the database and port are left for a restart (restartOf). */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const dir = opts.restartOf ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'confab-bench-'));
  const databaseUrl = opts.restartOf?.databaseUrl ?? `file:${path.join(dir!, 'bench.db')}`;
  // A restarted server's database belongs to the first one, which removes it.
  const cleanup = () => dir && fs.rmSync(dir, { recursive: true, force: true });
  try {
    await migrateDeploy(databaseUrl);
    await opts.seed?.(databaseUrl);
  } catch (err) {
    cleanup();
    throw err;
  }

  const port = opts.restartOf?.port ?? opts.port ?? (await freePort());
  const nodeArgs = ['--expose-gc', '--import', 'tsx', '--import', path.join(import.meta.dirname, 'serverAgent.ts'), 'server.ts'];
  const child = spawn(
    opts.netns ? 'ip' : process.execPath,
    opts.netns ? ['netns', 'exec', opts.netns.name, process.execPath, ...nodeArgs] : nodeArgs,
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        AUTH_SECRET,
        ADMIN_EMAIL: 'admin@bench.local',
        ADMIN_PASSWORD: 'admin-password-bench',
        // Benchmarks sign up many users from one address.
        SIGNUP_RATE_LIMIT: '100000',
        LOG_LEVEL: 'warn',
        // Benchmarks touch only loopback or their own namespaces (the default would be the
        // machine's primary interface).
        SFU_LISTEN_IP: '127.0.0.1',
        ...opts.env,
      },
    },
  );
  const tail = captureOutput(child, opts.log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  try {
    await waitHealthy(opts.netns?.address ?? '127.0.0.1', port, exited);
  } catch (err) {
    child.kill('SIGKILL');
    cleanup();
    throw new Error(`${(err as Error).message}\n--- server output ---\n${tail.join('\n')}`);
  }
  opts.log(`web process ${child.pid} listening on :${port}`);

  let nextId = 0;
  const pending = new Map<number, (reply: AgentReply) => void>();
  child.on('message', (reply: AgentReply) => pending.get(reply.id)?.(reply));

  return {
    url: opts.netns ? `http://${opts.netns.address}:${port}` : `http://localhost:${port}`,
    port,
    pid: child.pid!,
    databaseUrl,
    rssBytes: () => readRss(child.pid!),
    cpuSeconds: () => readCpuSeconds(child.pid!),
    fdLimit: () => readFdLimit(child.pid!),
    agent<T>(command: AgentCommand): Promise<T> {
      const id = ++nextId;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, (reply) => {
          pending.delete(id);
          if (reply.ok) resolve(reply.result as T);
          else reject(new Error(`server agent: ${reply.error}`));
        });
        child.send({ id, ...command });
      });
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // server.ts stops its SFU node on SIGTERM, unless its own shutdown deadline cuts that short:
        // note the node's pid first, to make sure it does not outlive the benchmark.
        const descendants = descendantsOf(child.pid!);
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(kill);
        // Only a process that is still the one we noted (same start time): pids get reused.
        for (const p of descendants) {
          if (startTime(p.pid) !== p.started) continue;
          try {
            process.kill(p.pid, 'SIGKILL');
          } catch {
            // it exited in the meantime
          }
        }
      }
      cleanup();
    },
  };
}

/** Every process below `pid` (Linux /proc), with its start time. */
function descendantsOf(pid: number): { pid: number; started: string }[] {
  let children: number[] = [];
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((c) => [{ pid: c, started: startTime(c) ?? '' }, ...descendantsOf(c)]);
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); null once the process is gone. */
function startTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** VmRSS of a process, from /proc (Linux). */
export function readRss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** utime + stime from /proc/<pid>/stat, in seconds (Linux's USER_HZ is 100). */
export function readCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function readFdLimit(pid: number): number {
  const limits = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
  return soft === undefined || soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}

export { freePort };

async function waitHealthy(host: string, port: number, exited: Promise<number | null>, timeoutMs = 90_000) {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`the web process exited during start-up (code ${gone})`);
    const ok = await fetch(`http://${host}:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the web process was not healthy within ${timeoutMs / 1000} s`);
}

/** Keeps the last lines of the server's output for error messages, and passes errors on. */
function captureOutput(child: ChildProcess, log: (msg: string) => void): string[] {
  const tail: string[] = [];
  const onLine = (line: string) => {
    if (!line.trim()) return;
    tail.push(line);
    if (tail.length > 40) tail.shift();
    // Errors only: the SFU's warnings (e.g. RTP for a producer not yet created) are routine.
    if (/"level":(50|60)/.test(line) || (!line.startsWith('{') && /error/i.test(line))) log(`server: ${line.slice(0, 300)}`);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      lines.forEach(onLine);
    });
  }
  return tail;
}
