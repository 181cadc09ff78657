import type { IncomingMessage } from 'node:http';
import { fromNodeHeaders } from 'better-auth/node';
import { ErrorCode } from '../../protocol';
import type { Auth } from '../auth';
import { requestOrigin } from '../http/proxy';
import type { Logger } from '../logger';
import type { IoServer } from './types';

function refusal(code: string, message: string) {
  return Object.assign(new Error(message), { data: { code, message } });
}

/**
 * The socket.io handshake authenticates with the same session cookie as the pages. No session, a
 * banned account, or a foreign Origin: the connection is refused with a typed `connect_error`.
 */
export function authenticateSockets(io: IoServer, auth: Auth, trustedOrigins: string[], proxyHops: number, log: Logger) {
  io.use(async (socket, next) => {
    const req = socket.request;
    if (!originAllowed(req, trustedOrigins, proxyHops)) {
      return next(refusal(ErrorCode.Forbidden, 'Cross-site connection refused'));
    }
    try {
      const session = await auth.api.getSession({ headers: fromNodeHeaders(req.headers) });
      if (!session) return next(refusal(ErrorCode.Unauthorized, 'Sign in to connect'));
      if (session.user.banned) return next(refusal(ErrorCode.Forbidden, 'This account is disabled'));
      socket.data.user = {
        id: session.user.id,
        name: session.user.name,
        role: session.user.role === 'admin' ? 'admin' : 'user',
      };
      socket.data.sessionId = session.session.id;
      next();
    } catch (err) {
      log.error({ err }, 'socket authentication failed');
      next(refusal(ErrorCode.Internal, 'Authentication failed'));
    }
  });
}

/**
 * Browsers always send Origin on WebSocket/XHR; it must be this site, scheme included (an
 * `https://` page is another origin than the `http://` one). Non-browser clients send none.
 */
function originAllowed(req: IncomingMessage, trusted: string[], proxyHops: number): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (trusted.includes(origin)) return true;
  try {
    return new URL(origin).origin === requestOrigin(req, proxyHops);
  } catch {
    return false;
  }
}
