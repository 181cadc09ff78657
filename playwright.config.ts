import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3210);

/**
 * End-to-end tests: a production build of Confab on a fresh database, driven in Debian's Chromium
 * with fake camera and microphone. Each test opens 2–3 browser contexts (one per user), so tests run
 * one at a time on these 2-core machines.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        '--autoplay-policy=no-user-gesture-required',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    // This process's own Node (the pinned one), never a `node` looked up on PATH.
    command: `"${process.execPath}" --import tsx tests/support/e2eServer.ts`,
    url: `http://localhost:${port}/healthz`,
    env: { E2E_PORT: String(port) },
    timeout: 120_000,
    reuseExistingServer: !!process.env.E2E_REUSE_SERVER,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
