/**
 * The node's RPC server: socket.io over WebSocket, for the web process only.
 *
 * - Handshake: `auth.secret` must equal SFU_SECRET. Compared as SHA-256 digests with
 *   timingSafeEqual, so neither the content nor the length of the secret leaks through timing.
 * - Framing: one event per method, `(payload, ack)` (see SfuNodeListenEvents). For each request, in
 *   order: the method exists, there is exactly one payload, it fits SFU_MAX_REQUEST_BYTES, it
 *   parses with its schema. Only then does the handler run. Every request with an ack callback gets
 *   exactly one typed ack; nothing throws out of here.
 * - Events go to every connected web process: a node serves whichever web processes opened rooms
 *   on it, and each ignores rooms it does not know.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Ack } from '../lib/protocol/ack';
import { ErrorCode, ProtocolError } from '../lib/protocol/errors';
import {
  SFU_MAX_REQUEST_BYTES,
  sfuRpcSpecs,
  type SfuHandshakeAuth,
  type SfuMethod,
  type SfuNodeEmitEvents,
  type SfuNodeListenEvents,
} from '../lib/protocol/sfuRpc';
import type { Logger } from '../lib/server/logger';
import { textOnlyParser } from '../lib/server/realtime/textOnlyParser';
import type { SfuHandlers } from './handlers';
import type { EmitSfuEvent } from './types';

export interface RpcServerOptions {
  host: string;
  port: number;
  secret: string;
  /** PEM certificate chain and key: serve the RPC over TLS (wss://). */
  tls?: { cert: string; key: string };
  handlers: SfuHandlers;
  log: Logger;
}

export interface RpcServer {
  readonly port: number;
  /** ws URL the web process connects to (SfuNodeClient). */
  readonly url: string;
  readonly clientCount: number;
  emit: EmitSfuEvent;
  /** Called with the number of connected web processes whenever it changes. */
  onClientsChange(listener: (count: number) => void): void;
  close(): Promise<void>;
}

type NodeIo = Server<SfuNodeListenEvents, SfuNodeEmitEvents>;

/**
 * socket.io drops a connection whose frame exceeds this. It is above SFU_MAX_REQUEST_BYTES so
 * that a merely oversized request gets a typed PAYLOAD_TOO_LARGE ack, while an absurd one cannot
 * make the node buffer megabytes.
 */
const MAX_FRAME_BYTES = 2 * SFU_MAX_REQUEST_BYTES;

const digest = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest();
const isSfuMethod = (name: string): name is SfuMethod => Object.hasOwn(sfuRpcSpecs, name);

function payloadBytes(payload: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY; // cyclic or otherwise unserialisable: refuse
  }
}

function parseRequest(event: unknown, args: unknown[]): { method: SfuMethod; request: unknown } {
  const name = typeof event === 'string' ? event.slice(0, 64) : typeof event;
  if (typeof event !== 'string' || !isSfuMethod(event)) {
    throw new ProtocolError(ErrorCode.UnknownEvent, `Unknown method "${name}"`);
  }
  if (args.length !== 1) throw new ProtocolError(ErrorCode.BadRequest, 'Expected exactly one payload argument');
  const bytes = payloadBytes(args[0]);
  if (bytes > SFU_MAX_REQUEST_BYTES) {
    throw new ProtocolError(ErrorCode.PayloadTooLarge, `Payload of ${bytes} bytes exceeds ${SFU_MAX_REQUEST_BYTES}`);
  }
  const parsed = sfuRpcSpecs[event].req.safeParse(args[0]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new ProtocolError(ErrorCode.BadRequest, `Invalid ${event} request${where}: ${issue?.message ?? 'bad shape'}`);
  }
  return { method: event, request: parsed.data };
}

export async function startRpcServer({ host, port, secret, tls, handlers, log }: RpcServerOptions): Promise<RpcServer> {
  const probe: http.RequestListener = (req, res) => {
    // A liveness probe that needs no secret and reveals nothing.
    if (req.method === 'GET' && req.url === '/healthz') res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    else res.writeHead(404).end();
  };
  const httpServer = tls ? https.createServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, probe) : http.createServer(probe);
  const io: NodeIo = new Server(httpServer, {
    transports: ['websocket'],
    serveClient: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    parser: textOnlyParser,
    // A connection that never completes the authenticated handshake is closed after this.
    connectTimeout: 5_000,
    // Server-to-server on a private network: notice a dead peer in ~10 s, not socket.io's ~45 s.
    pingInterval: 5_000,
    pingTimeout: 5_000,
  });

  const expected = digest(secret);
  io.use((socket, next) => {
    const auth = socket.handshake.auth as Partial<SfuHandshakeAuth> | undefined;
    const given = typeof auth?.secret === 'string' ? auth.secret : '';
    if (crypto.timingSafeEqual(digest(given), expected)) return next();
    log.warn({ address: socket.handshake.address }, 'RPC client refused: bad secret');
    next(new Error('unauthorized'));
  });

  const clientListeners = new Set<(count: number) => void>();
  let clients = 0;
  const setClients = (n: number) => {
    clients = n;
    for (const l of clientListeners) l(n);
  };

  io.on('connection', (socket) => {
    const clientLog = log.child({ rpcClient: socket.id, address: socket.handshake.address });
    clientLog.info('web process connected');
    setClients(clients + 1);
    socket.on('disconnect', (reason) => {
      clientLog.info({ reason }, 'web process disconnected');
      setClients(clients - 1);
    });

    socket.onAny((event: unknown, ...args: unknown[]) => {
      const name = typeof event === 'string' ? event.slice(0, 64) : typeof event; // for logs only
      const ack = typeof args.at(-1) === 'function' ? (args.pop() as (a: Ack<unknown>) => void) : undefined;
      if (!ack) {
        // A request nobody waits for cannot be answered; with no caller to see a result, not
        // running it is the safer choice.
        clientLog.warn({ method: name }, 'RPC request without ack callback dropped');
        return;
      }
      const started = performance.now();
      void (async () => {
        const { method, request } = parseRequest(event, args);
        const handler = handlers[method] as (req: unknown) => Promise<unknown>;
        return handler(request);
      })().then(
        (data) => {
          clientLog.debug({ method: name, ms: Math.round(performance.now() - started) }, 'rpc ok');
          ack({ ok: true, data });
        },
        (err: unknown) => {
          if (err instanceof ProtocolError) {
            clientLog.debug({ method: name, code: err.code, message: err.message }, 'rpc refused');
            return ack({ ok: false, error: err.toBody() });
          }
          clientLog.error({ err, method: name }, 'rpc handler failed');
          ack({ ok: false, error: { code: ErrorCode.Internal, message: 'Internal error' } });
        },
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const bound = (httpServer.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  log.info({ host, port: bound }, 'SFU RPC listening');

  return {
    port: bound,
    url: `${tls ? 'https' : 'http'}://${urlHost}:${bound}`,
    get clientCount() {
      return clients;
    },
    emit: (event, payload) => {
      (io.emit as (e: string, p: unknown) => boolean)(event, payload);
    },
    onClientsChange(listener) {
      clientListeners.add(listener);
    },
    async close() {
      io.disconnectSockets(true);
      await io.close(); // closes the HTTP server too
    },
  };
}
