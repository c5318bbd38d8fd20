import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { designateVillage, villageInputFromRoster } from '../../src/client/village';
import { startMailHarness, type MailHarness } from './mail';
import { bundle, createDevServerEnv, createTimeSkippingEnv, uniqueId } from './temporal';
import type { Roster } from '../../src/domain/roster';
import type { villageRectification } from '../../src/workflows';

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

/** A Temporal server, a real SMTP sink and the product's worker on its own task queue. */
export interface VillageWorld {
  readonly env: TestWorkflowEnvironment;
  readonly mail: MailHarness;
  readonly taskQueue: string;
  close(): Promise<void>;
}

/**
 * Starts the world of a workflow test file: the time-skipping server (at `startAt`, when given)
 * or the dev server, the mail harness, and a worker running the product's workflows bundle.
 */
export async function startVillageWorld(opts: { startAt?: string; devServer?: boolean; rosterFile?: string }): Promise<VillageWorld> {
  const taskQueue = uniqueId('village');
  const [env, workflowBundle] = await Promise.all([
    opts.devServer ? createDevServerEnv() : createTimeSkippingEnv(opts.startAt ? { startAt: opts.startAt } : {}),
    bundle(path.resolve(__dirname, '../../src/workflows')),
  ]);
  const mail = await startMailHarness(opts.rosterFile, { temporal: env.client });
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities: mail.activities });
  const running = worker.run();
  return {
    env,
    mail,
    taskQueue,
    async close() {
      worker.shutdown();
      await running;
      await mail.close();
      await env.teardown();
    },
  };
}

/**
 * The world of a test file, started before its tests and closed after them. Its fields can be
 * read once the tests run (not at the file's top level).
 */
export function useVillageWorld(opts: Parameters<typeof startVillageWorld>[0]): VillageWorld {
  let world: VillageWorld | undefined;
  beforeAll(async () => {
    world = await startVillageWorld(opts);
  });
  afterAll(async () => {
    await world?.close();
  });
  const current = (): VillageWorld => {
    if (!world) throw new Error('the world is started in beforeAll: read it inside a test');
    return world;
  };
  return {
    get env() {
      return current().env;
    },
    get mail() {
      return current().mail;
    },
    get taskQueue() {
      return current().taskQueue;
    },
    close: () => current().close(),
  };
}
