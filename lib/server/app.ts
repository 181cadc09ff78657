/**
 * Builds Confab's web process from its parts: database, auth, HTTP routing, socket.io with presence
 * and calls. server.ts (the composition root) calls this with the Next.js handler; integration tests
 * call it without one, on port 0.
 */
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { ErrorCode, MAX_EVENT_BYTES, ProtocolError } from '../protocol';
import { KeyedLimiter } from './rateLimit';
import { createAdmin, type Admin } from './admin';
import { serveMetrics } from './admin/metricsRoute';
import { CLIENT_IP_HEADER, createAuth, type Auth } from './auth';
import { CallRecords, closeStaleSessions } from './calls/callRecords';
import { CallRegistry } from './calls/CallRegistry';
import { callHandlers } from './calls/handlers';
import { createDb, isPostgresUrl, type Db } from './db';
import { migrateDisplayNames } from './displayNameMigration';
import { GuessLimiter } from './guessLimiter';
import { publicUrl, type Env } from './env';
import { isAuthPath, serveAuth, type AuthRouteDeps } from './http/authRoute';
import { clientAddress, requestOrigin, requestProtocol } from './http/proxy';
import { applySecurityHeaders } from './http/securityHeaders';
import { parseRequestTarget } from './http/requestTarget';
import { iceConfigFor } from './iceServers';
import type { Logger } from './logger';
import { authenticateSockets } from './realtime/authenticate';
import { bindHandlers, type Handlers } from './realtime/dispatch';
import { Presence } from './realtime/presence';
import { textOnlyParser } from './realtime/textOnlyParser';
import { rooms as channels, type IoServer } from './realtime/types';
import { roomHandlers } from './rooms/handlers';
import { noteCallOutcomes } from './lobby/callNotes';
import { lobbyChatHandlers } from './lobby/lobbyChatHandlers';
import { LobbyChatStore } from './lobby/lobbyChatStore';
import { meetingHandlers } from './rooms/meetingHandlers';
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
  await migrateDisplayNames(db, log);
  const closed = await closeStaleSessions(db);
  if (closed) log.warn({ sessions: closed }, 'closed sessions left open by a previous run');
  const auth = createAuth({
    db,
    env,
    secret: resolveAuthSecret(env),
    provider: isPostgresUrl(env.DATABASE_URL) ? 'postgresql' : 'sqlite',
  });
  await seedAdmin(auth, db, env, log);

  const signIns = new GuessLimiter([
    { points: env.SIGNIN_RATE_LIMIT, windowSeconds: env.SIGNIN_RATE_WINDOW_S },
    { points: env.SIGNIN_ADDRESS_RATE_LIMIT, windowSeconds: env.SIGNIN_RATE_WINDOW_S },
  ]);
  const httpServer = http.createServer((req, res) => {
    // Every route decision below is made on the normalised path, and handlers get that same path.
    const target = parseRequestTarget(req.url, req.headers.host);
    if (!target.ok) {
      res.writeHead(target.status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      return void res.end(target.message);
    }
    const { pathname, search } = target;
    req.url = pathname + search;
    applySecurityHeaders(req, res, { dev: env.NODE_ENV === 'development', https: requestProtocol(req, env.TRUST_PROXY) === 'https' });
    // Rate limits key on the client address: the TCP peer, or what the trusted proxies vouch for.
    req.headers[CLIENT_IP_HEADER] = clientAddress(req, env.TRUST_PROXY);
    const done = (work: Promise<void> | void) =>
      void Promise.resolve(work).catch((err: unknown) => {
        log.error({ err, path: pathname }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Internal error');
      });
    if (isAuthPath(pathname)) return done(serveAuth(authRoute, req, res, { pathname, search, origin: requestOrigin(req, env.TRUST_PROXY) }));
    if (pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: true }));
    }
    if (pathname === '/metrics') return done(serveMetrics(req, res, admin.metrics, env.METRICS_TOKEN));
    if (nextHandler) return done(nextHandler(req, res));
    res.writeHead(404).end();
  });

  const authRoute: AuthRouteDeps = {
    auth,
    signIns,
    // Signing out in one tab ends the session's sockets in every tab.
    signedOut(sessionId) {
      const room = channels.session(sessionId);
      io.to(room).emit('session:revoked', { reason: 'You signed out.' });
      io.in(room).disconnectSockets(true);
    },
  };

  const io: IoServer = new Server(httpServer, {
    serveClient: false,
    // Four times the largest event budget (an SDP, 65 KB): a payload well over its budget still
    // reaches the dispatcher and gets a typed PAYLOAD_TOO_LARGE; anything bigger closes the
    // connection unread. Binary attachments, which were the unbounded part, are refused outright.
    maxHttpBufferSize: 4 * MAX_EVENT_BYTES,
    parser: textOnlyParser,
    // An engine.io connection that has not joined the namespace (and so authenticated) by then is closed.
    connectTimeout: 10_000,
    // A connection whose other end vanished (a laptop that changed networks) is noticed within 15 s,
    // not socket.io's default 45 s: the peer's "reconnecting" and its seat's grace start sooner.
    pingInterval: 10_000,
    pingTimeout: 5_000,
  });
  if (nextUpgrade) {
    httpServer.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket.io')) nextUpgrade(req, socket, head);
    });
  }
  authenticateSockets(io, auth, [publicUrl(env), ...env.TRUSTED_ORIGINS], env.TRUST_PROXY, log);

  const presence = new Presence(io, env.PRESENCE_LINGER_MS, env.PRESENCE_BATCH_MS);
  const records = new CallRecords(db, log);
  const calls = new CallRegistry(
    io,
    presence,
    records,
    {
      ringTimeoutMs: env.CALL_RING_TIMEOUT_MS,
      reconnectGraceMs: env.CALL_RECONNECT_GRACE_MS,
      restartResumeMs: env.CALL_RESTART_RESUME_MS,
    },
    log,
  );
  const ca = env.SFU_TLS_CA ? fs.readFileSync(env.SFU_TLS_CA, 'utf8') : undefined;
  const sfuClients = sfu.map((node) => new SfuNodeClient({ url: node.url, secret: node.secret, ca, log }));
  const roomStore = new RoomStore(db);
  const rooms = new RoomRegistry(io, presence, roomStore, new SfuNodes(sfuClients), { resumeGraceMs: env.ROOM_RESUME_GRACE_MS, maxVisibleVideos: env.ROOM_MAX_VISIBLE_VIDEOS, archiveDays: env.ROOM_ARCHIVE_DAYS }, log);
  for (const client of sfuClients) {
    client.onStateChange((state, previous) => {
      if (previous === 'connected' && state !== 'connected') rooms.media.nodeLost(client);
      if (state === 'connected') rooms.media.nodeAvailable(client);
    });
  }

  const admin = createAdmin({ io, db, presence, calls, rooms, nodes: sfuClients, log });
  const lobbyChat = new LobbyChatStore(db);
  noteCallOutcomes(calls, lobbyChat, io, log);

  const troubleLimit = new KeyedLimiter(4, 1 / 60);
  const handlers: Handlers = {
    'presence:snapshot': (_payload, socket) => presence.snapshot(socket.data.user),
    'session:ping': () => ({}),
    'ice:config': (_payload, socket) => iceConfigFor(socket.data.user.id, env),
    'media:trouble': ({ scope, phase }, socket) => {
      // Reported once per connection by an honest page; a burst of 4 then one a minute bounds a liar.
      if (!troubleLimit.take(socket.data.user.id)) throw new ProtocolError(ErrorCode.RateLimited, 'Already reported');
      admin.metrics.mediaTrouble(scope, phase);
      log.info({ userId: socket.data.user.id, scope, phase }, 'a browser reported a failed media connection');
      return {};
    },
    ...callHandlers(calls, env.CALL_INVITE_RATE_LIMIT),
    ...roomHandlers(io, rooms, roomStore, calls),
    ...meetingHandlers(rooms),
    ...lobbyChatHandlers(io, db, lobbyChat),
    ...admin.handlers,
  };
  io.on('connection', (socket) => {
    presence.connect(socket);
    bindHandlers(socket, handlers, log, admin.metrics.observer);
    socket.on('disconnect', () => {
      admin.monitor.disconnected(socket);
      rooms.waiting.socketGone(socket.id);
      calls.disconnected(socket);
      void rooms.dropped(socket).catch((err: unknown) => log.error({ err }, 'room seat drop failed'));
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
