import { defineConfig } from '@playwright/test';

const chromium = process.env.KEYDESK_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test',
  testMatch: ['e2e-web/**/*.spec.ts', 'e2e-electron/**/*.spec.ts', 'package/**/*.spec.ts'],
  timeout: 60_000,
  workers: 1,
  retries: 0,
  outputDir: 'test-results',
  use: {
    headless: true,
    actionTimeout: 10_000,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      // Root needs --no-sandbox; the rest keeps Chromium from calling out to Google on a closed network.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
