/**
 * One client process of the presence benchmark: it holds a share of the N lobby sockets, each a
 * distinct signed-in user, and timestamps the `joined` presence diffs they receive. Several of these
 * run side by side so that the clients' own work (parsing N diffs per join) is not serialised
 * behind one event loop, and so that it never runs inside the web process being measured.
 *
 * Timestamps are performance.timeOrigin + performance.now(): a wall clock with sub-millisecond
 * resolution that processes on one machine share, so they compare with the parent's.
 */
import { io, type Socket } from 'socket.io-client';
import type { PresenceDiff } from '../../lib/protocol';
import type { FromClients, ToClients } from './protocol';

const sockets: Socket[] = [];
let messages = 0;
let joined = 0;
let dropped = 0;
let watch: { userId: string; times: number[] } | null = null;

const now = () => performance.timeOrigin + performance.now();
const send = (msg: FromClients) => process.send!(msg);

function onDiffs(diffs: PresenceDiff[]) {
  const at = now();
  messages++;
  for (const diff of diffs) {
    if (diff.type !== 'joined') continue;
    joined++;
    if (!watch || diff.user.id !== watch.userId) continue;
    watch.times.push(at);
    if (watch.times.length === sockets.length) {
      send({ type: 'arrivals', userId: watch.userId, times: watch.times });
      watch = null;
    }
  }
}

function open(url: string, cookie: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, {
      transports: ['websocket'],
      // Every socket its own connection: io() would otherwise multiplex them all over one.
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie },
    });
    socket.on('presence:diffs', onDiffs);
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
    socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') dropped++;
    });
  });
}

async function connectAll(msg: Extract<ToClients, { type: 'connect' }>) {
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  // A fixed number of handshakes in flight: fast, without a thundering herd of thousands at once.
  const lane = async () => {
    while (next < msg.cookies.length) {
      const cookie = `${msg.cookieName}=${msg.cookies[next++]}`;
      try {
        sockets.push(await open(msg.url, cookie));
      } catch (err) {
        failed++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: msg.concurrency }, lane));
  send({ type: 'connected', sockets: sockets.length, failed, firstError });
}

// The benchmark is gone: do not linger holding thousands of sockets.
process.once('disconnect', () => process.exit(0));

process.on('message', (msg: ToClients) => {
  switch (msg.type) {
    case 'connect':
      void connectAll(msg);
      break;
    case 'count':
      send({ type: 'count', messages, joined, dropped });
      break;
    case 'watch':
      watch = { userId: msg.userId, times: [] };
      send({ type: 'watching', userId: msg.userId });
      break;
    case 'close':
      for (const s of sockets) s.disconnect();
      process.exit(0);
  }
});
