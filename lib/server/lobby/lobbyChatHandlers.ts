/**
 * Socket handlers of the lobby chat. Who speaks and whose conversations are read always come from
 * the session; a direct conversation is named by the other user's id, and the store builds the key
 * from both ids, so no payload can reach a conversation its sender is not part of.
 */
import { ErrorCode, ProtocolError } from '../../protocol';
import type { Db } from '../db';
import { KeyedLimiter } from '../rateLimit';
import type { Handlers } from '../realtime/dispatch';
import { rooms, type IoServer } from '../realtime/types';
import type { LobbyChatStore } from './lobbyChatStore';

export function lobbyChatHandlers(io: IoServer, db: Db, store: LobbyChatStore): Handlers {
  // A burst of 10 messages, then one a second: a conversation, not a flood.
  const sendLimit = new KeyedLimiter(10, 1);
  // History pages and read marks: generous, but bounded.
  const readLimit = new KeyedLimiter(30, 5);

  const otherUser = async (me: string, other: string | null) => {
    if (other === null) return;
    if (other === me) throw new ProtocolError(ErrorCode.BadRequest, 'You cannot message yourself');
    const exists = await db.user.findUnique({ where: { id: other }, select: { id: true } });
    if (!exists) throw new ProtocolError(ErrorCode.NotFound, 'No such user');
  };

  return {
    'lobby:chat-send': async ({ to, clientId, text }, socket) => {
      const me = socket.data.user.id;
      if (!sendLimit.take(me)) throw new ProtocolError(ErrorCode.RateLimited, 'You are sending messages too fast');
      await otherUser(me, to);
      // Acked only once stored; a retry of a stored message is answered, not broadcast again.
      const { message, fresh } = await store.add(me, to, clientId, text);
      if (fresh) {
        const target = to === null ? io.to(rooms.presence) : io.to([rooms.user(me), rooms.user(to)]);
        target.except(socket.id).emit('lobby:chat', { message });
      }
      return { message };
    },
    'lobby:chat-history': async ({ with: other, before }, socket) => {
      const me = socket.data.user.id;
      if (!readLimit.take(me)) throw new ProtocolError(ErrorCode.RateLimited, 'Slow down');
      await otherUser(me, other);
      return store.history(me, other, before);
    },
    'lobby:chat-read': async ({ with: other }, socket) => {
      const me = socket.data.user.id;
      if (!readLimit.take(me)) throw new ProtocolError(ErrorCode.RateLimited, 'Slow down');
      await otherUser(me, other);
      await store.markRead(me, other);
      return {};
    },
    'lobby:conversations': async (_p, socket) => {
      const me = socket.data.user.id;
      if (!readLimit.take(me)) throw new ProtocolError(ErrorCode.RateLimited, 'Slow down');
      return { conversations: await store.conversations(me) };
    },
  };
}
