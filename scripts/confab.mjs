#!/usr/bin/env node
/**
 * The launcher behind every npm script: set-up on whatever Node the machine has, then the command
 * itself on the project's pinned Node, started by absolute path.
 *
 *   node scripts/confab.mjs start|dev|test|sfu|bench [args…]
 *
 * Why not `node scripts/setup.mjs start && node server.ts` in package.json: npm runs that line in
 * dash, which looks `node` up once and caches it. On a first run node_modules/.bin/node does not
 * exist yet, so the second `node` was the machine's Node 20, which crashed (SIGSEGV) loading addons
 * built for Node 24.
 *
 * The launcher stays in front of its child: it forwards SIGINT/SIGTERM/SIGHUP, exits with the
 * child's status, and holds an IPC channel open so the child can tell when the launcher is gone
 * (lib/server/runtime/exitWithParent.ts) instead of running on as an orphan.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pinnedNodeBin, repoRoot } from './runtime.mjs';

/** `watchParent`: a long-running server, given the IPC channel it watches to exit with the launcher. */
const commands = {
  start: { setup: 'start', args: ['--import', 'tsx', 'server.ts'], watchParent: true },
  dev: {
    setup: 'dev',
    args: ['--import', 'tsx', '--watch-path=server.ts', '--watch-path=lib/server', 'server.ts', '--dev'],
    watchParent: true,
  },
  test: { setup: 'test', args: ['scripts/run-tests.mjs'], watchParent: false },
  sfu: { setup: 'sfu', args: ['--import', 'tsx', 'sfu/main.ts'], watchParent: true },
  bench: { setup: 'start', args: ['--import', 'tsx', 'bench/run.ts'], watchParent: false },
};

const [name, ...extra] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  console.error(`usage: node scripts/confab.mjs ${Object.keys(commands).join('|')} [args…]`);
  process.exit(2);
}

const setup = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'setup.mjs'), command.setup], {
  cwd: repoRoot,
  stdio: 'inherit',
});
if (setup.status !== 0) process.exit(setup.status ?? 1);

const node = pinnedNodeBin();
if (!fs.existsSync(node)) {
  console.error(`[confab] set-up finished but the pinned Node is missing at ${node}; run npm install and retry.`);
  process.exit(1);
}

const bin = path.join(repoRoot, 'node_modules', '.bin');
const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const child = spawn(node, [...command.args, ...extra], {
  cwd: repoRoot,
  stdio: command.watchParent ? ['inherit', 'inherit', 'inherit', 'ipc'] : 'inherit',
  env: {
    ...process.env,
    // Tools the child starts by name (next, playwright, prisma) resolve to the project's copies and
    // their `#!/usr/bin/env node` to the pinned Node.
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    NEXT_TELEMETRY_DISABLED: '1',
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  },
});

for (const signal of forwarded) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on('error', (err) => {
  console.error(`[confab] could not start ${node}: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal && forwarded.includes(signal)) {
    // Die the same way, so a shell or supervisor sees what happened to the command.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else if (signal) {
    console.error(`[confab] ${command.args.at(-1)} was killed by ${signal}`);
    process.exit(128 + (os.constants.signals[signal] ?? 0));
  } else {
    process.exit(code ?? 1);
  }
});
