/**
 * The Firefox browser tests (npm run test:firefox): one Firefox at a time, generous timeouts (a launch with the
 * extension takes about 5 s). Kept out of the main vitest run, which has no browser.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/firefox/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
