import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { VILLAGE_WORKFLOW_TYPE, villageInputSchema, villageWorkflowId, type Stage, type VillageInput } from '../contracts/village';
import type { LocalDate } from '../domain/calendar';
import type { Policy } from '../domain/policy';
import { formatPath, holders, type Roster } from '../domain/roster';
import { StageKey, TownshipKey, VillageKey } from '../search-attributes';
import type { villageRectification } from '../workflows';

export class InvalidDesignationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`认定未受理：\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidDesignationError';
  }
}

/** A target whose workflow ended (withdrawn, or its cycle closed) is not started again unless redesignated. */
export class DesignationRefusedError extends Error {
  constructor(
    readonly village: string,
    readonly reason: string,
  ) {
    super(`${village}：${reason}`);
    this.name = 'DesignationRefusedError';
  }
}

/** The workflow input for a village's open designation in the roster, with its current posts. */
export function villageInputFromRoster(roster: Roster, village: string, policy?: Policy): VillageInput {
  const designation = roster.designations.find((d) => d.village === village && !d.withdrawnOn && !d.transformedOn);
  if (!designation) throw new InvalidDesignationError([`village：${village}在名册中没有未结束的认定`]);
  const township = roster.villages.find((v) => v.code === village)!.township;
  const firstSecretary = holders(roster, 'first-secretary', { village })[0];
  const liaison = holders(roster, 'township-liaison', { village })[0];
  return {
    township,
    county: roster.county.code,
    designation,
    ...(firstSecretary ? { firstSecretary: firstSecretary.id } : {}),
    ...(liaison ? { liaison: liaison.id } : {}),
    ...(policy ? { policy } : {}),
  };
}

export interface DesignateOptions {
  /** Designates again a target whose earlier run ended, with this new designation date. */
  readonly redesignate?: LocalDate;
}

/**
 * Starts the workflow of a target, idempotently: designating the same village again returns the
 * running workflow (the village code is the workflow id). A village whose earlier run ended
 * (withdrawn, or its cycle closed) is refused, with the reason, unless it is redesignated with a
 * new designation date.
 */
export async function designateVillage(
  client: Client,
  taskQueue: string,
  input: VillageInput,
  opts: DesignateOptions = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof villageRectification>> {
  const withDate = opts.redesignate ? { ...input, designation: { ...input.designation, date: opts.redesignate } } : input;
  const parsed = villageInputSchema.safeParse(withDate);
  if (!parsed.success) throw new InvalidDesignationError(parsed.error.issues.map((i) => `${formatPath(i.path)}：${i.message}`));
  const code = parsed.data.designation.village;
  const workflowId = villageWorkflowId(code);
  try {
    return await client.workflow.start<typeof villageRectification>(VILLAGE_WORKFLOW_TYPE, {
      taskQueue,
      workflowId,
      args: [parsed.data],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: opts.redesignate ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
      // Listed by operators from the first moment, before the workflow's first task runs.
      typedSearchAttributes: [
        { key: StageKey, value: 'plan-due' },
        { key: TownshipKey, value: parsed.data.township },
        { key: VillageKey, value: code },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const ended = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch((e: unknown) => {
        if (e instanceof WorkflowNotFoundError) return undefined;
        throw e;
      });
    const stage = ended?.typedSearchAttributes.get(StageKey) as Stage | undefined;
    const what = stage === 'withdrawn' ? '已撤销认定' : stage === 'closed' ? '整顿周期已结束' : `工作流已结束（${ended?.status.name ?? '未知'}）`;
    throw new DesignationRefusedError(code, `${what}，不再重新启动；如需再次认定，请注明新的认定日期（--redesignate 日期）`);
  }
}
