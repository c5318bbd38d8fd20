import { DefaultLogger, Runtime } from '@temporalio/worker';
import { expect } from 'vitest';

// Workers in tests log warnings and errors only; state changes and bundler output are noise.
// Test files named `*.metrics.test.ts` install the runtime themselves, with a Prometheus endpoint.
if (!/\.metrics\.test\.ts$/.test(expect.getState().testPath ?? '')) {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process by an earlier file.
  }
}
