#!/usr/bin/env node
/**
 * The test half of `npm test` (after scripts/setup.mjs): type-check, unit + integration tests
 * (vitest), end-to-end tests in Debian's Chromium (Playwright), then every benchmark at a smoke
 * size (bench/run.ts --smoke). Stops at the first failing layer.
 * Extra arguments go to Playwright, e.g. `npm test -- --grep decline`.
 */
import './require-pinned-node.mjs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const env = {
  ...process.env,
  PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
  NEXT_TELEMETRY_DISABLED: '1',
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  // Tests touch only loopback and namespaces they create: an SFU a test starts without saying
  // where binds loopback, never the machine's primary interface (the default of `npm start`).
  SFU_LISTEN_IP: process.env.SFU_LISTEN_IP ?? '127.0.0.1',
};

const layers = [
  ['types', bin('tsc'), ['--noEmit', '-p', '.']],
  ['unit + integration', bin('vitest'), ['run']],
  ['end-to-end', bin('playwright'), ['test', ...process.argv.slice(2)]],
  // Every benchmark at a tiny size, so none of them rots; results go to bench/out/, never docs/.
  ['bench smoke', bin('node'), ['--import', 'tsx', 'bench/run.ts', '--smoke']],
];

for (const [name, cmd, args] of layers) {
  const t0 = Date.now();
  console.log(`\n━━ ${name} ━━`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n✗ ${name} failed after ${secs} s`);
    process.exit(r.status ?? 1);
  }
  console.log(`✓ ${name} passed in ${secs} s`);
}
