import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { resolveBinary } from '../../src/infra/temporal-binaries';
import { searchAttributeKeys } from '../../src/search-attributes';
import { createDevServerEnv } from '../support/temporal';

/**
 * deploy/temporal-register.sh, the compose step the worker and the API wait for, run with the
 * Temporal CLI against a server that has none of the product's search attributes yet.
 */
const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createDevServerEnv({ bare: true });
});
afterAll(async () => {
  await env?.teardown();
});

const register = () =>
  run('sh', [path.join(root, 'deploy/temporal-register.sh')], {
    env: {
      PATH: `${path.dirname(resolveBinary('cli')!.path)}:${process.env.PATH}`,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_RETENTION: '3650d',
    },
  });

test('registration keeps histories ten years and registers every search attribute; run again, it changes nothing', async () => {
  const first = await register();
  expect(first.stdout).toContain('namespace default keeps closed histories for 3650d');
  const listed = await env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
  for (const key of searchAttributeKeys) expect(Object.keys(listed.customAttributes ?? {})).toContain(key.name);
  const ns = await env.connection.workflowService.describeNamespace({ namespace: 'default' });
  expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(3650 * 86_400);

  const second = await register();
  expect(second.stdout).not.toContain('registered search attribute');
  expect(second.stdout.match(/is registered/g)).toHaveLength(searchAttributeKeys.length);
});

test('registration fails loudly when the server is not there', async () => {
  const failed = await run('sh', [path.join(root, 'deploy/temporal-register.sh')], {
    env: { PATH: `${path.dirname(resolveBinary('cli')!.path)}:${process.env.PATH}`, TEMPORAL_ADDRESS: '127.0.0.1:1', TEMPORAL_WAIT_SECONDS: '2' },
  }).then(
    () => ({ code: 0, stderr: '' }),
    (err: { code: number; stderr: string }) => err,
  );
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain('Temporal at 127.0.0.1:1 is not healthy after 2s');
});
