/**
 * Debian's Chromium for the browser benchmarks, launched exactly as the end-to-end tests launch it
 * (playwright.config.ts: fake camera and microphone, autoplay allowed), and users who are signed in
 * without going through the UI — the sign-up form is not what these benchmarks measure.
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { installPageProbe } from './pageProbe';
import { startWebServer, type WebServerOptions } from './webServer';

export interface BenchUser {
  name: string;
  context: BrowserContext;
  page: Page;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ ...config.use?.launchOptions, headless: true });
}

/** A fresh production server and a browser for `fn`, both closed whatever happens. */
export async function withServerAndBrowser<T>(opts: WebServerOptions, fn: (browser: Browser, baseURL: string) => Promise<T>): Promise<T> {
  const server = await startWebServer(opts);
  try {
    const browser = await launchBrowser();
    try {
      return await fn(browser, server.url);
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
}

let seq = 0;

/** A new account, signed in, in its own browser context (the page probe installed), on a blank page. */
export async function signUp(browser: Browser, baseURL: string, prefix: string): Promise<BenchUser> {
  const name = `${prefix}${++seq}${Date.now().toString(36).slice(-4)}`;
  const context = await browser.newContext({ baseURL });
  await installPageProbe(context);
  // The context's request client shares its cookie jar: the session cookie lands where the page needs it.
  const res = await context.request.post('/api/auth/sign-up/email', {
    data: { name, email: `${name.toLowerCase()}@bench.local`, password: 'bench-password-123' },
    headers: { origin: baseURL },
  });
  if (!res.ok()) throw new Error(`sign-up of ${name} failed (${res.status()}): ${await res.text()}`);
  return { name, context, page: await context.newPage() };
}

/** Opens `path` and waits until the app's socket is online. */
export async function openSignedIn(user: BenchUser, path: string): Promise<void> {
  await user.page.goto(path);
  await user.page.getByTestId('connection-status').filter({ hasText: 'Online' }).waitFor();
}
