/** IPC between the presence benchmark and its client processes (bench/presence/clients.ts). */
export type ToClients =
  | { type: 'connect'; url: string; cookieName: string; cookies: string[]; concurrency: number }
  | { type: 'count' }
  | { type: 'watch'; userId: string }
  | { type: 'close' };

export type FromClients =
  | { type: 'connected'; sockets: number; failed: number; firstError?: string }
  /** `presence:diffs` messages and the `joined` diffs in them received so far, and sockets the server dropped. */
  | { type: 'count'; messages: number; joined: number; dropped: number }
  | { type: 'watching'; userId: string }
  /** When each of this process's sockets received the `joined` diff of userId (epoch ms, sub-ms). */
  | { type: 'arrivals'; userId: string; times: number[] };
