/**
 * Which mediasoup-worker binary to run. mediasoup's npm package cannot fetch or build one on these
 * machines; scripts/mediasoup-worker/ builds it offline into a cache keyed by mediasoup version and
 * build recipe. This module does not import mediasoup, so it can run before mediasoup is loaded.
 */
import path from 'node:path';
import { workerBinPath, workerRuns } from '../scripts/mediasoup-worker/ensure.mjs';
import type { SfuConfig } from './config';

const repoRoot = path.resolve(import.meta.dirname, '..');

/**
 * MEDIASOUP_WORKER_BIN if set, else the cached build. Fails with what to do when the binary is
 * missing or does not run (a probe spawn: a removed shared library shows up here, not at the first
 * createWorker()).
 */
export function resolveWorkerBin(config: Pick<SfuConfig, 'MEDIASOUP_WORKER_BIN'>): string {
  const bin: string = config.MEDIASOUP_WORKER_BIN ?? workerBinPath(repoRoot);
  if (!workerRuns(bin)) {
    throw new Error(
      `mediasoup-worker binary missing or not runnable: ${bin}\n` +
        (config.MEDIASOUP_WORKER_BIN
          ? '  MEDIASOUP_WORKER_BIN points at it: fix the path, or unset it to use the cached build.'
          : '  Build it once per mediasoup version with: node scripts/mediasoup-worker/ensure.mjs'),
    );
  }
  return bin;
}
