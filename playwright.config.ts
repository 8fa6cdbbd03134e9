import { defineConfig } from '@playwright/test';
import { findChromium, missingChromiumMessage } from './e2e/browser';

// End-to-end specs drive the system's Chromium (Playwright's own browser download cannot work
// offline) against `studio serve` on a temporary data dir, started by the fixture in e2e/studio.ts.
const executablePath = findChromium();
if (!executablePath) {
  console.error(missingChromiumMessage());
  process.exit(1);
}

export default defineConfig({
  testDir: 'e2e',
  // Each spec starts its own server and trains on a 2-core machine: one at a time is fastest.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  // One retry on CI: on 2026-12-04 model-export.spec once waited 150 s for an export that takes
  // 18 s alone (1 failure in 4 runs, cause not yet found; see the session note). A spec that
  // fails twice still fails the run, and the list reporter names a spec that passed on retry as
  // flaky, so the flake stays visible.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
