import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { VILLAGE_WORKFLOW_TYPE, villageInputSchema, villageWorkflowId, type VillageInput } from '../contracts/village';
import { formatPath, holders, type Roster } from '../domain/roster';
import { StageKey, TownshipKey, VillageKey } from '../search-attributes';
import type { villageRectification } from '../workflows';

export class InvalidDesignationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Designation rejected:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidDesignationError';
  }
}

/** The workflow input for a village's open designation in the roster, with its current posts. */
export function villageInputFromRoster(roster: Roster, village: string): VillageInput {
  const designation = roster.designations.find((d) => d.village === village && !d.withdrawnOn && !d.transformedOn);
  if (!designation) throw new InvalidDesignationError([`village: ${village} has no open designation in the roster`]);
  const township = roster.villages.find((v) => v.code === village)!.township;
  const firstSecretary = holders(roster, 'first-secretary', { village })[0];
  const liaison = holders(roster, 'township-liaison', { village })[0];
  return {
    township,
    designation,
    ...(firstSecretary ? { firstSecretary: firstSecretary.id } : {}),
    ...(liaison ? { liaison: liaison.id } : {}),
  };
}

/**
 * Starts the workflow of a target, idempotently: designating the same village again returns the
 * running workflow (the village code is the workflow id). A village whose earlier cycle closed may
 * be designated again and starts a new run.
 */
export async function designateVillage(
  client: Client,
  taskQueue: string,
  input: VillageInput,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof villageRectification>> {
  const parsed = villageInputSchema.safeParse(input);
  if (!parsed.success) throw new InvalidDesignationError(parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`));
  const code = parsed.data.designation.village;
  return client.workflow.start<typeof villageRectification>(VILLAGE_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: villageWorkflowId(code),
    args: [parsed.data],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    // Listed by operators from the first moment, before the workflow's first task runs.
    typedSearchAttributes: [
      { key: StageKey, value: 'plan-due' },
      { key: TownshipKey, value: parsed.data.township },
      { key: VillageKey, value: code },
    ],
  });
}
