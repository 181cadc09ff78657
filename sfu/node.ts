/**
 * Starts an SFU node in this process: worker pool → rooms → RPC server. sfu/main.ts calls it as a
 * standalone process; the web process (embedded mode) and the integration tests call it in-process.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import * as mediasoup from 'mediasoup';
import type { Logger } from '../lib/server/logger';
import { describeSfuConfig, type SfuConfig } from './config';
import { createHandlers } from './handlers';
import { Rooms } from './Rooms';
import { startRpcServer, type RpcServer } from './rpc';
import type { EmitSfuEvent } from './types';
import { resolveWorkerBin } from './workerBin';
import { WorkerPool } from './workers';

export interface SfuNode {
  /** Where SfuNodeClient connects. */
  readonly url: string;
  readonly port: number;
  readonly pool: WorkerPool;
  readonly rooms: Rooms;
  readonly rpc: RpcServer;
  close(): Promise<void>;
}

export async function startSfuNode(config: SfuConfig, log: Logger): Promise<SfuNode> {
  const workerBin = resolveWorkerBin(config);
  log.info({ config: describeSfuConfig(config), workerBin, mediasoup: mediasoup.version }, 'starting SFU node');
  forwardMediasoupLogs(log.child({ module: 'mediasoup' }));
  const announced = config.SFU_ANNOUNCED_IP ?? config.SFU_LISTEN_IP;
  log.info(
    `media: browsers will be given ${announced} (UDP, then TCP, ports ${config.SFU_RTC_MIN_PORT}-${config.SFU_RTC_MAX_PORT}); ` +
      `bound to ${config.SFU_LISTEN_IP}, from ${config.listenSource}` +
      (config.SFU_ANNOUNCED_IP ? ', announced as SFU_ANNOUNCED_IP' : '') +
      (announced.startsWith('127.') ? '. Loopback: only Chromium on this machine can connect (Firefox never uses loopback)' : ''),
  );

  const pool = await WorkerPool.create({ ...config, workerBin }, log);
  // Rooms emit through the RPC server, which needs the handlers, which need the rooms: the sink is
  // bound once the server exists (nothing can happen before, no request has arrived yet).
  let rpc: RpcServer | undefined;
  const emit: EmitSfuEvent = (event, payload) => rpc?.emit(event, payload);
  const rooms = new Rooms(pool, emit, log);
  try {
    rpc = await startRpcServer({
      host: config.SFU_RPC_HOST,
      port: config.SFU_RPC_PORT,
      secret: config.SFU_SECRET,
      tls: readTls(config),
      handlers: createHandlers(rooms, pool, crypto.randomUUID()),
      log: log.child({ module: 'rpc' }),
    });
  } catch (err) {
    pool.close();
    throw err;
  }
  const stopReaper = reapOrphanRooms(rpc, rooms, config.SFU_ORPHAN_GRACE_MS, log);

  const server = rpc;
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    port: server.port,
    pool,
    rooms,
    rpc: server,
    close() {
      closing ??= (async () => {
        stopReaper();
        rooms.closeAll('node-stopping'); // tells the web process while it is still connected
        await server.close();
        pool.close();
        log.info('SFU node stopped');
      })();
      return closing;
    },
  };
}

/**
 * Rooms are owned by the web process that opened them. If no web process is connected for
 * `graceMs` (it crashed, or was redeployed and will re-create what it needs), nobody can ever close
 * them, and their transports would hold ports and CPU forever: close them all.
 */
function reapOrphanRooms(rpc: RpcServer, rooms: Rooms, graceMs: number, log: Logger): () => void {
  if (graceMs === 0) return () => undefined;
  let timer: NodeJS.Timeout | undefined;
  const arm = (clients: number) => {
    clearTimeout(timer);
    timer = undefined;
    if (clients > 0) return;
    timer = setTimeout(() => {
      if (rooms.size === 0) return;
      log.warn({ rooms: rooms.size, graceMs }, 'no web process connected: closing orphaned rooms');
      rooms.closeAll('orphaned');
    }, graceMs);
    timer.unref(); // never what keeps the process alive
  };
  rpc.onClientsChange(arm);
  arm(rpc.clientCount);
  return () => clearTimeout(timer);
}

/** mediasoup's own logs (Node side and C++ workers) into ours; debug output stays off. */
function forwardMediasoupLogs(log: Logger): void {
  mediasoup.setLogEventListeners({
    onwarn: (namespace, message) => log.warn({ namespace }, message),
    onerror: (namespace, message, error) => log.error({ namespace, err: error }, message),
  });
}

/** The RPC's certificate and key, read once at start-up (a missing file stops the node with its path). */
function readTls(config: SfuConfig): { cert: string; key: string } | undefined {
  if (!config.SFU_TLS_CERT || !config.SFU_TLS_KEY) return undefined;
  return { cert: fs.readFileSync(config.SFU_TLS_CERT, 'utf8'), key: fs.readFileSync(config.SFU_TLS_KEY, 'utf8') };
}
