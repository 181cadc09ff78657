/**
 * Confab web process — the composition root: env → logger → Next.js → http + socket.io (lib/server/app).
 * `npm start` runs it in production mode; `npm run dev` passes --dev for hot reload.
 */
import './scripts/require-pinned-node.mjs';
import next from 'next';
import { startConfab } from './lib/server/app';
import { parseEnv, repoRoot } from './lib/server/env';
import { createLogger } from './lib/server/logger';
import { exitWithParent } from './lib/server/runtime/exitWithParent';
import { spawnLocalSfuNode } from './lib/server/sfu/localNode';

const dev = process.argv.includes('--dev');
// Next reads NODE_ENV before anything else; set it to match the mode unless the user did.
(process.env as Record<string, string | undefined>).NODE_ENV ??= dev ? 'development' : 'production';
process.env.NEXT_TELEMETRY_DISABLED = '1';

async function main() {
  const env = parseEnv();
  const log = createLogger(env);
  // A rejection nobody handled is a bug to log, never a reason to drop every call and meeting.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  const app = next({ dev, dir: repoRoot, quiet: !dev });
  // Rooms need an SFU node: configured remote ones, or (the embedded default) one child process.
  const localSfu = env.SFU_URLS.length ? null : await spawnLocalSfuNode(log);
  const sfu = localSfu ? [localSfu] : env.SFU_URLS.map((url) => ({ url, secret: env.SFU_SECRET! }));
  await app.prepare();
  const confab = await startConfab({
    env,
    log,
    nextHandler: app.getRequestHandler(),
    nextUpgrade: dev ? app.getUpgradeHandler() : undefined,
    sfu,
  });
  log.info({ url: confab.url, dev, node: process.version }, 'Confab is listening');
  console.log(`\n  Confab is running: http://localhost:${confab.port}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 5000).unref();
    await confab.close().catch((err: unknown) => log.error({ err }, 'shutdown failed'));
    await localSfu?.stop();
    await app.close?.();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  exitWithParent(() => void stop('launcher gone'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
