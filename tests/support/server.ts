/**
 * A real Confab web process for integration tests: real HTTP, real socket.io, real better-auth and
 * a real SQLite database (a fresh copy of the migrated template), on port 0. No Next.js.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { io as connect } from 'socket.io-client';
import { inject } from 'vitest';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '@/lib/protocol';
import { startConfab, type Confab } from '@/lib/server/app';
import { parseEnv } from '@/lib/server/env';
import type { Socket } from 'socket.io-client';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests send and listen to anything
type UntypedSocket = Socket<any, any>;

export interface TestUser {
  id: string;
  name: string;
  email: string;
  cookie: string;
}

export interface TestServer extends Confab {
  dir: string;
  signUp(name: string, opts?: { email?: string; password?: string }): Promise<TestUser>;
  connect(user: TestUser | null, opts?: { cookie?: string; origin?: string }): Promise<TestSocket>;
  stop(): Promise<void>;
}

export async function startTestServer(
  env: Record<string, string> = {},
  opts: { sfu?: { url: string; secret: string }[] } = {},
): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'confab-it-'));
  const dbFile = path.join(dir, 'confab.db');
  fs.copyFileSync(inject('templateDb'), dbFile);
  const parsed = parseEnv({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${dbFile}`,
    AUTH_SECRET: 'integration-test-secret-0123456789abcdef',
    ADMIN_EMAIL: 'admin@test.local',
    ADMIN_PASSWORD: 'admin-password-1',
    PRESENCE_LINGER_MS: '0',
    SIGNUP_RATE_LIMIT: '10000',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const confab = await startConfab({ env: parsed, log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), sfu: opts.sfu });
  await Promise.all(confab.sfuClients.map((c) => c.waitConnected(10_000)));
  const sockets = new Set<TestSocket>();
  let counter = 0;

  async function signUp(name: string, opts: { email?: string; password?: string } = {}): Promise<TestUser> {
    const email = opts.email ?? `${name.toLowerCase().replace(/\W/g, '')}.${++counter}.${Date.now()}@test.local`;
    const res = await fetch(`${confab.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: opts.password ?? 'correct-horse-battery', name }),
    });
    const body = (await res.json()) as { user?: { id: string; name: string }; message?: string };
    if (!res.ok || !body.user) throw new Error(`sign-up failed (${res.status}): ${body.message}`);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { id: body.user.id, name: body.user.name, email, cookie };
  }

  function connectSocket(user: TestUser | null, opts: { cookie?: string; origin?: string } = {}): Promise<TestSocket> {
    const cookie = opts.cookie ?? user?.cookie;
    const socket: TestSocket = connect(confab.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { ...(cookie ? { cookie } : {}), ...(opts.origin ? { origin: opts.origin } : {}) },
    });
    sockets.add(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (err) => reject(err));
    });
  }

  return {
    ...confab,
    dir,
    signUp,
    connect: connectSocket,
    async stop() {
      for (const s of sockets) s.disconnect();
      await confab.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Emit with an ack and return the ack (typed loosely: tests also send malformed things). */
export function ask<T = unknown>(socket: TestSocket, event: string, payload: unknown, timeoutMs = 5000): Promise<Ack<T>> {
  return (socket as unknown as UntypedSocket).timeout(timeoutMs).emitWithAck(event, payload);
}

/** Resolves with the next payload of `event` on `socket`. */
export function next<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), timeoutMs);
    (socket as unknown as UntypedSocket).once(event as string, (payload: never) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** Collects every payload of `event` from now on. */
export function record<E extends keyof ServerToClientEvents>(socket: TestSocket, event: E) {
  const seen: Array<Parameters<ServerToClientEvents[E]>[0]> = [];
  (socket as unknown as UntypedSocket).on(event as string, (payload: never) => seen.push(payload));
  return seen;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
