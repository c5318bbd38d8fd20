import { defineConfig } from 'vitest/config';

// `npm run test:repeat` sets TEST_SEED: files in a shuffled order, each file's tests in their own
// order (a file's tests are the steps of one scenario on one server, by design).
const seed = process.env.TEST_SEED;

export default defineConfig({
  test: {
    ...(seed ? { sequence: { shuffle: { files: true, tests: false }, seed: Number(seed) } } : {}),
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
