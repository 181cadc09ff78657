/**
 * Accounts and sessions, via better-auth: email + password, DB-backed sessions, hashed passwords
 * (scrypt), rate-limited sign-in, and the admin plugin's roles ('user' | 'admin') and bans.
 */
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { APIError } from 'better-auth/api';
import { admin } from 'better-auth/plugins';
import type { Db } from './db';
import { checkDisplayName, displayNameKey, displayNameSkeleton, normalizeDisplayName } from './displayName';
import type { Env } from './env';

/** The server sets this header from the TCP peer (or a trusted proxy); clients cannot forge it. */
export const CLIENT_IP_HEADER = 'x-confab-client-ip';

export interface AuthOptions {
  db: Db;
  env: Env;
  secret: string;
  provider: 'sqlite' | 'postgresql';
}

export function createAuth({ db, env, secret, provider }: AuthOptions) {
  async function withNameKey<T extends { name?: unknown }>(data: T, userId?: string) {
    if (typeof data.name !== 'string') return data;
    const name = normalizeDisplayName(data.name);
    const problem = checkDisplayName(name);
    if (problem) throw new APIError('BAD_REQUEST', { message: problem, code: 'INVALID_DISPLAY_NAME' });
    const nameKey = displayNameKey(name);
    const nameSkeleton = displayNameSkeleton(name);
    const clash = await db.user.findFirst({ where: { OR: [{ nameKey }, { nameSkeleton }] }, select: { id: true } });
    if (clash && clash.id !== userId) {
      throw new APIError('BAD_REQUEST', {
        message: 'That display name is taken, or looks too much like one that is',
        code: 'DISPLAY_NAME_TAKEN',
      });
    }
    return { ...data, name, nameKey, nameSkeleton };
  }

  return betterAuth({
    secret,
    // Without PUBLIC_URL, the origin comes from each request (localhost, a LAN name…); fine here
    // because Confab sends no e-mail links that an injected Host header could poison.
    baseURL: env.PUBLIC_URL ?? { allowedHosts: ['*'], protocol: 'auto', fallback: `http://localhost:${env.PORT}` },
    trustedOrigins: env.TRUSTED_ORIGINS,
    database: prismaAdapter(db, { provider }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    user: {
      additionalFields: {
        nameKey: { type: 'string', required: false, input: false },
        nameSkeleton: { type: 'string', required: false, input: false },
      },
    },
    databaseHooks: {
      user: {
        create: { before: async (user) => ({ data: await withNameKey(user) }) },
        update: { before: async (user, ctx) => ({ data: await withNameKey(user, ctx?.context.session?.user.id) }) },
      },
    },
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 100,
      customRules: {
        // Counted per account and address, failures only, in lib/server/http/authRoute.ts.
        '/sign-in/email': false,
        '/sign-up/email': { window: 60, max: env.SIGNUP_RATE_LIMIT },
      },
    },
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] } },
    telemetry: { enabled: false },
    plugins: [admin({ defaultRole: 'user', adminRoles: ['admin'] })],
  });
}

export type Auth = ReturnType<typeof createAuth>;
export type AuthSession = NonNullable<Awaited<ReturnType<Auth['api']['getSession']>>>;
