/**
 * Every HTTP request is checked and normalised here before anything routes on it, so that the
 * path a routing decision sees is the path the handler behind it will act on.
 *
 * - The Host header must be a host name or IP literal with an optional port (`a b` or `[` used to
 *   reach better-auth, whose `new URL()` threw and left the request hanging).
 * - The request target must be origin-form (`/path?query`); absolute-form and `*` are refused.
 * - The path is normalised the way WHATWG URL does it, which is also how better-auth's router and
 *   Next.js read it: dot segments (`..`, `.`, `%2e`) resolved, backslashes read as slashes.
 * - After that it must be unambiguous: no empty segments (`//`), no encoded slash or backslash, and
 *   every percent escape must decode to valid UTF-8 (`/room/%ff%fe` used to be a 500).
 */
export type RequestTarget =
  | { ok: true; pathname: string; search: string }
  | { ok: false; status: 400; message: string };

// Labels may contain '_': not valid DNS, but container and service names use it (web_1).
const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOST = new RegExp(`^(?:\\[[0-9A-Fa-f:.]+\\]|${LABEL}(?:\\.${LABEL})*\\.?)(?::\\d{1,5})?$`);

export function isValidHostHeader(host: string | undefined): boolean {
  return host !== undefined && host.length <= 255 && HOST.test(host);
}

export function parseRequestTarget(rawUrl: string | undefined, host: string | undefined): RequestTarget {
  const bad = (message: string): RequestTarget => ({ ok: false, status: 400, message });
  if (!isValidHostHeader(host)) return bad('Malformed Host header');
  if (!rawUrl?.startsWith('/') || rawUrl.startsWith('//')) return bad('Malformed request target');
  let url: URL;
  try {
    url = new URL(rawUrl, 'http://confab.invalid');
  } catch {
    return bad('Malformed request target');
  }
  if (url.host !== 'confab.invalid') return bad('Malformed request target');
  const { pathname, search } = url;
  if (pathname.includes('//')) return bad('Empty path segment');
  if (/%(?:2f|5c)/i.test(pathname)) return bad('Encoded slash in path');
  try {
    decodeURIComponent(pathname);
  } catch {
    return bad('Malformed percent-encoding in path');
  }
  return { ok: true, pathname, search };
}
