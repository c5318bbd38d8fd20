import path from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { finishUpdate, nameQuery, renameable, renameUpdate } from '../fixtures/smoke-workflows';
import { bundle, createDevServerEnv, uniqueId } from '../support/temporal';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, workflowBundle] = await Promise.all([createDevServerEnv(), bundle(path.join(__dirname, '../fixtures/smoke-workflows.ts'))]);
});

afterAll(async () => {
  await env?.teardown();
});

test('an update rejected by its zod validator gives a clear error and changes nothing', async () => {
  const taskQueue = uniqueId('smoke');
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle });
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(renameable, { taskQueue, workflowId: uniqueId('rename'), args: ['红旗村'] });

    const rejected = handle.executeUpdate(renameUpdate, { args: [{ name: '   ' }] });
    await expect(rejected).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(rejected).rejects.toMatchObject({ cause: { message: 'name: must not be empty', type: 'InvalidInput' } });
    expect(await handle.query(nameQuery)).toBe('红旗村');

    expect(await handle.executeUpdate(renameUpdate, { args: [{ name: ' 东风村 ' }] })).toBe('东风村');
    expect(await handle.query(nameQuery)).toBe('东风村');

    await handle.executeUpdate(finishUpdate);
    expect(await handle.result()).toBe('东风村');
    // A rejected update leaves no trace in the history: only the accepted ones were recorded.
    const history = await handle.fetchHistory();
    const accepted = history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    expect(accepted).toHaveLength(2);
  });
});
