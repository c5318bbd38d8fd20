/**
 * Moving the time-skipping server's clock and reading histories: shared by the tests and the
 * benchmarks (bench/), so it imports nothing of vitest.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';

const STEP_MS = 7 * 86_400_000;

/**
 * Moves the time-skipping server's clock to an instant (no-op if it is already past it), in steps
 * of at most 7 days. One long `unlockTimeSkippingWithSleep` call can outlast the server's patience
 * with keepalive pings; the client then sends the call again, and the clock overshoots by the whole
 * duration. Short steps, each recomputed from the server's clock, cannot.
 */
export async function advanceTo(env: TestWorkflowEnvironment, iso: string): Promise<void> {
  const target = Date.parse(iso);
  for (let now = await env.currentTimeMs(); now < target; now = await env.currentTimeMs()) {
    await env.sleep(Math.min(target - now, STEP_MS));
  }
  const reached = await env.currentTimeMs();
  if (reached > target + 86_400_000) throw new Error(`time-skipping overshoot: asked for ${iso}, the server is at ${new Date(reached).toISOString()}`);
}

export type History = Awaited<ReturnType<ReturnType<TestWorkflowEnvironment['client']['workflow']['getHandle']>['fetchHistory']>>;

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

