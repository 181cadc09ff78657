import crypto from 'node:crypto';
import type { IceConfig, IceServer } from '../protocol';
import type { Env } from './env';

/**
 * ICE servers for one user. TURN credentials follow coturn's `use-auth-secret` scheme (the TURN REST
 * API draft): username = "<expiry unix seconds>:<userId>", credential = base64(HMAC-SHA1(secret,
 * username)). They expire on their own, so no secret ever reaches the browser.
 */
export function iceServersFor(
  userId: string,
  env: Pick<Env, 'STUN_URLS' | 'TURN_URLS' | 'TURN_SECRET' | 'TURN_TTL_SECONDS'>,
  now = Date.now(),
): IceServer[] {
  const servers: IceServer[] = [];
  if (env.STUN_URLS.length) servers.push({ urls: env.STUN_URLS });
  if (env.TURN_URLS.length && env.TURN_SECRET) {
    const username = `${Math.floor(now / 1000) + env.TURN_TTL_SECONDS}:${userId}`;
    const credential = crypto.createHmac('sha1', env.TURN_SECRET).update(username).digest('base64');
    servers.push({ urls: env.TURN_URLS, username, credential });
  }
  return servers;
}

/** The answer to `ice:config`: the user's ICE servers and the organisation's transport policy. */
export function iceConfigFor(userId: string, env: Parameters<typeof iceServersFor>[1] & Pick<Env, 'ICE_TRANSPORT_POLICY'>): IceConfig {
  return { iceServers: iceServersFor(userId, env), iceTransportPolicy: env.ICE_TRANSPORT_POLICY };
}
