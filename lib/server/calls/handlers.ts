import { ErrorCode, ProtocolError } from '../../protocol';
import { KeyedLimiter } from '../rateLimit';
import type { Handlers } from '../realtime/dispatch';
import type { CallRegistry } from './CallRegistry';

/** Socket handlers for 1:1 calls. Identity always comes from socket.data (the session). */
export function callHandlers(calls: CallRegistry, invitesPerMinute: number): Handlers {
  const invites = new KeyedLimiter(invitesPerMinute, invitesPerMinute / 60);
  // Browsers report every 3 s; a burst of 3 absorbs a reconnect, anything faster is refused.
  const statsReports = new KeyedLimiter(3, 1 / 2);
  return {
    'call:invite': ({ calleeId }, socket) => {
      if (!invites.take(socket.data.user.id)) {
        throw new ProtocolError(ErrorCode.RateLimited, 'Too many calls in a short time; wait a minute');
      }
      return { call: calls.invite(socket, calleeId) };
    },
    'call:accept': ({ callId }, socket) => ({ call: calls.accept(socket, callId) }),
    'call:decline': ({ callId }, socket) => (calls.decline(socket, callId), {}),
    'call:cancel': ({ callId }, socket) => (calls.cancel(socket, callId), {}),
    'call:hangup': ({ callId, reason }, socket) => (calls.hangup(socket, callId, reason), {}),
    'call:resume': ({ callId, fresh }, socket) => calls.resume(socket, callId, fresh),
    'call:signal': ({ callId, signal }, socket) => (calls.signal(socket, callId, signal), {}),
    'call:media': ({ callId, audio, video }, socket) => (calls.media(socket, callId, { audio, video }), {}),
    'call:stats': ({ callId, stats }, socket) => {
      if (!statsReports.take(socket.data.user.id)) {
        throw new ProtocolError(ErrorCode.RateLimited, 'Stats reported too often');
      }
      calls.reportStats(socket, callId, stats);
      return {};
    },
  };
}
