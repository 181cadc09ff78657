/**
 * /api/auth/*: only the better-auth endpoints Confab's pages use are reachable over HTTP. Everything
 * else better-auth (and its admin plugin) could answer — set-role, ban-user, impersonate-user,
 * list-users… — gets a 404 here, so no admin action can skip the audit log: admins act through the
 * dashboard's socket actions (lib/server/admin/actions.ts), which write it.
 *
 * The check runs on the normalised path (requestTarget.ts), and the request better-auth receives is
 * rebuilt from that same path, so what was checked is what is routed: `/api/auth/x/../admin/…`,
 * `/api/auth/%2e/admin/…` and their kin are the admin paths they resolve to, and are refused.
 *
 * Bodies are small JSON documents; anything over AUTH_BODY_LIMIT is refused with 413 before it is
 * buffered.
 *
 * Sign-in attempts go through a GuessLimiter keyed on [account + client address, client address]:
 * failures are limited, and a success clears them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fromNodeHeaders } from 'better-auth/node';
import { setResponse } from 'better-call/node';
import { CLIENT_IP_HEADER, type Auth } from '../auth';
import type { GuessLimiter } from '../guessLimiter';

export const AUTH_PREFIX = '/api/auth/';
export const AUTH_BODY_LIMIT = 16 * 1024;

/** The endpoints the browser calls (app/(auth)/AuthView.tsx, app/components/AppShell.tsx). */
export const AUTH_ENDPOINTS: ReadonlySet<string> = new Set([
  '/api/auth/sign-in/email',
  '/api/auth/sign-up/email',
  '/api/auth/sign-out',
  '/api/auth/get-session',
]);

export function isAuthPath(pathname: string): boolean {
  return pathname === AUTH_PREFIX.slice(0, -1) || pathname.startsWith(AUTH_PREFIX);
}

class TooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new TooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new TooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...headers });
  res.end(JSON.stringify({ code, message }));
}

/** The account a sign-in body names, as better-auth will look it up (trimmed, lower-case). */
function signInAccount(body: Buffer | undefined): string {
  try {
    const email = (JSON.parse(body?.toString('utf8') ?? '') as { email?: unknown }).email;
    return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : '';
  } catch {
    return '';
  }
}

/**
 * Answers one /api/auth request. `pathname` and `search` come from parseRequestTarget; `origin` is
 * the origin the browser used (proxy.ts), which better-auth needs for its origin checks.
 */
export interface AuthRouteDeps {
  auth: Auth;
  signIns: GuessLimiter;
  /** A session was signed out (its sockets in every tab should go too). */
  signedOut: (sessionId: string) => void;
}

export async function serveAuth(
  { auth, signIns, signedOut }: AuthRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  { pathname, search, origin }: { pathname: string; search: string; origin: string },
): Promise<void> {
  const endpoint = pathname.replace(/\/+$/, '');
  if (!AUTH_ENDPOINTS.has(endpoint)) return json(res, 404, 'NOT_FOUND', 'No such endpoint');
  let body: Buffer | undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    try {
      body = await readBody(req, AUTH_BODY_LIMIT);
    } catch (err) {
      if (err instanceof TooLarge) return json(res, 413, 'PAYLOAD_TOO_LARGE', `Request bodies are limited to ${AUTH_BODY_LIMIT} bytes`);
      throw err;
    }
  }
  const request = new Request(origin + endpoint + search, {
    method: req.method,
    headers: fromNodeHeaders(req.headers),
    body: body?.length ? new Uint8Array(body) : undefined,
  });
  if (endpoint === '/api/auth/sign-out') {
    const session = await auth.api.getSession({ headers: request.headers }).catch(() => null);
    const response = await auth.handler(request);
    await setResponse(res, response);
    if (session && response.ok) signedOut(session.session.id);
    return;
  }
  if (endpoint !== '/api/auth/sign-in/email') return setResponse(res, await auth.handler(request));

  const address = String(req.headers[CLIENT_IP_HEADER] ?? 'unknown');
  const keys = [`${signInAccount(body)}|${address}`, address];
  const wait = await signIns.take(keys);
  if (wait !== null) {
    return json(res, 429, 'RATE_LIMITED', `Too many failed sign-ins. Try again in ${wait} s.`, { 'retry-after': String(wait) });
  }
  const response = await auth.handler(request);
  if (response.ok) await signIns.succeeded(keys);
  await setResponse(res, response);
}
