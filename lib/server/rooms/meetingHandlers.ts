/**
 * Socket handlers for what a meeting shares besides media: raised hands, reactions and the host's
 * spotlight. Who acts is taken from the session; targets must be in the room.
 */
import { ErrorCode, ProtocolError } from '../../protocol';
import { KeyedLimiter } from '../rateLimit';
import type { Handlers } from '../realtime/dispatch';
import { host } from './handlers';
import type { LiveRoom } from './LiveRoom';
import type { RoomRegistry } from './RoomRegistry';

const done = {} as Record<string, never>;

function participant(room: LiveRoom, userId: string) {
  if (!room.participants.get(userId)?.listed) throw new ProtocolError(ErrorCode.NotFound, 'That person is not in the room');
}

export function meetingHandlers(rooms: RoomRegistry): Handlers {
  // A burst of 5 reactions, then one every 2 s: enough to cheer, not enough to cover the screen.
  const reactionLimit = new KeyedLimiter(5, 0.5);
  // Hands up and down: a burst of 6, then one every 2 s.
  const handLimit = new KeyedLimiter(6, 0.5);

  // Knocks: a burst of 5, then one every 12 s (a page knocks again after each reconnect).
  const knockLimit = new KeyedLimiter(5, 1 / 12);

  return {
    'room:knock': async ({ slug, password }, socket) => {
      if (!knockLimit.take(socket.data.user.id)) throw new ProtocolError(ErrorCode.RateLimited, 'Too many knocks; wait a minute');
      return rooms.knock(socket, slug, password);
    },
    'room:knock-cancel': async ({ slug }, socket) => {
      const id = await rooms.idOf(slug);
      if (id) rooms.waiting.cancel(id, socket.data.user.id);
      return done;
    },
    'room:host-admit': async ({ userId }, socket) => {
      const { room } = host(rooms, socket);
      if (!rooms.waiting.admit(room.id, userId)) throw new ProtocolError(ErrorCode.NotFound, 'That person is not waiting');
      return done;
    },
    'room:host-deny': async ({ userId }, socket) => {
      const { room } = host(rooms, socket);
      if (!rooms.waiting.deny(room.id, userId)) throw new ProtocolError(ErrorCode.NotFound, 'That person is not waiting');
      return done;
    },
    'room:host-admit-all': async (_p, socket) => {
      const { room } = host(rooms, socket);
      return { admitted: rooms.waiting.admitAll(room.id) };
    },
    'room:host-waiting-room': async ({ enabled }, socket) => {
      const { room } = host(rooms, socket);
      await rooms.setWaitingRoom(room, enabled);
      return done;
    },
    'room:hand': async ({ raised }, socket) => {
      const { room, me } = rooms.membership(socket);
      if (!handLimit.take(me.user.id)) throw new ProtocolError(ErrorCode.RateLimited, 'Slow down with the hand');
      rooms.meetingChanged(room, room.meeting.setHand(me.user.id, raised));
      return done;
    },
    'room:react': async ({ reaction }, socket) => {
      const { room, me } = rooms.membership(socket);
      if (!reactionLimit.take(me.user.id)) throw new ProtocolError(ErrorCode.RateLimited, 'Too many reactions; wait a moment');
      socket.nsp.to(room.channel).emit('room:reaction', { userId: me.user.id, reaction });
      return done;
    },
    'room:host-lower-hand': async ({ userId }, socket) => {
      const { room } = host(rooms, socket);
      participant(room, userId);
      rooms.meetingChanged(room, room.meeting.setHand(userId, false));
      return done;
    },
    'room:host-spotlight': async ({ userId }, socket) => {
      const { room } = host(rooms, socket);
      if (userId) participant(room, userId);
      rooms.meetingChanged(room, room.meeting.spotlight(userId));
      return done;
    },
  };
}
