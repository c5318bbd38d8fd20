import path from 'node:path';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActivities } from '../../src/activities';
import { createSmtpMailer, type Mailer } from '../../src/activities/mailer';
import { SmtpSink } from '../../src/infra/smtp-sink';
import { sleepThenNotify } from '../fixtures/smoke-workflows';
import { bundle, createTimeSkippingEnv, uniqueId } from '../support/temporal';

let env: TestWorkflowEnvironment;
let sink: SmtpSink;
let mailer: Mailer;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, sink, workflowBundle] = await Promise.all([
    createTimeSkippingEnv(),
    SmtpSink.start(),
    bundle(path.join(__dirname, '../fixtures/smoke-workflows.ts')),
  ]);
  mailer = createSmtpMailer({ host: sink.host, port: sink.port, secure: false, auth: undefined, poolSize: 2, from: '测试 <noreply@county.example.org>' });
});

afterAll(async () => {
  mailer?.close();
  await sink?.close();
  await env?.teardown();
});

test('a workflow sleeping 30 days then sending mail finishes in seconds under the time-skipping server', async () => {
  const taskQueue = uniqueId('smoke');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: createActivities({ mailer }),
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

  const [mail] = sink.to('secretary@township.example.org');
  expect(mail?.subject).toBe('三十天后的提醒');
  expect(mail?.messageId).toBe(messageId);
  // The server's clock jumped the 30 days; the test's own timeout keeps real waiting out.
  expect(skippedDays).toBeGreaterThanOrEqual(30);
});
