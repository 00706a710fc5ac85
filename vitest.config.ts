import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'eval/**/*.test.ts', 'test/**/*.test.ts', 'models/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: keep parallelism modest so DB-backed suites do not starve each other.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
