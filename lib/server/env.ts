/**
 * Process configuration, parsed once at start-up with zod. Every knob is documented in README.md.
 * A bad value stops the process with a message naming the variable, before anything listens.
 */
import path from 'node:path';
import { z } from 'zod';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

const csv = z
  .string()
  .optional()
  .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean));
const ms = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Listen address; unset = every interface, IPv4 and IPv6 (so `localhost` works either way). */
    HOST: z.string().optional(),
    /** Public origin users open in their browser; used by auth for redirects and origin checks. */
    PUBLIC_URL: z.url().optional(),
    /** Extra origins allowed to call the auth API (comma-separated), e.g. a LAN address. */
    TRUSTED_ORIGINS: csv,
    /**
     * How many reverse proxies stand in front of Confab (0: none). Only that many rightmost
     * X-Forwarded-For entries, and the nearest X-Forwarded-Proto, are believed. `true` means 1.
     */
    TRUST_PROXY: z.preprocess(
      (v) => (v === undefined || v === '' || v === 'false' ? 0 : v === 'true' ? 1 : v),
      z.coerce.number().int().min(0).max(10),
    ),
    DATABASE_URL: z.string().default(`file:${path.join(repoRoot, 'data', 'confab.db')}`),
    /** Where Confab keeps its own files: the generated auth secret and admin password. */
    DATA_DIR: z.string().min(1).default(path.join(repoRoot, 'data')),
    /** Signs session cookies. Generated once into data/auth-secret when unset. */
    AUTH_SECRET: z.string().min(32).optional(),
    ADMIN_EMAIL: z.email().default('admin@confab.local'),
    ADMIN_PASSWORD: z.string().min(8).optional(),
    ADMIN_NAME: z.string().min(1).max(40).default('Admin'),
    STUN_URLS: csv,
    TURN_URLS: csv,
    /** coturn `static-auth-secret`: per-user TURN credentials are minted from it. */
    TURN_SECRET: z.string().min(8).optional(),
    TURN_TTL_SECONDS: z.coerce.number().int().min(60).default(6 * 3600),
    /** `relay`: browsers may only connect through TURN (calls and rooms alike), never directly. */
    ICE_TRANSPORT_POLICY: z.enum(['all', 'relay']).default('all'),
    CALL_RING_TIMEOUT_MS: ms(30_000),
    CALL_RECONNECT_GRACE_MS: ms(10_000),
    /** How long a room seat is kept for a participant whose connection dropped. */
    ROOM_RESUME_GRACE_MS: ms(15_000),
    /** How many remote videos a room page renders at once; the others show as avatars, not forwarded. */
    /** Rooms with no meeting for this many days drop off the lobby's list (their host still sees them). */
    ROOM_ARCHIVE_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    ROOM_MAX_VISIBLE_VIDEOS: z.coerce.number().int().min(1).max(49).default(16),
    /** After a crash or restart of the web process, its answered calls may be resumed this long. */
    CALL_RESTART_RESUME_MS: ms(120_000),
    /** How long a user stays "online" after their last tab closed (hides page reloads). */
    PRESENCE_LINGER_MS: ms(2_000),
    /** Lobby changes that follow one another within this window go out as one message (0: batching off). */
    PRESENCE_BATCH_MS: ms(100),
    /** Failed sign-ins per account and client address per window. */
    SIGNIN_RATE_LIMIT: z.coerce.number().int().min(1).default(5),
    /** Failed sign-ins per client address (any account) per window. */
    SIGNIN_ADDRESS_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
    SIGNIN_RATE_WINDOW_S: z.coerce.number().int().min(1).default(60),
    /** Account creations per client address per minute. */
    SIGNUP_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
    CALL_INVITE_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
    /** Remote SFU nodes (comma-separated http://host:port). Unset: one local node is spawned. */
    SFU_URLS: csv,
    /** Shared secret of the remote SFU nodes (their SFU_SECRET). */
    SFU_SECRET: z.string().min(16).optional(),
    /** PEM file of the CA (or the self-signed certificate) that https:// SFU nodes are verified with. */
    SFU_TLS_CA: z.string().min(1).optional(),
    /**
     * Bearer token for GET /metrics. Unset: /metrics answers only requests from this machine
     * (loopback, no proxy headers).
     */
    METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16).optional()),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((e) => e.SFU_URLS.length === 0 || e.SFU_SECRET, {
    message: 'SFU_URLS needs SFU_SECRET (the nodes\' shared secret)',
    path: ['SFU_SECRET'],
  })
  .refine((e) => e.ICE_TRANSPORT_POLICY === 'all' || e.TURN_URLS.length > 0, {
    message: 'relay needs TURN_URLS (and TURN_SECRET): there is nothing else to connect through',
    path: ['ICE_TRANSPORT_POLICY'],
  })
  .refine((e) => e.TURN_URLS.length === 0 || e.TURN_SECRET, {
    message: 'TURN_URLS needs TURN_SECRET (coturn use-auth-secret)',
    path: ['TURN_SECRET'],
  });

export type Env = z.output<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

export const publicUrl = (env: Env) => env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
