import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Simulation tests are CPU-bound, but many others wait on the command line they spawn (the
    // tour, the CLI and signal tests) or on its worker threads: one fork more than the cores keeps
    // them busy (on a slow 2-core VM the suite took 9.4 minutes instead of 13.5).
    pool: 'forks',
    maxWorkers: availableParallelism() + 1,
    reporters: ['default', './test/plain-summary-reporter.ts'],
  },
});
