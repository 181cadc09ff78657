/**
 * Prometheus metrics (prom-client), on a registry of this web process's own: gauges read live state
 * when scraped; counters are bumped by the socket dispatcher through its DispatchObserver hook, so
 * the dispatcher knows nothing of Prometheus.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ErrorCode, InboundEvent, MediaTroublePhase, MediaTroubleScope } from '../../protocol';
import type { CallRegistry } from '../calls/CallRegistry';
import type { DispatchObserver } from '../realtime/dispatch';
import type { Presence } from '../realtime/presence';
import type { RoomRegistry } from '../rooms/RoomRegistry';
import type { SfuNodeClient } from '../sfu/SfuNodeClient';
import { RateWindow } from './rateWindow';
import { workerRows } from './snapshot';
import type { WorkerCpu } from './workerCpu';

export interface MetricsSources {
  presence: Presence;
  calls: CallRegistry;
  rooms: RoomRegistry;
  nodes: SfuNodeClient[];
  cpu: WorkerCpu;
}

/** One scrape reads three worker gauges; they share one `node:stats` round per scrape. */
const WORKER_STATS_REUSE_MS = 500;

export class Metrics {
  readonly registry = new Registry();
  readonly observer: DispatchObserver;
  /** Counts a media connection a browser reported as failed (`media:trouble`). */
  readonly mediaTrouble: (scope: MediaTroubleScope, phase: MediaTroublePhase) => void;

  constructor(src: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    const events = new Counter({
      name: 'confab_socket_events_total',
      help: 'Inbound socket.io events, by event',
      labelNames: ['event'],
      registers,
    });
    const errors = new Counter({
      name: 'confab_socket_errors_total',
      help: 'Inbound socket.io events refused or failed, by error code',
      labelNames: ['code'],
      registers,
    });
    const troubles = new Counter({
      name: 'confab_media_failures_total',
      help: 'Media connections that browsers reported as failed: never connected (connect) or lost for good (lost), in rooms and calls',
      labelNames: ['scope', 'phase'],
      registers,
    });
    this.mediaTrouble = (scope, phase) => troubles.inc({ scope, phase });
    const rate = new RateWindow(10);
    new Gauge({
      name: 'confab_socket_events_per_second',
      help: 'Inbound socket.io events per second, averaged over the last 10 s',
      registers,
      collect() {
        this.set(rate.perSecond());
      },
    });
    this.observer = {
      event(event: InboundEvent | null) {
        events.inc({ event: event ?? 'unknown' });
        rate.add();
      },
      error(_event: InboundEvent | null, code: ErrorCode) {
        errors.inc({ code });
      },
    };

    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    const live = () => src.rooms.liveRooms();
    const participants = () => live().flatMap((room) => [...room.participants.values()]);
    gauge('confab_users_online', 'Users with at least one connected tab', () => src.presence.onlineCount);
    gauge('confab_rooms_active', 'Rooms with a meeting in progress', () => live().length);
    gauge('confab_room_peers', 'Participants in live rooms', () => participants().length);
    gauge(
      'confab_sfu_nodes_connected',
      'SFU nodes this web process is connected to',
      () => src.nodes.filter((n) => n.connected).length,
    );
    new Gauge({
      name: 'confab_calls_active',
      help: '1:1 calls in progress, by phase',
      labelNames: ['phase'],
      registers,
      collect() {
        const calls = src.calls.list();
        this.set({ phase: 'ringing' }, calls.filter((c) => c.phase === 'ringing').length);
        this.set({ phase: 'active' }, calls.filter((c) => c.phase === 'active').length);
      },
    });

    let workers: { at: number; rows: ReturnType<typeof workerRows> } | undefined;
    const latestWorkers = () => {
      if (!workers || Date.now() - workers.at > WORKER_STATS_REUSE_MS)
        workers = { at: Date.now(), rows: workerRows(src.nodes, src.cpu) };
      return workers.rows;
    };
    const workerGauge = (
      name: string,
      help: string,
      read: (w: Awaited<ReturnType<typeof workerRows>>[number]) => number | null,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ['node', 'pid'],
        registers,
        async collect() {
          const rows = await latestWorkers();
          this.reset(); // a worker that died and was replaced must not linger under its old pid
          for (const w of rows) {
            const value = read(w);
            if (value !== null) this.set({ node: w.node, pid: String(w.pid) }, value);
          }
        },
      });
    // The node is the authority on media: these are summed over its workers' counts.
    const nodeTotal = (name: string, help: string, read: (w: Awaited<ReturnType<typeof workerRows>>[number]) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.set((await latestWorkers()).reduce((n, w) => n + read(w), 0));
        },
      });
    nodeTotal('confab_sfu_producers', 'Producers (sent streams) on the SFU nodes', (w) => w.producers);
    nodeTotal('confab_sfu_consumers', 'Consumers (forwarded streams) on the SFU nodes', (w) => w.consumers);
    workerGauge(
      'confab_sfu_worker_cpu_percent',
      'mediasoup worker CPU use since the previous sample, % of one core',
      (w) => w.cpuPercent,
    );
    workerGauge('confab_sfu_worker_routers', 'Routers on a mediasoup worker', (w) => w.routers);
    workerGauge('confab_sfu_worker_transports', 'Transports on a mediasoup worker', (w) => w.transports);
  }
}
