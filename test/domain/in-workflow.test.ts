import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { domainAnswers, domainInSandbox } from '../fixtures/domain-workflows';
import { shippedYears } from '../support/calendar';
import { bundle, createTimeSkippingEnv, uniqueId } from '../support/temporal';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
});

test('the domain module bundles into a workflow and gives the same answers there as in the unit tests', async () => {
  const facts = { village: 'T1-V1', township: 'T1', designation: { village: 'T1-V1', date: '2018-10-15' }, hasFirstSecretary: true };
  const args: Parameters<typeof domainAnswers> = [[...shippedYears], facts, '2018-10-15', '2021-12-31'];
  const taskQueue = uniqueId('domain');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundle(path.join(__dirname, '../fixtures/domain-workflows.ts')),
  });
  const inSandbox = await worker.runUntil(
    env.client.workflow.execute(domainInSandbox, { taskQueue, workflowId: uniqueId('domain'), args }),
  );

  const direct = domainAnswers(...args) as { planDeadline: unknown; obligations: unknown[] };
  expect(inSandbox).toEqual(JSON.parse(JSON.stringify(direct)));
  expect(direct.planDeadline).toEqual({ date: '2018-12-29', nominal: '2018-12-31', adjusted: true, provisional: false });
  expect(direct.obligations.length).toBeGreaterThan(150);
});
