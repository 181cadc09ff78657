/**
 * The README's `npm start`, run the way a first start on a fresh machine runs it: from a checkout
 * whose node_modules/.bin/node does not exist yet, with the machine's own Node first on PATH. dash
 * looks `node` up once per script, so the old `setup && node server.ts` ran the server on the
 * machine's Node 20, which crashed loading addons built for the pinned Node 24.
 *
 * The copy shares the real checkout's installed packages (hard links) and production build (a real
 * copy: Next writes into .next), so only what a first start does in between runs: `npm install`
 * (which creates node_modules/.bin/node), Prisma generate, migrations, the admin seed, serving.
 *
 * Then the crash the issue saw: the web process is killed with SIGKILL, and its SFU node (and the
 * node's mediasoup workers) must not be left running.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedNodeVersion, repoRoot } from '../../scripts/runtime.mjs';
import { freePort } from '../../lib/server/net/freePort';

/** Processes whose command line mentions `needle`, as pid → command line. */
function processesMentioning(needle: string): Map<number, string> {
  const found = new Map<number, string>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(needle)) found.set(Number(entry), cmdline);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The environment of a login shell: no npm variables, and no node_modules/.bin on PATH. */
function machineEnv(): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_|^INIT_CWD$|^NODE_OPTIONS$|^VITEST|^TEST$|^NODE_ENV$/.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(path.delimiter);
  // (Next's types make NODE_ENV required; a login shell has none.)
  return env as NodeJS.ProcessEnv;
}

describe('first npm start on a fresh checkout', () => {
  let checkout: string;
  let port: number;
  let npmStart: ChildProcess;
  let output = '';

  beforeAll(() => {
    checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-first-start-'));
    const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).stdout.split('\0').filter((f) => f && fs.existsSync(path.join(repoRoot, f)));
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
      fs.copyFileSync(path.join(repoRoot, file), path.join(checkout, file));
    }
    const cp = (args: string[]) => expect(spawnSync('cp', args, { stdio: 'inherit' }).status).toBe(0);
    cp(['-al', path.join(repoRoot, 'node_modules'), checkout]);
    cp(['-a', path.join(repoRoot, '.next'), checkout]);
    // What a fresh machine lacks: the pinned Node's link, and the record that npm install ran.
    // (Unlinking only drops the copy's names; the real checkout keeps its files.)
    fs.rmSync(path.join(checkout, 'node_modules', '.bin', 'node'));
    fs.rmSync(path.join(checkout, 'node_modules', '.confab-install'));
    fs.rmSync(path.join(checkout, 'node_modules', '.package-lock.json'), { force: true });
  }, 120_000);

  afterAll(async () => {
    if (npmStart && npmStart.exitCode === null && npmStart.pid) {
      try {
        process.kill(-npmStart.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const pid of processesMentioning(checkout).keys()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(checkout, { recursive: true, force: true });
  });

  it('serves /login on the pinned Node, even though the shell found the machine\'s node first', async () => {
    const env = machineEnv();
    const shellNode = spawnSync('sh', ['-c', 'node -p process.versions.node'], { env, encoding: 'utf8' }).stdout.trim();
    // (On a machine whose own Node is the pinned major, this checks the launcher path all the same.)
    expect(shellNode).toMatch(/^\d+\./);

    port = await freePort();
    npmStart = spawn('npm', ['start'], {
      cwd: checkout,
      detached: true, // its own process group, so afterAll can stop npm, the shell and everything below
      env: {
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        SFU_LISTEN_IP: '127.0.0.1',
        DATABASE_URL: `file:${path.join(checkout, 'data', 'first.db')}`,
        ADMIN_PASSWORD: 'first-start-password',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npmStart.stdout!.on('data', (chunk) => (output += chunk));
    npmStart.stderr!.on('data', (chunk) => (output += chunk));

    const status = await waitFor(
      'GET /login',
      async () => {
        if (npmStart.exitCode !== null) throw new Error(`npm start exited ${npmStart.exitCode}:\n${output.slice(-4000)}`);
        const res = await fetch(`http://127.0.0.1:${port}/login`).catch(() => null);
        return res?.status;
      },
      240_000,
    );
    expect(status, output.slice(-4000)).toBe(200);
    expect(output).toContain('installing npm dependencies');
    expect(fs.existsSync(path.join(checkout, 'node_modules', '.bin', 'node'))).toBe(true);
    const pinnedMajor = pinnedNodeVersion().split('.')[0];
    expect(output).toMatch(new RegExp(`"node":"v${pinnedMajor}\\.`));
    expect(output).not.toMatch(/Segmentation fault|SIGSEGV/);
  }, 300_000);

  it.each(['server.ts', 'sfu/main.ts', 'bench/run.ts', 'scripts/run-tests.mjs'])(
    'the entry point %s refuses to run on another Node major, and says why',
    (entry) => {
      const env = machineEnv();
      const machineNode = spawnSync('sh', ['-c', 'command -v node'], { env, encoding: 'utf8' }).stdout.trim();
      const major = spawnSync(machineNode, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout.trim();
      if (!machineNode || major === pinnedNodeVersion().split('.')[0]) return; // nothing to refuse here
      const run = spawnSync(machineNode, ['--import', 'tsx', entry], { cwd: repoRoot, env, encoding: 'utf8', timeout: 60_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`${entry} must run on Node ${pinnedNodeVersion()}`);
    },
    60_000,
  );

  it('leaves no SFU node or mediasoup worker behind when the web process is killed', async () => {
    expect(npmStart?.exitCode).toBe(null);
    const server = [...processesMentioning(checkout)].find(([, cmd]) => cmd.includes('server.ts'));
    const sfu = await waitFor('the local SFU node', () => [...processesMentioning(checkout)].find(([, cmd]) => cmd.includes('sfu/main.ts')), 30_000);
    expect(server).toBeDefined();
    const workers = spawnSync('pgrep', ['-P', String(sfu[0])], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
    expect(workers.length).toBeGreaterThan(0);

    process.kill(server![0], 'SIGKILL');
    const alive = (pid: number) => fs.existsSync(`/proc/${pid}`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
    await waitFor('the SFU node and its workers to exit', () => ([sfu[0], ...workers].some(alive) ? undefined : true), 15_000);
    // …and the launcher reports the crash instead of hanging.
    const code = await waitFor('npm start to exit', () => npmStart.exitCode ?? undefined, 15_000);
    expect(code).not.toBe(0);
  }, 60_000);
});
