// End-to-end tests on the built dist/, in Debian's Chromium (never a downloaded browser).
import { defineConfig } from '@playwright/test';
import { launchOptions } from './scripts/chromium.mjs';

const port = Number(process.env.E2E_PORT || 8471);

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    launchOptions,
  },
  webServer: {
    // dist/ at the root (port), under /wiki/tools/cartera/ (port + 1), and a wiki page of
    // another origin embedding it (port + 2).
    command: `node e2e/serve.mjs ${port} ${port + 1} ${port + 2}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
});
