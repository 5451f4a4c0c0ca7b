import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Says once why the browser tests are skipped when chromium is missing.
    globalSetup: ['test/support/browserNotice.ts'],
    testTimeout: 60_000,
  },
});
