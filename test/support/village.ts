import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { designateVillage, villageInputFromRoster } from '../../src/client/village';
import type { Roster } from '../../src/domain/roster';
import type { villageRectification } from '../../src/workflows';

/** Moves the time-skipping server's clock to an instant (no-op if it is already past it). */
export async function advanceTo(env: TestWorkflowEnvironment, iso: string): Promise<void> {
  const ms = Date.parse(iso) - (await env.currentTimeMs());
  if (ms > 0) await env.sleep(ms);
}

/** Designates a village of the roster as the product does. */
export async function startVillage(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  roster: Roster,
  village: string,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof villageRectification>> {
  return designateVillage(env.client, taskQueue, villageInputFromRoster(roster, village));
}

type History = Awaited<ReturnType<ReturnType<TestWorkflowEnvironment['client']['workflow']['getHandle']>['fetchHistory']>>;

/** The history of every run of a workflow, first run first (runs are linked by continue-as-new). */
export async function runHistories(env: TestWorkflowEnvironment, workflowId: string, firstRunId: string): Promise<History[]> {
  const histories: History[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: History = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(history);
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return histories;
}

export async function historyLengths(env: TestWorkflowEnvironment, workflowId: string, firstRunId: string): Promise<number[]> {
  return (await runHistories(env, workflowId, firstRunId)).map((h) => h.events?.length ?? 0);
}

/**
 * With RECORD_HISTORIES=1, writes every run's history under test/histories/, where the replay
 * test picks them up: a later change that is not deterministic for them fails the build.
 */
export async function recordHistories(env: TestWorkflowEnvironment, workflowId: string, firstRunId: string, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const dir = path.resolve(__dirname, '../histories');
  mkdirSync(dir, { recursive: true });
  const histories = await runHistories(env, workflowId, firstRunId);
  // The workflow id goes with the history: the workflow derives notice keys from it.
  histories.forEach((h, i) =>
    writeFileSync(path.join(dir, `${name}-run${String(i + 1).padStart(2, '0')}.json`), `{"workflowId":${JSON.stringify(workflowId)},"history":${historyToJSON(h)}}\n`),
  );
}
