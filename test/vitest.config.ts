import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Kept under test/ so the project's top level holds only what the layout names; `npm test` points vitest here.
const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'eval/**/*.test.ts', 'test/**/*.test.ts', 'models/**/*.test.ts'],
    // Installs the model file loaders in each test process, as the service's composition roots do.
    setupFiles: [fileURLToPath(new URL('./support/model-files.ts', import.meta.url))],
    reporters: ['default', fileURLToPath(new URL('./support/summary-reporter.ts', import.meta.url))],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: keep parallelism modest so DB-backed suites do not starve each other.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
