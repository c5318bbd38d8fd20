import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers in tests log warnings and errors only; state changes and bundler output are noise.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process by an earlier file.
}
