/**
 * SFU node configuration, parsed once from the environment with zod. A bad value stops the node
 * with a message naming the variable, before any worker is spawned or any port is bound.
 *
 * Addresses: media sockets bind SFU_LISTEN_IP. ICE candidates must carry an address browsers can
 * reach, so a wildcard bind (0.0.0.0 / ::) needs SFU_ANNOUNCED_IP (the public or LAN address, or
 * the NAT's external address); announcing a wildcard would give browsers an unusable candidate.
 * The default, `auto`, is the machine's primary interface (sfu/address.ts): browsers on this machine
 * and on its LAN reach it, Firefox included (it never pairs with 127.0.0.1). 127.0.0.1 is the
 * loopback-only mode, for tests.
 *
 * Ports: each worker owns one WebRtcServer holding ONE UDP and ONE TCP port, picked by mediasoup
 * from SFU_RTC_MIN_PORT..SFU_RTC_MAX_PORT. Every WebRtcTransport of that worker shares them
 * (demultiplexed by ICE username), so a node uses 2 × SFU_WORKERS ports however many peers join.
 * Open the whole range (UDP and TCP) in the firewall: a replacement worker may pick another port.
 *
 * RPC: plain WebSocket (socket.io) authenticated by SFU_SECRET. Keep it on loopback or a private
 * network, or put TLS in front of it; it is never meant to face browsers.
 */
import os from 'node:os';
import { z } from 'zod';
import { pickSystemListenAddress } from './address';

const ip = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' });
const port = (fallback: number, min = 1) => z.coerce.number().int().min(min).max(65535).default(fallback);
const isWildcard = (address: string) => address === '0.0.0.0' || address === '::';

export const sfuConfigSchema = z
  .object({
    /** Address the media sockets (UDP/TCP) bind to; `auto`: the primary interface's. */
    SFU_LISTEN_IP: z.union([z.literal('auto'), ip], { error: 'must be auto, or an IPv4 or IPv6 address' }).default('auto'),
    /** Address put in ICE candidates; required when SFU_LISTEN_IP is a wildcard. */
    SFU_ANNOUNCED_IP: ip.optional(),
    SFU_RTC_MIN_PORT: port(40000, 1024),
    SFU_RTC_MAX_PORT: port(40999, 1024),
    /** mediasoup workers (one process each, single-threaded): one per core by default. */
    SFU_WORKERS: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
    /** Where the web process connects. 0 picks a free port (tests). */
    SFU_RPC_HOST: z.string().min(1).default('127.0.0.1'),
    SFU_RPC_PORT: port(4100, 0),
    /** PEM files of a certificate (chain) and its key: the RPC is served over TLS (set both). */
    SFU_TLS_CERT: z.string().min(1).optional(),
    SFU_TLS_KEY: z.string().min(1).optional(),
    /** Shared with the web process; the RPC handshake must present it. */
    SFU_SECRET: z.string().min(16, 'must be at least 16 characters'),
    /**
     * With no web process connected for this long, every room is closed: its controller is gone
     * (crashed or redeployed) and nobody could ever close them. 0 disables the reaper.
     */
    SFU_ORPHAN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
    /** mediasoup-worker binary; defaults to the cached build (scripts/mediasoup-worker/ensure.mjs). */
    MEDIASOUP_WORKER_BIN: z.string().min(1).optional(),
    /** The C++ workers' own log level (their logs are forwarded to LOG_LEVEL's logger). */
    SFU_WORKER_LOG_LEVEL: z.enum(['debug', 'warn', 'error', 'none']).default('warn'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((c) => !isWildcard(c.SFU_LISTEN_IP) || c.SFU_ANNOUNCED_IP, {
    message: 'SFU_LISTEN_IP is a wildcard: set SFU_ANNOUNCED_IP to the address browsers should reach',
    path: ['SFU_ANNOUNCED_IP'],
  })
  .refine((c) => !c.SFU_ANNOUNCED_IP || !isWildcard(c.SFU_ANNOUNCED_IP), {
    message: 'must be a reachable address, not a wildcard',
    path: ['SFU_ANNOUNCED_IP'],
  })
  .refine((c) => !c.SFU_TLS_CERT === !c.SFU_TLS_KEY, {
    message: 'set both SFU_TLS_CERT and SFU_TLS_KEY, or neither',
    path: ['SFU_TLS_KEY'],
  })
  .refine((c) => c.SFU_RTC_MIN_PORT <= c.SFU_RTC_MAX_PORT, {
    message: 'must not be below SFU_RTC_MIN_PORT',
    path: ['SFU_RTC_MAX_PORT'],
  })
  .refine((c) => c.SFU_RTC_MAX_PORT - c.SFU_RTC_MIN_PORT + 1 >= c.SFU_WORKERS, {
    message: 'the RTC port range needs at least one port per worker (each worker binds one UDP and one TCP port)',
    path: ['SFU_RTC_MAX_PORT'],
  })
  .transform(({ SFU_LISTEN_IP, ...c }) => {
    const picked = SFU_LISTEN_IP === 'auto' ? pickSystemListenAddress() : { ip: SFU_LISTEN_IP, source: 'SFU_LISTEN_IP' };
    return { ...c, SFU_LISTEN_IP: picked.ip, listenSource: picked.source };
  });

export type SfuConfig = z.output<typeof sfuConfigSchema>;

export function parseSfuConfig(source: Record<string, string | undefined> = process.env): SfuConfig {
  const result = sfuConfigSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`Invalid SFU configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** What is safe to log: everything but the secret. */
export function describeSfuConfig(c: SfuConfig) {
  const { SFU_SECRET: _secret, ...rest } = c;
  return rest;
}
