/**
 * Socket handlers for rooms. A media request needs a seat in a room; it is forwarded to the room's
 * SFU node with the sender's identity taken from the session, never from the message. The node
 * checks that every transport, producer and consumer id belongs to that peer (one place for it).
 */
import { ErrorCode, ProtocolError } from '../../protocol';
import type { CallRegistry } from '../calls/CallRegistry';
import { KeyedLimiter } from '../rateLimit';
import type { Handlers } from '../realtime/dispatch';
import type { IoServer, IoSocket } from '../realtime/types';
import type { RoomRegistry } from './RoomRegistry';
import type { RoomStore } from './roomStore';
import type { LiveRoom } from './LiveRoom';
import type { Seat } from './Seat';

export function roomHandlers(io: IoServer, rooms: RoomRegistry, store: RoomStore, calls: CallRegistry): Handlers {
  const chatLimit = new KeyedLimiter(5, 1);
  const createLimit = new KeyedLimiter(5, 5 / 60);

  /** Runs a node request for the sender's seat: `peer` names the room and the sender. */
  const forward = <T>(socket: IoSocket, task: (room: LiveRoom, peer: { roomId: string; peerId: string }, me: Seat) => Promise<T>) => {
    const { room, me } = rooms.membership(socket);
    return task(room, { roomId: room.id, peerId: me.user.id }, me);
  };
  const done = {} as Record<string, never>;

  return {
    'room:list': async () => ({ rooms: await rooms.directory.list() }),
    'room:mine': async (_p, socket) => ({ rooms: await rooms.directory.mine(socket.data.user.id) }),
    'room:rename': async ({ slug, name }, socket) => ({ room: await rooms.directory.rename(socket.data.user, slug, name) }),
    'room:delete': async ({ slug }, socket) => (await rooms.directory.remove(socket.data.user, slug), done),
    'room:create': async ({ name, password, waitingRoom }, socket) => {
      if (!createLimit.take(socket.data.user.id)) throw new ProtocolError(ErrorCode.RateLimited, 'Too many new rooms; wait a minute');
      return { room: await rooms.directory.create(socket.data.user, name, password, waitingRoom) };
    },
    'room:capabilities': () => rooms.capabilities(),
    'room:join': ({ slug, password, rtpCapabilities, forceTcp }, socket) =>
      rooms.join(socket, { slug, password, rtpCapabilities, forceTcp }, calls.statusOf(socket.data.user.id) !== null),
    'room:resume': ({ slug, token, consumerIds }, socket) => rooms.resume(socket, { slug, token, consumerIds }),
    'room:leave': async (_p, socket) => (await rooms.leave(socket, 'left'), done),

    'room:transport-connect': ({ transportId, dtlsParameters }, socket) =>
      forward(socket, async (room, peer) => (await room.node.request('transport:connect', { ...peer, transportId, dtlsParameters }), done)),
    'room:transport-restart-ice': ({ transportId }, socket) =>
      forward(socket, (room, peer) => room.node.request('transport:restart-ice', { ...peer, transportId })),

    'room:produce': ({ transportId, kind, rtpParameters, source, paused }, socket) =>
      forward(socket, (room, peer) =>
        room.node.request('producer:create', { ...peer, transportId, kind, rtpParameters, source, paused }),
      ),
    'room:producer-close': ({ producerId }, socket) =>
      forward(socket, async (room, peer) => (await room.node.request('producer:close', { ...peer, producerId }), done)),
    'room:producer-pause': ({ producerId }, socket) =>
      forward(socket, async (room, peer) => (await room.node.request('producer:pause', { ...peer, producerId }), done)),
    'room:producer-resume': ({ producerId }, socket) =>
      forward(socket, async (room, peer) => (await room.node.request('producer:resume', { ...peer, producerId }), done)),

    'room:consumer-resume': ({ consumerId }, socket) =>
      forward(socket, async (room, peer) => (await room.node.request('consumer:resume', { ...peer, consumerId }), done)),
    'room:consumer-pause': ({ consumerId }, socket) =>
      forward(socket, async (room, peer) => (await room.node.request('consumer:pause', { ...peer, consumerId }), done)),
    'room:consumer-layers': ({ consumerId, spatialLayer, temporalLayer }, socket) =>
      forward(socket, async (room, peer) => {
        await room.node.request('consumer:set-layers', { ...peer, consumerId, spatialLayer, temporalLayer });
        return done;
      }),

    'chat:send': async ({ clientId, text }, socket) => {
      const { room, me } = rooms.membership(socket);
      if (!chatLimit.take(me.user.id)) throw new ProtocolError(ErrorCode.RateLimited, 'You are sending messages too fast');
      // Acked only once stored: a message the sender saw acked is never lost.
      const message = await store.addMessage(room.id, me.user.id, clientId, text);
      socket.to(room.channel).emit('room:chat', { message });
      return { message };
    },

    'room:host-mute': async ({ userId }, socket) => {
      const { room, target } = hostAndTarget(rooms, socket, userId);
      const { producerId } = await room.node.request('producer:pause-source', { roomId: room.id, peerId: target.user.id, source: 'mic' });
      // The others see it through their consumers' state; the target is told who did it.
      if (producerId && target.socketId) io.to(target.socketId).emit('room:muted-by-host', { producerId, by: socket.data.user.name });
      return done;
    },
    'room:host-remove': async ({ userId }, socket) => {
      const { room, target } = hostAndTarget(rooms, socket, userId);
      await rooms.kick(room, target);
      return done;
    },
    'room:host-lock': async ({ locked }, socket) => {
      const { room } = host(rooms, socket);
      await rooms.setLocked(room, locked);
      return done;
    },
    'room:host-end': async (_p, socket) => {
      const { room } = host(rooms, socket);
      await rooms.end(room, 'ended-by-host');
      return done;
    },
  };
}

export function host(rooms: RoomRegistry, socket: IoSocket) {
  const m = rooms.membership(socket);
  if (!m.me.isHost) throw new ProtocolError(ErrorCode.Forbidden, 'Only the host can do that');
  return m;
}

function hostAndTarget(rooms: RoomRegistry, socket: IoSocket, userId: string) {
  const m = host(rooms, socket);
  const target = m.room.participants.get(userId);
  if (!target?.listed) throw new ProtocolError(ErrorCode.NotFound, 'That person is not in the room');
  if (target === m.me) throw new ProtocolError(ErrorCode.BadRequest, 'Use your own controls');
  return { ...m, target };
}
