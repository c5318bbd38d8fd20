import path from 'node:path';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startMailHarness, type MailHarness } from '../support/mail';
import { sleepThenNotify } from '../fixtures/smoke-workflows';
import { bundle, createTimeSkippingEnv, uniqueId } from '../support/temporal';

let env: TestWorkflowEnvironment;
let mail: MailHarness;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, mail, workflowBundle] = await Promise.all([
    createTimeSkippingEnv(),
    startMailHarness(),
    bundle(path.join(__dirname, '../fixtures/smoke-workflows.ts')),
  ]);
});

afterAll(async () => {
  await mail?.close();
  await env?.teardown();
});

test('a workflow sleeping 30 days then sending mail finishes in seconds under the time-skipping server', async () => {
  const taskQueue = uniqueId('smoke');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: mail.activities,
  });
  const serverStart = await env.currentTimeMs();
  const messageId = await worker.runUntil(
    env.client.workflow.execute(sleepThenNotify, {
      taskQueue,
      workflowId: uniqueId('sleep'),
      args: ['secretary@township.example.org'],
    }),
  );
  const skippedDays = (await env.currentTimeMs() - serverStart) / 86_400_000;

  const [received] = mail.sink.to('secretary@township.example.org');
  expect(received?.subject).toBe('三十天后的提醒');
  expect(received?.messageId).toBe(messageId);
  // The server's clock jumped the 30 days; the test's own timeout keeps real waiting out.
  expect(skippedDays).toBeGreaterThanOrEqual(30);
});
