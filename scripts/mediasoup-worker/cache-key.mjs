// Cache key of the mediasoup worker binary: sha256 over the mediasoup version, the build recipe's
// files (build.sh, deps.sh, libsrtp.sh, shims/, patches/: sorted relative path + contents) and the machine
// architecture (`uname -m`). Any change to what goes into the binary gives a new key, hence a
// rebuild; editing these helper scripts or a README does not.
// Plain JS, no deps, Node 20 and 24.  CLI: node scripts/mediasoup-worker/cache-key.mjs [mediasoupDir]
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCRIPT_DIR = path.dirname(fileURLToPath(import.meta.url));

/** Directory of the installed mediasoup package (default: <repoRoot>/node_modules/mediasoup). */
export function mediasoupDirOf(repoRoot, mediasoupDir) {
	return path.resolve(mediasoupDir ?? path.join(repoRoot, 'node_modules', 'mediasoup'));
}

export function mediasoupVersion(mediasoupDir) {
	const pkg = path.join(mediasoupDir, 'package.json');
	if (!fs.existsSync(pkg)) throw new Error(`mediasoup is not installed (${pkg} missing): run npm install first`);
	return JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
}

function listFiles(dir, rel = '') {
	const out = [];
	for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
		const r = rel ? `${rel}/${e.name}` : e.name;
		if (e.isDirectory()) out.push(...listFiles(dir, r));
		else if (e.isFile()) out.push(r);
	}
	return out;
}

/** What the binary is built from; everything else in this directory is tooling around it. */
const BUILD_INPUTS = /^(build\.sh|deps\.sh|libsrtp\.sh|shims\/.*|patches\/.*)$/;

export function cacheKey(version) {
	const h = crypto.createHash('sha256');
	h.update(`mediasoup ${version}\0`);
	for (const rel of listFiles(SCRIPT_DIR).filter((f) => BUILD_INPUTS.test(f) && !f.endsWith('README.md')).sort()) {
		const data = fs.readFileSync(path.join(SCRIPT_DIR, rel));
		h.update(`${rel}\0${data.length}\0`); // path + length prefix: fields can't run into each other
		h.update(data);
	}
	h.update(`arch ${os.machine()}\0`); // os.machine() is `uname -m`
	return h.digest('hex');
}

const isMain = process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
	const repoRoot = path.resolve(SCRIPT_DIR, '../..');
	console.log(cacheKey(mediasoupVersion(mediasoupDirOf(repoRoot, process.argv[2]))));
}
