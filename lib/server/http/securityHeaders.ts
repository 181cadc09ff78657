/**
 * Security headers for every HTTP response, and the Content-Security-Policy of the pages.
 *
 * Scripts: only those carrying this response's nonce run ('strict-dynamic' lets them load Next's
 * chunks). Next.js adds the nonce to its own scripts when it finds it in the request's
 * `content-security-policy` header, which is why the same policy is set on the request before it
 * is handed to Next. An injected `<script>` or inline handler has no nonce and does not run.
 * Styles stay 'unsafe-inline': React renders style attributes, and CSS cannot run code.
 * Media and workers may come from blob: URLs (MediaStream previews, processing workers).
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // React's dev build evaluates code; the production build never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    // 'self' covers the socket.io WebSocket (same host, ws: or wss:).
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function applySecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  { dev, https }: { dev: boolean; https: boolean },
): void {
  const csp = contentSecurityPolicy(crypto.randomBytes(16).toString('base64'), dev);
  req.headers['content-security-policy'] = csp;
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(self), microphone=(self), display-capture=(self), geolocation=()');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  if (https) res.setHeader('Strict-Transport-Security', 'max-age=15552000');
}
