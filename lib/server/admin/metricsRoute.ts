/**
 * GET /metrics for Prometheus. With METRICS_TOKEN set, a scrape must send
 * `Authorization: Bearer <token>`. Without one, only this machine may scrape: the TCP peer must be
 * a loopback address and the request must carry no forwarding header, since a reverse proxy on the
 * same machine would otherwise make every outside request look local.
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics';

export type MetricsVerdict = 'ok' | 'unauthorized' | 'forbidden';

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Constant-time comparison (hashing first makes the lengths equal). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(a), digest(b));
}

export function metricsAccess(
  req: { headers: IncomingMessage['headers']; remoteAddress: string | undefined },
  token: string | undefined,
): MetricsVerdict {
  if (token) {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    return match && sameSecret(match[1]!.trim(), token) ? 'ok' : 'unauthorized';
  }
  const forwarded = FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined);
  return isLoopback(req.remoteAddress) && !forwarded ? 'ok' : 'forbidden';
}

export async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: Metrics,
  token: string | undefined,
) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    return void res.end('Method not allowed\n');
  }
  const verdict = metricsAccess({ headers: req.headers, remoteAddress: req.socket.remoteAddress }, token);
  if (verdict === 'unauthorized') {
    res.writeHead(401, {
      'www-authenticate': 'Bearer realm="confab-metrics"',
      'content-type': 'text/plain; charset=utf-8',
    });
    return void res.end('A valid bearer token (METRICS_TOKEN) is required\n');
  }
  if (verdict === 'forbidden') {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
    return void res.end('Metrics are served to localhost only; set METRICS_TOKEN to scrape from elsewhere\n');
  }
  try {
    const body = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Could not collect metrics\n');
  }
}
