import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Simulation tests are CPU-bound: one worker per core.
    pool: 'forks',
    reporters: ['default', './test/plain-summary-reporter.ts'],
  },
});
