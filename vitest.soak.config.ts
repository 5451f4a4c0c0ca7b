import { defineConfig } from 'vitest/config';

// `npm run soak`: the property tests of test/soak/ on many random programs (SOAK_RUNS, SOAK_SEED),
// outside the default suite.
export default defineConfig({
  test: {
    include: ['test/soak/**/*.soak.ts'],
    testTimeout: 3_600_000,
  },
});
