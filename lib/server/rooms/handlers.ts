/**
 * Socket handlers for rooms. Every media request is checked against what the sender owns in its
 * room (LiveRoom) before it is forwarded to the room's SFU node, with the sender's identity taken
 * from the session, never from the message.
 */
import { ErrorCode, ProtocolError } from '../../protocol';
import type { CallRegistry } from '../calls/CallRegistry';
import { KeyedLimiter } from '../rateLimit';
import type { Handlers } from '../realtime/dispatch';
import type { IoServer } from '../realtime/types';
import type { RoomRegistry } from './RoomRegistry';
import type { RoomStore } from './roomStore';

/** Per peer: a send and a receive transport; one producer per source (camera, mic, screen). */
const MAX_TRANSPORTS = 2;
const MAX_CONSUMERS = 100;

export function roomHandlers(io: IoServer, rooms: RoomRegistry, store: RoomStore, calls: CallRegistry): Handlers {
  const chatLimit = new KeyedLimiter(5, 1);
  const createLimit = new KeyedLimiter(5, 5 / 60);

  return {
    'room:list': async () => ({ rooms: await rooms.list() }),
    'room:create': async ({ name, password }, socket) => {
      if (!createLimit.take(socket.data.user.id)) throw new ProtocolError(ErrorCode.RateLimited, 'Too many new rooms; wait a minute');
      return { room: await rooms.create(socket, name, password) };
    },
    'room:join': ({ slug, password }, socket) =>
      rooms.join(socket, slug, password, calls.statusOf(socket.data.user.id) !== null),
    'room:leave': async (_p, socket) => (await rooms.leave(socket, 'left'), {}),

    'room:transport-create': async ({ direction, forceTcp }, socket) => {
      const { room, me } = rooms.membership(socket);
      if (me.transports.size >= MAX_TRANSPORTS) throw new ProtocolError(ErrorCode.InvalidState, 'Too many transports');
      const params = await room.node.request('transport:create', { roomId: room.id, peerId: me.user.id, direction, forceTcp });
      me.transports.add(params.id);
      return params;
    },
    'room:transport-connect': async ({ transportId, dtlsParameters }, socket) => {
      const { room, me } = rooms.membership(socket);
      room.mustOwnTransport(me, transportId);
      await room.node.request('transport:connect', { roomId: room.id, peerId: me.user.id, transportId, dtlsParameters });
      return {};
    },
    'room:transport-restart-ice': async ({ transportId }, socket) => {
      const { room, me } = rooms.membership(socket);
      room.mustOwnTransport(me, transportId);
      return room.node.request('transport:restart-ice', { roomId: room.id, peerId: me.user.id, transportId });
    },

    'room:produce': async ({ transportId, kind, rtpParameters, source, paused }, socket) => {
      const { room, me } = rooms.membership(socket);
      room.mustOwnTransport(me, transportId);
      if ([...me.producers.values()].some((p) => p.source === source)) {
        throw new ProtocolError(ErrorCode.InvalidState, `You already share your ${source}`);
      }
      if ((source === 'mic') !== (kind === 'audio')) throw new ProtocolError(ErrorCode.BadRequest, `A ${source} cannot be ${kind}`);
      const { producerId } = await room.node.request('producer:create', {
        roomId: room.id,
        peerId: me.user.id,
        transportId,
        kind,
        rtpParameters,
        source,
        paused,
      });
      const producer = { producerId, userId: me.user.id, kind, source, paused };
      me.producers.set(producerId, producer);
      socket.to(room.channel).emit('room:producer-added', { producer });
      return { producerId };
    },
    'room:producer-close': async ({ producerId }, socket) => {
      const { room, me } = rooms.membership(socket);
      room.mustOwnProducer(me, producerId);
      me.producers.delete(producerId);
      await room.node.request('producer:close', { roomId: room.id, peerId: me.user.id, producerId });
      socket.to(room.channel).emit('room:producer-removed', { producerId });
      return {};
    },
    'room:producer-pause': async ({ producerId }, socket) => {
      const { room, me } = rooms.membership(socket);
      const producer = room.mustOwnProducer(me, producerId);
      await room.node.request('producer:pause', { roomId: room.id, peerId: me.user.id, producerId });
      producer.paused = true;
      socket.to(room.channel).emit('room:producer-state', { producerId, paused: true });
      return {};
    },
    'room:producer-resume': async ({ producerId }, socket) => {
      const { room, me } = rooms.membership(socket);
      const producer = room.mustOwnProducer(me, producerId);
      await room.node.request('producer:resume', { roomId: room.id, peerId: me.user.id, producerId });
      producer.paused = false;
      socket.to(room.channel).emit('room:producer-state', { producerId, paused: false });
      return {};
    },

    'room:consume': async ({ producerId, rtpCapabilities }, socket) => {
      const { room, me } = rooms.membership(socket);
      const owner = room.producerOwner(producerId);
      if (!owner) throw new ProtocolError(ErrorCode.NotFound, 'That stream is not in your room');
      if (owner === me) throw new ProtocolError(ErrorCode.BadRequest, 'You cannot consume your own stream');
      if (me.consumers.size >= MAX_CONSUMERS) throw new ProtocolError(ErrorCode.InvalidState, 'Too many streams');
      const consumer = await room.node.request('consumer:create', { roomId: room.id, peerId: me.user.id, producerId, rtpCapabilities });
      me.consumers.add(consumer.consumerId);
      return consumer;
    },
    'room:consumer-resume': async ({ consumerId }, socket) => consumerOp(rooms, socket, consumerId, 'consumer:resume'),
    'room:consumer-pause': async ({ consumerId }, socket) => consumerOp(rooms, socket, consumerId, 'consumer:pause'),
    'room:consumer-close': async ({ consumerId }, socket) => {
      const result = await consumerOp(rooms, socket, consumerId, 'consumer:close');
      rooms.membership(socket).me.consumers.delete(consumerId);
      return result;
    },
    'room:consumer-layers': async ({ consumerId, spatialLayer, temporalLayer }, socket) => {
      const { room, me } = rooms.membership(socket);
      room.mustOwnConsumer(me, consumerId);
      await room.node.request('consumer:set-layers', { roomId: room.id, peerId: me.user.id, consumerId, spatialLayer, temporalLayer });
      return {};
    },

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
      for (const producer of target.producers.values()) {
        if (producer.source !== 'mic' || producer.paused) continue;
        await room.node.request('producer:pause', { roomId: room.id, peerId: target.user.id, producerId: producer.producerId });
        producer.paused = true;
        io.to(room.channel).emit('room:producer-state', { producerId: producer.producerId, paused: true });
        io.to(target.socketId).emit('room:muted-by-host', { producerId: producer.producerId, by: socket.data.user.name });
      }
      return {};
    },
    'room:host-remove': async ({ userId }, socket) => {
      const { room, target } = hostAndTarget(rooms, socket, userId);
      await rooms.kick(room, target);
      return {};
    },
    'room:host-lock': async ({ locked }, socket) => {
      const { room } = host(rooms, socket);
      await rooms.setLocked(room, locked);
      return {};
    },
    'room:host-end': async (_p, socket) => {
      const { room } = host(rooms, socket);
      await rooms.end(room, 'ended-by-host');
      return {};
    },
  };
}

async function consumerOp(
  rooms: RoomRegistry,
  socket: Parameters<RoomRegistry['membership']>[0],
  consumerId: string,
  method: 'consumer:resume' | 'consumer:pause' | 'consumer:close',
) {
  const { room, me } = rooms.membership(socket);
  room.mustOwnConsumer(me, consumerId);
  await room.node.request(method, { roomId: room.id, peerId: me.user.id, consumerId });
  return {};
}

function host(rooms: RoomRegistry, socket: Parameters<RoomRegistry['membership']>[0]) {
  const m = rooms.membership(socket);
  if (!m.me.isHost) throw new ProtocolError(ErrorCode.Forbidden, 'Only the host can do that');
  return m;
}

function hostAndTarget(rooms: RoomRegistry, socket: Parameters<RoomRegistry['membership']>[0], userId: string) {
  const m = host(rooms, socket);
  const target = m.room.participants.get(userId);
  if (!target) throw new ProtocolError(ErrorCode.NotFound, 'That person is not in the room');
  if (target === m.me) throw new ProtocolError(ErrorCode.BadRequest, 'Use your own controls');
  return { ...m, target };
}
