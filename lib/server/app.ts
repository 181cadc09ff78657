/**
 * Builds Confab's web process from its parts: database, auth, HTTP routing, socket.io with presence
 * and calls. server.ts (the composition root) calls this with the Next.js handler; integration tests
 * call it without one, on port 0.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromNodeHeaders, toNodeHandler } from 'better-auth/node';
import { Server } from 'socket.io';
import { createAdmin, type Admin } from './admin';
import { serveMetrics } from './admin/metricsRoute';
import { CLIENT_IP_HEADER, createAuth, type Auth } from './auth';
import { CallRecords, closeStaleSessions } from './calls/callRecords';
import { CallRegistry } from './calls/CallRegistry';
import { callHandlers } from './calls/handlers';
import { createDb, isPostgresUrl, type Db } from './db';
import { publicUrl, type Env } from './env';
import { iceServersFor } from './iceServers';
import type { Logger } from './logger';
import { authenticateSockets } from './realtime/authenticate';
import { bindHandlers, type Handlers } from './realtime/dispatch';
import { Presence } from './realtime/presence';
import { rooms as channels, type IoServer } from './realtime/types';
import { roomHandlers } from './rooms/handlers';
import { RoomRegistry } from './rooms/RoomRegistry';
import { RoomStore } from './rooms/roomStore';
import { SfuNodes } from './rooms/sfuNodes';
import { resolveAuthSecret } from './secrets';
import { SfuNodeClient } from './sfu/SfuNodeClient';
import { seedAdmin } from './seedAdmin';
import { setServices } from './services';

export interface ConfabOptions {
  env: Env;
  log: Logger;
  /** Next.js request handler; everything that is not API or socket.io goes to it. */
  nextHandler?: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
  /** Next.js upgrade handler (HMR websocket in dev). */
  nextUpgrade?: (req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => void;
  /** SFU nodes to place rooms on (server.ts spawns a local one by default). */
  sfu?: { url: string; secret: string }[];
}

export interface Confab {
  url: string;
  port: number;
  db: Db;
  auth: Auth;
  io: IoServer;
  presence: Presence;
  calls: CallRegistry;
  records: CallRecords;
  rooms: RoomRegistry;
  sfuClients: SfuNodeClient[];
  admin: Admin;
  close(): Promise<void>;
}

export async function startConfab({ env, log, nextHandler, nextUpgrade, sfu = [] }: ConfabOptions): Promise<Confab> {
  const db = await createDb(env.DATABASE_URL);
  const closed = await closeStaleSessions(db);
  if (closed) log.warn({ sessions: closed }, 'closed sessions left open by a previous run');
  const auth = createAuth({
    db,
    env,
    secret: resolveAuthSecret(env),
    provider: isPostgresUrl(env.DATABASE_URL) ? 'postgresql' : 'sqlite',
  });
  await seedAdmin(auth, db, env, log);

  const authHandler = toNodeHandler(auth);
  const httpServer = http.createServer((req, res) => {
    // Rate limits key on the client address; take it from the TCP peer unless a trusted proxy sets it.
    const forwarded = env.TRUST_PROXY ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim() : '';
    req.headers[CLIENT_IP_HEADER] = forwarded || req.socket.remoteAddress || 'unknown';
    const url = req.url ?? '/';
    if (url.startsWith('/api/auth/sign-out')) return void signOut(req, res);
    // better-auth's own admin endpoints (ban, set role, impersonate…) would bypass the audit log:
    // admins act through the dashboard's socket actions instead.
    if (url.startsWith('/api/auth/admin/')) {
      res.writeHead(403, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ code: 'FORBIDDEN', message: 'Use the Confab admin dashboard' }));
    }
    if (url.startsWith('/api/auth/')) return void authHandler(req, res);
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: true }));
    }
    if (url === '/metrics' || url.startsWith('/metrics?')) return void serveMetrics(req, res, admin.metrics, env.METRICS_TOKEN);
    if (nextHandler) return void nextHandler(req, res);
    res.writeHead(404).end();
  });

  /** Signing out in one tab ends the session's sockets in every tab. */
  async function signOut(req: IncomingMessage, res: ServerResponse) {
    const session = await auth.api.getSession({ headers: fromNodeHeaders(req.headers) }).catch(() => null);
    res.once('finish', () => {
      if (!session || res.statusCode >= 400) return;
      const room = channels.session(session.session.id);
      io.to(room).emit('session:revoked', { reason: 'You signed out.' });
      io.in(room).disconnectSockets(true);
    });
    await authHandler(req, res);
  }

  const io: IoServer = new Server(httpServer, {
    serveClient: false,
    // Above the largest event budget (an SDP), so oversize payloads reach the dispatcher and get a
    // typed PAYLOAD_TOO_LARGE instead of a silent disconnect.
    maxHttpBufferSize: 1_000_000,
  });
  if (nextUpgrade) {
    httpServer.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket.io')) nextUpgrade(req, socket, head);
    });
  }
  authenticateSockets(io, auth, [publicUrl(env), ...env.TRUSTED_ORIGINS], log);

  const presence = new Presence(io, env.PRESENCE_LINGER_MS, env.PRESENCE_BATCH_MS);
  const records = new CallRecords(db, log);
  const calls = new CallRegistry(
    io,
    presence,
    records,
    { ringTimeoutMs: env.CALL_RING_TIMEOUT_MS, reconnectGraceMs: env.CALL_RECONNECT_GRACE_MS },
    log,
  );
  const sfuClients = sfu.map((node) => new SfuNodeClient({ url: node.url, secret: node.secret, log }));
  const roomStore = new RoomStore(db);
  const rooms = new RoomRegistry(io, presence, roomStore, new SfuNodes(sfuClients), log);
  for (const client of sfuClients) {
    client.onStateChange((state, previous) => {
      if (previous === 'connected' && state !== 'connected') rooms.nodeLost(client);
    });
  }

  const admin = createAdmin({ io, db, presence, calls, rooms, nodes: sfuClients, log });

  const handlers: Handlers = {
    'presence:snapshot': (_payload, socket) => presence.snapshot(socket.data.user),
    'ice:config': (_payload, socket) => ({ iceServers: iceServersFor(socket.data.user.id, env) }),
    ...callHandlers(calls, env.CALL_INVITE_RATE_LIMIT),
    ...roomHandlers(io, rooms, roomStore, calls),
    ...admin.handlers,
  };
  io.on('connection', (socket) => {
    presence.connect(socket);
    bindHandlers(socket, handlers, log, admin.metrics.observer);
    socket.on('disconnect', () => {
      admin.monitor.disconnected(socket);
      calls.disconnected(socket);
      void rooms.leave(socket, 'disconnected').catch((err: unknown) => log.error({ err }, 'room leave failed'));
      presence.disconnect(socket);
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    if (env.HOST) httpServer.listen(env.PORT, env.HOST, () => resolve());
    else httpServer.listen(env.PORT, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const confab: Confab = {
    url,
    port,
    db,
    auth,
    io,
    presence,
    calls,
    records,
    rooms,
    sfuClients,
    admin,
    async close() {
      admin.close();
      calls.shutdown();
      await rooms.shutdown();
      for (const client of sfuClients) client.close();
      presence.close();
      await records.flush();
      await io.close(); // also closes httpServer
      await db.$disconnect();
    },
  };
  setServices({ auth, db });
  return confab;
}
