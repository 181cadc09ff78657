/**
 * The SFU node as its own process: config → logger → worker binary → node (workers, rooms, RPC).
 *   node --import tsx sfu/main.ts        (env: see sfu/config.ts; SFU_SECRET is required)
 *
 * Exit codes: 0 after a graceful stop (SIGINT/SIGTERM), 1 for bad configuration, a missing worker
 * binary, a failed start or an uncaught exception.
 */
import '../scripts/require-pinned-node.mjs';
import { createLogger } from '../lib/server/logger';
import { exitWithParent } from '../lib/server/runtime/exitWithParent';
import { parseSfuConfig, type SfuConfig } from './config';
import { resolveWorkerBin } from './workerBin';

/** A second signal, or a stop that hangs this long, exits at once. */
const STOP_TIMEOUT_MS = 10_000;

let config: SfuConfig;
try {
  config = parseSfuConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

const log = createLogger({
  LOG_LEVEL: config.LOG_LEVEL,
  NODE_ENV: process.env.NODE_ENV === 'development' ? 'development' : 'production',
}).child({ service: 'sfu' });

try {
  // Resolved before mediasoup is loaded, and exported, so that any code in this process that
  // imports mediasoup sees the same binary (the pool also passes it explicitly to createWorker).
  const bin = resolveWorkerBin(config);
  process.env.MEDIASOUP_WORKER_BIN = bin;
  config = { ...config, MEDIASOUP_WORKER_BIN: bin };
} catch (err) {
  log.fatal((err as Error).message);
  process.exit(1);
}

const { startSfuNode } = await import('./node');


// A rejection nobody handled is a bug to log, not a reason to drop every call on this node.
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
process.on('uncaughtException', (err) => {
  log.fatal({ err }, 'uncaught exception; exiting');
  process.exit(1);
});

let node: Awaited<ReturnType<typeof startSfuNode>> | undefined;
let stopping = false;
function stop(reason: string) {
  if (stopping || !node) process.exit(1);
  stopping = true;
  log.info({ reason }, 'stopping');
  setTimeout(() => {
    log.error('graceful stop timed out');
    process.exit(1);
  }, STOP_TIMEOUT_MS).unref();
  node.close().then(
    () => process.exit(0),
    (err: unknown) => {
      log.error({ err }, 'stop failed');
      process.exit(1);
    },
  );
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));
// The local node of `npm start` goes with its web process, even one killed with SIGKILL.
exitWithParent(() => stop('parent process gone'));

// A warm standby (lib/server/sfu/localNode.ts): everything is loaded; it starts when told to.
if (process.env.SFU_STANDBY === '1') {
  // The channel is what it waits on: it must keep the process alive meanwhile (exitWithParent unrefs it).
  process.channel?.ref();
  await new Promise<void>((resolve) => {
    const onMessage = (msg: unknown) => {
      if ((msg as { type?: string } | null)?.type !== 'start') return;
      process.off('message', onMessage);
      process.channel?.unref();
      resolve();
    };
    process.on('message', onMessage);
    process.send?.({ type: 'standby-ready' }); // a `start` sent before this listener existed would be lost
  });
  log.info('standby node starting');
}

node = await startSfuNode(config, log).catch((err: unknown) => {
  log.fatal({ err }, 'SFU node failed to start');
  process.exit(1);
});
