/**
 * Socket handlers for the admin dashboard. Every one of them first checks that the sender is an
 * admin right now (AdminAccess reads the database), so a demoted or disabled admin's open tab is
 * refused with FORBIDDEN from the very next event.
 */
import type { AdminEvent } from '../../protocol';
import type { Handler, Handlers } from '../realtime/dispatch';
import type { AdminAccess } from './access';
import type { AdminActions } from './actions';
import type { AdminMonitor } from './AdminMonitor';

export function adminHandlers(access: AdminAccess, monitor: AdminMonitor, actions: AdminActions): Handlers {
  const adminOnly =
    <E extends AdminEvent>(handler: Handler<E>): Handler<E> =>
    async (payload, socket) => {
      await access.require(socket);
      return handler(payload, socket);
    };
  const done = {} as const;

  return {
    'admin:subscribe': adminOnly(async (_p, socket) => ({ snapshot: await monitor.subscribe(socket) })),
    'admin:unsubscribe': adminOnly((_p, socket) => (monitor.unsubscribe(socket), done)),
    'admin:end-room': adminOnly(async ({ roomId }, socket) => (await actions.endRoom(socket.data.user, roomId), done)),
    'admin:remove-participant': adminOnly(async ({ roomId, userId }, socket) => {
      await actions.removeParticipant(socket.data.user, roomId, userId);
      return done;
    }),
    'admin:end-call': adminOnly(async ({ callId }, socket) => (await actions.endCall(socket.data.user, callId), done)),
    'admin:set-disabled': adminOnly(async ({ userId, disabled, reason }, socket) => {
      await actions.setDisabled(socket.data.user, userId, disabled, reason);
      return done;
    }),
    'admin:set-role': adminOnly(
      async ({ userId, role }, socket) => (await actions.setRole(socket.data.user, userId, role), done),
    ),
  };
}
