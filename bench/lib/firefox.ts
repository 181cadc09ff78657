/**
 * Debian's Firefox ESR, driven over WebDriver BiDi with puppeteer-core (Playwright drives only its
 * own patched Firefox builds, never a stock one). Fake camera and microphone, no permission prompts.
 *
 * Firefox never pairs with loopback ICE candidates, so the server it talks to lives in a network
 * namespace (bench/lib/vethNamespace.ts) at a private address, and Firefox gathers candidates on
 * the root end of that namespace's veth only (`force_interface`): its media crosses that link and
 * nothing else. The origin is plain http on that address, so it is allow-listed as a secure context
 * (camera and microphone need one).
 */
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { trackPeerConnections } from './peerConnections';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export interface FirefoxOptions {
  /** The server's host (its namespace address): treated as a secure context. */
  secureHost: string;
  /** The only interface Firefox gathers ICE candidates on (the veth's root end). */
  iceInterface: string;
}

export function launchFirefox(opts: FirefoxOptions): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    protocolTimeout: 60_000,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.autoplay.default': 0,
      'media.autoplay.blocking_policy': 0,
      'dom.securecontext.allowlist': opts.secureHost,
      'media.peerconnection.ice.force_interface': opts.iceInterface,
      // Host candidates as addresses, not mDNS names: there is no mDNS responder in a namespace.
      'media.peerconnection.ice.obfuscate_host_addresses': false,
      // No telemetry, updates or first-run pages in tests.
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.reportingpolicy.firstRun': false,
    },
  });
}

export interface FirefoxUser {
  name: string;
  context: BrowserContext;
  page: Page;
}

let seq = 0;

/** A new account, signed up over HTTP, its session cookie in a fresh Firefox context; the page tracks its peer connections. */
export async function signUpFirefox(browser: Browser, baseURL: string, prefix: string): Promise<FirefoxUser> {
  const name = `${prefix}${++seq}${Date.now().toString(36).slice(-4)}`;
  const res = await fetch(`${baseURL}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseURL },
    body: JSON.stringify({ name, email: `${name.toLowerCase()}@bench.local`, password: 'bench-password-123' }),
  });
  if (!res.ok) throw new Error(`sign-up of ${name} failed (${res.status}): ${await res.text()}`);
  const host = new URL(baseURL).hostname;
  const cookies = res.headers.getSetCookie().map((line) => {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    return { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim(), domain: host, path: '/' };
  });
  const context = await browser.createBrowserContext();
  await context.setCookie(...cookies);
  const page = await context.newPage();
  await page.evaluateOnNewDocument(trackPeerConnections);
  return { name, context, page };
}

/** Opens `path` and waits until the app's socket is online. */
export async function openSignedInFirefox(user: FirefoxUser, baseURL: string, path: string): Promise<void> {
  await user.page.goto(`${baseURL}${path}`);
  await user.page.waitForSelector('[data-testid="connection-status"]::-p-text(Online)', { timeout: 30_000 });
}
