/**
 * What the county's operators do to every running workflow at once: publish a year's holiday
 * arrangement, apply a new version of the county's policy. The running workflows are found
 * through visibility, so a target designated by any means is reached.
 */
import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { CalendarStore } from '../activities/calendar-store';
import { applyPolicyUpdate, calendarPublishedSignal } from '../contracts/entity';
import { INQUIRY_WORKFLOW_TYPE } from '../contracts/inquiry';
import { PROGRAMME_WORKFLOW_TYPE } from '../contracts/programme';
import { TOWNSHIP_WORKFLOW_TYPE } from '../contracts/township';
import { VILLAGE_WORKFLOW_TYPE } from '../contracts/village';
import type { CalendarYear } from '../domain/calendar';
import type { Policy } from '../domain/policy';

/** The workflow types that keep an obligation book and accept the common messages. */
export const ENTITY_WORKFLOW_TYPES = [VILLAGE_WORKFLOW_TYPE, TOWNSHIP_WORKFLOW_TYPE, PROGRAMME_WORKFLOW_TYPE, INQUIRY_WORKFLOW_TYPE] as const;

export interface RunningEntity {
  readonly workflowId: string;
  readonly type: string;
}

/** Every running entity workflow, in the order visibility lists them. */
export async function runningEntities(client: Client): Promise<RunningEntity[]> {
  const types = ENTITY_WORKFLOW_TYPES.map((t) => `'${t}'`).join(', ');
  const found: RunningEntity[] = [];
  for await (const wf of client.workflow.list({ query: `ExecutionStatus = 'Running' AND WorkflowType IN (${types})` })) {
    found.push({ workflowId: wf.workflowId, type: wf.type });
  }
  return found;
}

export interface Outcome {
  readonly done: readonly string[];
  readonly failed: readonly { readonly workflowId: string; readonly error: string }[];
}

async function eachRunning(client: Client, act: (workflowId: string) => Promise<void>): Promise<Outcome> {
  const done: string[] = [];
  const failed: { workflowId: string; error: string }[] = [];
  for (const { workflowId } of await runningEntities(client)) {
    try {
      await act(workflowId);
      done.push(workflowId);
    } catch (err) {
      const cause = err instanceof WorkflowUpdateFailedError && err.cause ? err.cause.message : (err as Error).message;
      failed.push({ workflowId, error: cause });
    }
  }
  return { done, failed };
}

/**
 * Installs a validated year in the worker's calendar store, then tells every running workflow;
 * each re-dates its open duties whose dates were provisional and mails those whose due date moved.
 * A workflow that ended meanwhile is reported, not retried: it has no open duty left to re-date.
 */
export async function publishCalendar(client: Client, store: CalendarStore, year: CalendarYear): Promise<Outcome & { readonly file: string }> {
  const file = store.install(year);
  const outcome = await eachRunning(client, (id) => client.workflow.getHandle(id).signal(calendarPublishedSignal, year));
  return { file, ...outcome };
}

/**
 * Applies a policy version to every running workflow, as an update each records with who sent it.
 * A workflow refuses a version older than the one it has; that is reported per workflow.
 */
export async function applyPolicyEverywhere(client: Client, policy: Policy, by: string): Promise<Outcome> {
  return eachRunning(client, async (id) => {
    await client.workflow.getHandle(id).executeUpdate(applyPolicyUpdate, { args: [{ policy, by }] });
  });
}
