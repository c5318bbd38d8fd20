import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { domainAnswers, domainInSandbox } from '../fixtures/domain-workflows';
import { evidence, testRoster } from '../support/roster';
import { bundle, createTimeSkippingEnv, uniqueId } from '../support/temporal';

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
});

test('the domain module bundles into a workflow and gives the same answers there as in the unit tests', async () => {
  const roster = testRoster({
    townships: 3,
    designations: [
      { village: 'T1-V1', date: '2018-10-15', criteria: [{ criterion: 1, evidence }] },
      { village: 'T2-V3', date: '2019-03-04', criteria: [{ criterion: 3, evidence: `${evidence}（二）` }], transformedOn: '2020-11-26' },
    ],
  });
  const range = { from: '2018-10-01', to: '2021-12-31' };
  const taskQueue = uniqueId('domain');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundle(path.join(__dirname, '../fixtures/domain-workflows.ts')),
  });
  const inSandbox = await worker.runUntil(
    env.client.workflow.execute(domainInSandbox, { taskQueue, workflowId: uniqueId('domain'), args: [roster, range] }),
  );

  const direct = domainAnswers(roster, range) as { planDeadline: unknown; obligations: unknown[] };
  expect(inSandbox).toEqual(JSON.parse(JSON.stringify(direct)));
  expect(direct.planDeadline).toEqual({ date: '2019-01-02', nominal: '2018-12-31', adjusted: true, provisional: false });
  expect(direct.obligations.length).toBeGreaterThan(300);
});
