/**
 * Chromium and Firefox against one Confab server that runs in a network namespace of its own
 * (bench/lib/vethNamespace.ts), for the cross-browser tests and benchmark:
 * - the web process and its SFU node listen on the namespace's address;
 * - Chromium runs inside the namespace (its only candidates are that address);
 * - Firefox runs outside and gathers candidates on the veth's root end only, so its media, to the
 *   SFU or to a Chromium peer, crosses the veth.
 */
import { chromium, type Browser } from '@playwright/test';
import type { Browser as Firefox } from 'puppeteer-core';
import config from '../../playwright.config';
import { launchFirefox } from './firefox';
import { createVethNamespace, type VethNamespace } from './vethNamespace';
import { freePort, startWebServer, type WebServer } from './webServer';

export interface CrossBrowserRig {
  ns: VethNamespace;
  server: WebServer;
  /** http://<namespace address>:<port> */
  origin: string;
  chromium: Browser;
  firefox: Firefox;
  close(): Promise<void>;
}

/** `n` picks the namespace (1..250): tests and benchmarks that may overlap use different ones. */
export async function startCrossBrowserRig(n: number, log: (msg: string) => void, env: Record<string, string> = {}): Promise<CrossBrowserRig> {
  const ns = createVethNamespace(n);
  let server: WebServer | undefined;
  const browsers: { close(): Promise<void> }[] = [];
  const close = async () => {
    await Promise.allSettled(browsers.map((b) => b.close()));
    await server?.stop();
    ns.close();
  };
  try {
    const port = await freePort();
    const origin = `http://${ns.address}:${port}`;
    server = await startWebServer({
      log,
      port,
      netns: { name: ns.name, address: ns.address },
      env: { PUBLIC_URL: origin, SFU_LISTEN_IP: ns.address, PRESENCE_LINGER_MS: '500', ...env },
    });
    const launch = config.use?.launchOptions ?? {};
    const [cr, ff] = await Promise.all([
      chromium.launch({
        ...launch,
        headless: true,
        executablePath: ns.chromium,
        // Plain http on a non-loopback address: camera and microphone need a secure context.
        args: [...(launch.args ?? []), `--unsafely-treat-insecure-origin-as-secure=${origin}`],
      }),
      launchFirefox({ secureHost: ns.address, iceInterface: ns.rootIface }),
    ]);
    browsers.push(cr, ff);
    return { ns, server, origin, chromium: cr, firefox: ff, close };
  } catch (err) {
    await close();
    throw err;
  }
}
