/**
 * The admin side of the web process, assembled: access checks, the live monitor, actions with their
 * audit log, and Prometheus metrics. app.ts wires the result into socket.io and the HTTP router.
 */
import type { CallRegistry } from '../calls/CallRegistry';
import type { Db } from '../db';
import type { Logger } from '../logger';
import type { Handlers } from '../realtime/dispatch';
import type { Presence } from '../realtime/presence';
import type { IoServer } from '../realtime/types';
import type { RoomRegistry } from '../rooms/RoomRegistry';
import type { SfuNodeClient } from '../sfu/SfuNodeClient';
import { AdminAccess } from './access';
import { AdminActions } from './actions';
import { AdminMonitor } from './AdminMonitor';
import { AuditLog } from './audit';
import { adminHandlers } from './handlers';
import { Metrics } from './metrics';
import { WorkerCpu } from './workerCpu';

export interface AdminParts {
  io: IoServer;
  db: Db;
  presence: Presence;
  calls: CallRegistry;
  rooms: RoomRegistry;
  nodes: SfuNodeClient[];
  log: Logger;
}

export interface Admin {
  handlers: Handlers;
  monitor: AdminMonitor;
  metrics: Metrics;
  close(): void;
}

export function createAdmin({ io, db, presence, calls, rooms, nodes, log }: AdminParts): Admin {
  // One CPU tracker for the dashboard and /metrics: both sample the same worker counters.
  const cpu = new WorkerCpu();
  const access = new AdminAccess(db);
  const monitor = new AdminMonitor(
    io,
    { rooms, calls, presence, nodes, cpu, roles: (ids) => access.roles(ids) },
    access,
    log,
  );
  const actions = new AdminActions(io, db, rooms, calls, monitor, new AuditLog(db), log);
  return {
    handlers: adminHandlers(access, monitor, actions),
    monitor,
    metrics: new Metrics({ presence, calls, rooms, nodes, cpu }),
    close: () => monitor.close(),
  };
}
