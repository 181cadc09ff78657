import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents } from '../../protocol';

export interface SocketUser {
  id: string;
  name: string;
  role: 'user' | 'admin';
}

export interface SocketData {
  user: SocketUser;
  /** better-auth session id, so a revoked session can drop its sockets. */
  sessionId: string;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Socket.io room names used for targeting. */
export const rooms = {
  /** Every authenticated socket: receives presence diffs. */
  presence: 'presence',
  user: (userId: string) => `user:${userId}`,
  /** Every socket opened with one auth session: dropped together when it ends. */
  session: (sessionId: string) => `session:${sessionId}`,
};
