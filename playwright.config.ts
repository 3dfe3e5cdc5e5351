import { defineConfig } from '@playwright/test';

// One Chromium per test and one worker: the machines that run the tests have 2 cores.
export default defineConfig({
  testDir: './tests/browser',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  globalSetup: './tests/support/global-setup.ts',
  outputDir: `test-results/${process.env.REAUTH_OUT ?? 'default'}`,
  use: { trace: 'off' },
});
