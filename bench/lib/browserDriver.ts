/**
 * One signed-in user in Chromium (Playwright) or Firefox (puppeteer over WebDriver BiDi), behind
 * the few actions the cross-browser benchmark needs, so that each measurement is written once for
 * every pairing of browsers. Both pages carry the page probe (bench/lib/pageProbe.ts).
 */
import type { Browser } from '@playwright/test';
import type { Browser as Firefox, Page as FirefoxPage } from 'puppeteer-core';
import { signUp } from './browser';
import { openSignedInFirefox, signUpFirefox } from './firefox';
import { installProbe, type ProbePage } from './pageProbe';
import { trackPeerConnections } from './peerConnections';

export type BrowserKind = 'chromium' | 'firefox';

export interface DrivenUser {
  kind: BrowserKind;
  name: string;
  probe: ProbePage;
  /** Opens a path of the app and waits until its socket is online. */
  open(path: string): Promise<void>;
  /** Clicks the button with this accessible name inside the first element matching `scope`. */
  click(scope: string, label: string): Promise<void>;
  /** Clicks the first element matching `css`. */
  press(css: string): Promise<void>;
  /** Types into the field with this accessible name. */
  fill(label: string, value: string): Promise<void>;
  waitFor(css: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const online = '[data-testid="connection-status"]';

export async function chromiumUser(browser: Browser, origin: string, prefix: string): Promise<DrivenUser> {
  const user = await signUp(browser, origin, prefix);
  await user.context.addInitScript(trackPeerConnections);
  const { page } = user;
  return {
    kind: 'chromium',
    name: user.name,
    probe: page,
    async open(path) {
      await page.goto(path);
      await page.locator(online).filter({ hasText: 'Online' }).waitFor();
    },
    async click(scope, label) {
      await page.locator(scope).first().getByRole('button', { name: label, exact: true }).click({ timeout: 20_000 });
    },
    async press(css) {
      await page.locator(css).first().click({ timeout: 20_000 });
    },
    async fill(label, value) {
      await page.getByLabel(label, { exact: true }).fill(value);
    },
    async waitFor(css, timeoutMs = 20_000) {
      await page.locator(css).first().waitFor({ timeout: timeoutMs });
    },
    close: () => user.context.close(),
  };
}

export async function firefoxUser(browser: Firefox, origin: string, prefix: string): Promise<DrivenUser> {
  const user = await signUpFirefox(browser, origin, prefix);
  const page: FirefoxPage = user.page;
  // tsx's keepNames wraps named functions in __name(); the page has no such helper.
  await page.evaluateOnNewDocument('globalThis.__name ??= (fn) => fn;');
  await page.evaluateOnNewDocument(installProbe);
  return {
    kind: 'firefox',
    name: user.name,
    // Both drivers evaluate `(fn, arg)` in the page alike; only their TypeScript signatures differ.
    probe: page as unknown as ProbePage,
    open: (path) => openSignedInFirefox(user, origin, path),
    async click(scope, label) {
      await page.locator(`${scope} ::-p-aria([name="${label}"][role="button"])`).setTimeout(20_000).click();
    },
    async press(css) {
      await page.locator(css).setTimeout(20_000).click();
    },
    async fill(label, value) {
      await page.locator(`::-p-aria(${label})`).setTimeout(20_000).fill(value);
    },
    async waitFor(css, timeoutMs = 20_000) {
      await page.waitForSelector(css, { timeout: timeoutMs });
    },
    close: () => user.context.close(),
  };
}
