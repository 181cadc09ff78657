// Returns the path of a working mediasoup-worker binary, building it first if the cache has none.
// Cache: ${XDG_CACHE_HOME:-$HOME/.cache}/confab/mediasoup-worker/<key>/mediasoup-worker (key: cache-key.mjs).
// Set MEDIASOUP_WORKER_BIN to that path before mediasoup is imported.
// Plain JS ESM, no deps, Node 20+.  CLI: node scripts/mediasoup-worker/ensure.mjs [mediasoupDir]
//   prints the path on stdout; all progress and build output go to stderr.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCRIPT_DIR, cacheKey, mediasoupDirOf, mediasoupVersion } from './cache-key.mjs';

function cacheRoot() {
	return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'confab', 'mediasoup-worker');
}

/** Path of the binary for the current cache key (does not build). */
export function workerBinPath(repoRoot, mediasoupDir) {
	const key = cacheKey(mediasoupVersion(mediasoupDirOf(repoRoot, mediasoupDir)));
	return path.join(cacheRoot(), key, 'mediasoup-worker');
}

// Liveness probe: run the binary without MEDIASOUP_VERSION. A real worker refuses to start and exits
// with mediasoup's dedicated code 41 ("you don't seem to be my real father!") in a few ms. That proves
// more than existence + exec bit: the file is a loadable ELF and every shared library it links
// (Debian's libuv, libssl, libabsl, ...) still resolves; a missing one gives 127 from the loader.
export function workerRuns(bin) {
	if (!fs.existsSync(bin)) return false;
	const r = spawnSync(bin, [], { env: {}, stdio: 'ignore', timeout: 10_000 });
	return r.status === 41;
}

function run(cmd, args, env) {
	return new Promise((resolve, reject) => {
		// stdout -> our stderr (fd 2) too, so the CLI's stdout carries only the path.
		const child = spawn(cmd, args, { stdio: ['ignore', 2, 2], env: { ...process.env, ...env } });
		child.on('error', reject);
		child.on('exit', (code, signal) =>
			code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? cmd)} failed (${signal ?? `exit ${code}`})`)),
		);
	});
}

export async function ensureMediasoupWorker({ repoRoot, log = (m) => console.error(`[mediasoup-worker] ${m}`), mediasoupDir } = {}) {
	if (!repoRoot) throw new Error('ensureMediasoupWorker: repoRoot is required');
	const msDir = mediasoupDirOf(repoRoot, mediasoupDir);
	const bin = workerBinPath(repoRoot, msDir);
	if (workerRuns(bin)) return bin;

	// deps.sh is a no-op when the packages are installed; it also fixes a cached binary whose
	// shared libraries were removed (apt autoremove), which then needs no rebuild.
	log(fs.existsSync(bin)
		? `cached binary does not run, checking Debian packages: ${bin}`
		: `no cached worker for mediasoup ${mediasoupVersion(msDir)} and this recipe: building ${bin} (~7 min on 2 cores)`);
	await run('bash', [path.join(SCRIPT_DIR, 'deps.sh')]);
	if (workerRuns(bin)) return bin;

	const t0 = Date.now();
	// SKIP_IF_OK: if another process is building this key, build.sh waits for its lock and reuses the
	// result. A broken binary is not deleted here (racy): build.sh replaces it atomically under the lock.
	await run('bash', [path.join(SCRIPT_DIR, 'build.sh'), msDir, bin], { MS_WORKER_SKIP_IF_OK: '1' });
	if (!workerRuns(bin)) throw new Error(`built ${bin} but it does not run`);
	log(`ready in ${Math.round((Date.now() - t0) / 1000)} s: ${bin}`);
	return bin;
}

const isMain = process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
	try {
		console.log(await ensureMediasoupWorker({ repoRoot: path.resolve(SCRIPT_DIR, '../..'), mediasoupDir: process.argv[2] }));
	} catch (err) {
		console.error(`[mediasoup-worker] ${err.message}`);
		process.exit(1);
	}
}
