import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { villageWorkflowId, type VillageInput } from '../../src/contracts/village';
import type { Roster } from '../../src/domain/roster';
import type { villageRectification } from '../../src/workflows';

/** Moves the time-skipping server's clock to an instant (no-op if it is already past it). */
export async function advanceTo(env: TestWorkflowEnvironment, iso: string): Promise<void> {
  const ms = Date.parse(iso) - (await env.currentTimeMs());
  if (ms > 0) await env.sleep(ms);
}

/** The workflow input for a designation of the roster, as the designation surface builds it. */
export function inputFor(roster: Roster, village: string): VillageInput {
  const designation = roster.designations.find((d) => d.village === village);
  if (!designation) throw new Error(`no designation of ${village} in the roster`);
  const township = roster.villages.find((v) => v.code === village)!.township;
  const fs = roster.people.filter((p) => p.role === 'first-secretary' && p.village === village).sort((a, b) => (b.since ?? '').localeCompare(a.since ?? ''))[0];
  const liaison = roster.people.find((p) => p.role === 'township-liaison' && p.village === village);
  return { township, designation, ...(fs ? { firstSecretary: fs.id } : {}), ...(liaison ? { liaison: liaison.id } : {}) };
}

export async function startVillage(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  input: VillageInput,
  idSuffix = '',
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof villageRectification>> {
  return env.client.workflow.start<typeof villageRectification>('villageRectification', {
    taskQueue,
    workflowId: villageWorkflowId(input.designation.village) + idSuffix,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/** Events of every run of a workflow, first run first (runs are linked by continue-as-new). */
export async function historyLengths(env: TestWorkflowEnvironment, workflowId: string, firstRunId: string): Promise<number[]> {
  const lengths: number[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: { events?: { workflowExecutionContinuedAsNewEventAttributes?: { newExecutionRunId?: string | null } | null }[] | null } =
      await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    lengths.push(events.length);
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return lengths;
}
