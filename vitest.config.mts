import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    // Temporal's native bridge and workflow bundler do not like worker threads.
    pool: 'forks',
    // Two cores: starting several Temporal servers at once only slows every one of them.
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
