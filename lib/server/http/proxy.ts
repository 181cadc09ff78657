/**
 * What a request says about its client, read only as far as the configured reverse proxies vouch
 * for it. `hops` is TRUST_PROXY: how many proxies stand in front of Confab (0: none, so every
 * forwarding header is the client's own invention and is ignored).
 *
 * X-Forwarded-For is appended to by each proxy, so only its rightmost `hops` entries (counting the
 * TCP peer as the last) were written by proxies we trust; anything further left came from the
 * client. Taking the leftmost entry, as Confab once did, let a client pick its own address and so
 * walk around every per-address rate limit.
 */
import type { IncomingMessage } from 'node:http';

type Req = Pick<IncomingMessage, 'headers'> & { socket: { remoteAddress?: string; encrypted?: boolean } };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(',') : (value ?? ''));

export function clientAddress(req: Req, hops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (hops <= 0) return peer;
  const chain = first(req.headers['x-forwarded-for'])
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const addresses = [...chain, peer];
  // addresses.at(-1) is the nearest proxy; each trusted hop vouches for the entry to its left.
  return addresses[Math.max(0, addresses.length - 1 - hops)] ?? peer;
}

/** `https` when the connection is TLS, or when a trusted proxy says the client's was. */
export function requestProtocol(req: Req, hops: number): 'http' | 'https' {
  if (req.socket.encrypted) return 'https';
  if (hops <= 0) return 'http';
  // The nearest proxy's value is the rightmost one.
  const proto = first(req.headers['x-forwarded-proto']).split(',').at(-1)?.trim().toLowerCase();
  return proto === 'https' ? 'https' : 'http';
}

/** The origin the browser used to reach us, e.g. `https://meet.example.org`. */
export function requestOrigin(req: Req, hops: number): string {
  return `${requestProtocol(req, hops)}://${req.headers.host ?? ''}`.toLowerCase();
}
