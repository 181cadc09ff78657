/**
 * The node's mediasoup workers: one C++ process per configured slot, each with one WebRtcServer
 * (one UDP + one TCP port shared by all of that worker's WebRtcTransports).
 *
 * A worker that dies is never fatal to the node: the pool logs it, tells its listeners (the rooms
 * with a router on it move its peers to a live worker) and spawns a replacement in the same slot, retrying with
 * backoff if spawning fails. Placement is "fewest peers": a peer's load on a worker (its transports,
 * the consumers it receives) is roughly proportional to the number of peers placed there.
 */
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { ErrorCode, ProtocolError } from '../lib/protocol/errors';
import type { SfuResponse } from '../lib/protocol/sfuRpc';
import type { Logger } from '../lib/server/logger';
import type { SfuConfig } from './config';

export interface PooledWorker {
  readonly slot: number;
  readonly worker: types.Worker;
  readonly webRtcServer: types.WebRtcServer;
  /** Peers placed here, through `place()`; the placement metric. */
  peers: number;
  /** Live routers and transports (pipe transports included), kept by mediasoup observers. */
  routers: number;
  transports: number;
  /** On non-pipe transports: what peers send in, and what is forwarded to them. */
  producers: number;
  consumers: number;
}

export type WorkerStats = SfuResponse<'node:stats'>['workers'][number];

type DiedListener = (dead: PooledWorker) => void;

/** How long placement waits for a replacement worker when none is alive. */
const AVAILABLE_TIMEOUT_MS = 10_000;

export type WorkerPoolConfig = Pick<
  SfuConfig,
  | 'SFU_WORKERS'
  | 'SFU_LISTEN_IP'
  | 'SFU_ANNOUNCED_IP'
  | 'SFU_RTC_MIN_PORT'
  | 'SFU_RTC_MAX_PORT'
  | 'SFU_WORKER_LOG_LEVEL'
> & { workerBin: string };

function lexicallyLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

const RESPAWN_BASE_MS = 1_000;
const RESPAWN_MAX_MS = 30_000;

export class WorkerPool {
  private readonly slots: (PooledWorker | undefined)[];
  private readonly diedListeners = new Set<DiedListener>();
  /** Waiting for a worker to be installed (every worker had died). */
  private readonly waiters = new Set<() => void>();
  private readonly respawnTimers = new Set<NodeJS.Timeout>();
  private closed = false;

  private constructor(
    private readonly config: WorkerPoolConfig,
    private readonly log: Logger,
  ) {
    this.slots = new Array<PooledWorker | undefined>(config.SFU_WORKERS).fill(undefined);
  }

  /** Spawns every worker; fails (and cleans up) if any of them cannot start. */
  static async create(config: WorkerPoolConfig, log: Logger): Promise<WorkerPool> {
    const pool = new WorkerPool(config, log);
    try {
      await Promise.all(pool.slots.map(async (_, slot) => pool.install(await pool.spawn(slot))));
    } catch (err) {
      pool.close();
      throw err;
    }
    return pool;
  }

  /** Live workers, in slot order (a slot being respawned is absent). */
  get workers(): PooledWorker[] {
    return this.slots.filter((w): w is PooledWorker => w !== undefined);
  }

  /**
   * The worker a new peer should go to, with its peer count already taken so that concurrent joins
   * spread too. Call the returned release() when the peer leaves (idempotent). `preferred` breaks
   * ties in favour of workers where the peer's room already has a router: spreading is for load,
   * and at equal load a second router only adds pipe transports.
   */
  place(preferred?: (w: PooledWorker) => boolean): { worker: PooledWorker; release: () => void } {
    const worker = this.leastLoaded(preferred);
    worker.peers++;
    let released = false;
    return {
      worker,
      release: () => {
        if (released) return;
        released = true;
        worker.peers--;
      },
    };
  }

  /** place(), after waiting for a live worker if every one has just died (see whenAvailable). */
  async placeWhenAvailable(preferred?: (w: PooledWorker) => boolean): Promise<{ worker: PooledWorker; release: () => void }> {
    if (!this.workers.length) await this.whenAvailable();
    return this.place(preferred);
  }

  /**
   * The least-loaded live worker; if none is alive (the only one just died), the first replacement,
   * or INVALID_STATE after AVAILABLE_TIMEOUT_MS.
   */
  whenAvailable(): Promise<PooledWorker> {
    if (this.workers.length) return Promise.resolve(this.leastLoaded());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(ready);
        reject(new ProtocolError(ErrorCode.InvalidState, 'No mediasoup worker is available on this node'));
      }, AVAILABLE_TIMEOUT_MS);
      const ready = () => {
        clearTimeout(timer);
        this.waiters.delete(ready);
        resolve(this.leastLoaded());
      };
      this.waiters.add(ready);
    });
  }

  /** Fewest peers; then preferred; then fewest routers (spreads new rooms too); then lowest slot. */
  leastLoaded(preferred: (w: PooledWorker) => boolean = () => false): PooledWorker {
    const rank = (w: PooledWorker) => [w.peers, preferred(w) ? 0 : 1, w.routers];
    let best: { worker: PooledWorker; rank: number[] } | undefined;
    for (const worker of this.workers) {
      const r = rank(worker);
      if (!best || lexicallyLess(r, best.rank)) best = { worker, rank: r };
    }
    if (!best) throw new ProtocolError(ErrorCode.InvalidState, 'No mediasoup worker is available on this node');
    return best.worker;
  }

  onWorkerDied(listener: DiedListener): () => void {
    this.diedListeners.add(listener);
    return () => this.diedListeners.delete(listener);
  }

  async stats(): Promise<WorkerStats[]> {
    const rows = await Promise.all(
      this.workers.map(async (w) => {
        try {
          const usage = await w.worker.getResourceUsage();
          return {
            pid: w.worker.pid,
            cpuMs: usage.ru_utime + usage.ru_stime,
            routers: w.routers,
            transports: w.transports,
            producers: w.producers,
            consumers: w.consumers,
          };
        } catch {
          return undefined; // died between the listing and the query: it is being replaced
        }
      }),
    );
    return rows.filter((r) => r !== undefined);
  }

  close(): void {
    this.closed = true;
    for (const t of this.respawnTimers) clearTimeout(t);
    this.respawnTimers.clear();
    for (const w of this.workers) w.worker.close(); // closes its WebRtcServer and routers too
    this.slots.fill(undefined);
  }

  private async spawn(slot: number): Promise<PooledWorker> {
    const c = this.config;
    const worker = await mediasoup.createWorker({
      // Passed explicitly rather than through MEDIASOUP_WORKER_BIN so that it does not matter when
      // (or by whom) mediasoup was first imported in this process.
      workerBin: c.workerBin,
      logLevel: c.SFU_WORKER_LOG_LEVEL,
      // Tagged worker logs only appear for enabled tags: these cover connectivity and media problems.
      logTags: ['info', 'ice', 'dtls', 'rtp', 'srtp', 'rtcp'],
      appData: { slot },
    });
    try {
      const portRange = { min: c.SFU_RTC_MIN_PORT, max: c.SFU_RTC_MAX_PORT };
      const listen = { ip: c.SFU_LISTEN_IP, announcedAddress: c.SFU_ANNOUNCED_IP, portRange };
      const webRtcServer = await worker.createWebRtcServer({
        // UDP first: browsers prefer the higher-priority candidate, and TCP is only the fallback
        // for networks that block UDP.
        listenInfos: [
          { ...listen, protocol: 'udp' },
          { ...listen, protocol: 'tcp' },
        ],
      });
      // The ports were picked from the range: log them, they are what a firewall must let through.
      const { udpSockets, tcpServers } = await webRtcServer.dump();
      this.log.info(
        { slot, workerPid: worker.pid, udp: udpSockets.map((s) => s.port), tcp: tcpServers.map((s) => s.port) },
        'mediasoup worker ready',
      );
      return { slot, worker, webRtcServer, peers: 0, routers: 0, transports: 0, producers: 0, consumers: 0 };
    } catch (err) {
      worker.close();
      throw err;
    }
  }

  private install(entry: PooledWorker): void {
    if (this.closed) {
      entry.worker.close();
      return;
    }
    this.slots[entry.slot] = entry;
    const { worker } = entry;
    worker.observer.on('newrouter', (router: types.Router) => {
      entry.routers++;
      router.observer.once('close', () => entry.routers--);
      router.observer.on('newtransport', (transport: types.Transport) => {
        entry.transports++;
        transport.observer.once('close', () => entry.transports--);
        if (transport.type === 'pipe') return;
        const count = (key: 'producers' | 'consumers') => (object: { observer: { once(e: 'close', l: () => void): unknown } }) => {
          entry[key]++;
          object.observer.once('close', () => entry[key]--);
        };
        transport.observer.on('newproducer', count('producers'));
        transport.observer.on('newconsumer', count('consumers'));
      });
    });
    worker.once('died', (error: Error) => this.handleDeath(entry, error));
    for (const ready of [...this.waiters]) ready();
  }

  private handleDeath(dead: PooledWorker, error: Error): void {
    this.log.error({ slot: dead.slot, workerPid: dead.worker.pid, err: error }, 'mediasoup worker died; replacing it');
    if (this.slots[dead.slot] === dead) this.slots[dead.slot] = undefined;
    for (const listener of [...this.diedListeners]) {
      try {
        listener(dead);
      } catch (err) {
        this.log.error({ err }, 'worker-died listener failed');
      }
    }
    this.respawn(dead.slot, 0);
  }

  private respawn(slot: number, attempt: number): void {
    if (this.closed) return;
    const delay = attempt === 0 ? 0 : Math.min(RESPAWN_MAX_MS, RESPAWN_BASE_MS * 2 ** (attempt - 1));
    const timer = setTimeout(() => {
      this.respawnTimers.delete(timer);
      this.spawn(slot).then(
        (entry) => {
          this.install(entry);
          if (!this.closed) this.log.warn({ slot, workerPid: entry.worker.pid, attempt }, 'mediasoup worker replaced');
        },
        (err: unknown) => {
          this.log.error({ slot, err, attempt }, 'could not replace mediasoup worker; retrying');
          this.respawn(slot, attempt + 1);
        },
      );
    }, delay);
    this.respawnTimers.add(timer);
  }
}
