import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { designateVillage, villageInputFromRoster } from '../../src/client/village';
import { readRosterFile } from '../../src/activities/roster-file';
import { sampleRosterFile, startMailHarness, type MailHarness } from './mail';
import { bundle, createDevServerEnv, createTimeSkippingEnv, uniqueId } from './temporal';
import type { Roster } from '../../src/domain/roster';
import type { villageRectification } from '../../src/workflows';
import { runHistories } from './clock';

export { advanceTo, runHistories } from './clock';

/** Designates a village of the roster as the product does. */
export async function startVillage(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  roster: Roster,
  village: string,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof villageRectification>> {
  return designateVillage(env.client, taskQueue, villageInputFromRoster(roster, village));
}

export async function historyLengths(env: TestWorkflowEnvironment, workflowId: string, firstRunId: string): Promise<number[]> {
  return (await runHistories(env, workflowId, firstRunId)).map((h) => h.events?.length ?? 0);
}

/**
 * With RECORD_HISTORIES=1, writes the runs' histories under test/histories/ as `<name>-runNN.json`,
 * where the replay test picks them up: a later change that is not deterministic for them fails the
 * build. The first two runs only (the start and one continue-as-new): later years replay the same
 * code paths, and the set stays small.
 */
export async function recordHistories(env: TestWorkflowEnvironment, workflowId: string, firstRunId: string, name: string, runs = 2): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const dir = path.resolve(__dirname, '../histories');
  mkdirSync(dir, { recursive: true });
  const histories = (await runHistories(env, workflowId, firstRunId)).slice(0, runs);
  // The workflow id goes with the history: the workflow derives notice keys from it.
  histories.forEach((h, i) =>
    writeFileSync(path.join(dir, `${name}-run${String(i + 1).padStart(2, '0')}.json`), `{"workflowId":${JSON.stringify(workflowId)},"history":${historyToJSON(h)}}\n`),
  );
}

/** A view without the moment it speaks of (`asOf` moves with every read): what a rejected update must not change. */
export function stateOf<T extends { readonly asOf: string }>(view: T): Omit<T, 'asOf'> {
  const { asOf: _asOf, ...state } = view;
  return state;
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

/**
 * An acceptance as the department records it (五(一)): every ground the sample county designated
 * the village on, resolved when it is transformed (or as `resolved` says), and the meeting.
 */
export function acceptanceOf<T extends { transformed: boolean }>(village: string, fields: T, resolved: boolean = fields.transformed): T & { grounds: { criterion: number; resolved: boolean; evidence: string }[]; meeting: string } {
  const designation = sampleDesignations().find((d) => d.village === village);
  if (!designation) throw new Error(`the sample county did not designate ${village}`);
  return {
    ...fields,
    grounds: designation.criteria.map((c) => ({ criterion: c.criterion, resolved, evidence: resolved ? '问题已整改到位，经核实' : '问题尚未整改到位' })),
    meeting: `县委常委会（${village}验收评价）`,
  };
}

let designations: Roster['designations'] | undefined;
function sampleDesignations(): Roster['designations'] {
  return (designations ??= readRosterFile(sampleRosterFile).designations);
}
