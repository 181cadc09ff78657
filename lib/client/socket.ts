/**
 * The browser's one socket.io connection to the web process, authenticated by the session cookie.
 * `request()` turns an ack into a resolved value or a thrown RequestError with the server's code.
 */
import { io, type Socket } from 'socket.io-client';
import {
  ErrorCode,
  type ClientToServerEvents,
  type InboundEvent,
  type InboundInput,
  type InboundResults,
  type ServerToClientEvents,
} from '../protocol';

export type ConfabSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: ConfabSocket | null = null;

export function getSocket(): ConfabSocket {
  // Retries at most 2 s apart (±50 %): a dropped Wi-Fi link that comes back resumes the seat or call within
  // about a second of it, not after socket.io's default 5 s backoff.
  socket ??= io({ withCredentials: true, reconnectionDelay: 500, reconnectionDelayMax: 2000 });
  return socket;
}

/** Drop the connection (sign-out): the next getSocket() makes a fresh, re-authenticated one. */
export function closeSocket() {
  socket?.disconnect();
  socket = null;
}

export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export async function request<E extends InboundEvent>(
  event: E,
  payload: InboundInput<E>,
  timeoutMs = 10_000,
): Promise<InboundResults[E]> {
  const s = getSocket() as unknown as Socket;
  let ack: { ok: true; data: InboundResults[E] } | { ok: false; error: { code: string; message: string } };
  try {
    ack = await s.timeout(timeoutMs).emitWithAck(event, payload);
  } catch {
    throw new RequestError(ErrorCode.Internal, 'The server did not answer in time. Check your connection.');
  }
  if (!ack.ok) throw new RequestError(ack.error.code, ack.error.message);
  return ack.data;
}

let checking: Promise<void> | null = null;

/**
 * Makes sure the socket is alive, when something suggests it may not be (the media just stalled:
 * often the network changed under a connection that still looks open, and socket.io would notice
 * only at its next missed heartbeat, up to 15 s later). One quick round trip; no answer within
 * `timeoutMs` and the connection is replaced by a fresh one, whose reconnect resumes the call or
 * seat. A socket already reconnecting is left to it.
 */
export function checkConnection(timeoutMs = 1500): Promise<void> {
  const s = getSocket() as unknown as Socket;
  if (!s.connected) return Promise.resolve();
  checking ??= s
    .timeout(timeoutMs)
    .emitWithAck('session:ping', {})
    .then(
      () => undefined,
      () => {
        if (socket !== (s as unknown as ConfabSocket)) return; // signed out meanwhile
        console.warn('[confab] the server connection stopped answering; reconnecting');
        s.disconnect().connect();
      },
    )
    .finally(() => (checking = null));
  return checking;
}
