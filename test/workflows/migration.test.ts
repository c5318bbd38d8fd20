import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { designateTarget } from '../../src/client/supervision';
import { townshipStateQuery, townshipWorkflowId } from '../../src/contracts/township';
import { stateQuery, villageWorkflowId } from '../../src/contracts/village';
import { readRosterFile } from '../../src/activities/roster-file';
import { sampleRosterFile, startMailHarness, type MailHarness } from '../support/mail';
import { bundle, createTimeSkippingEnv, uniqueId } from '../support/temporal';
import { advanceTo, recordHistories, runHistories } from '../support/village';

/**
 * Runs started before the obligation book (the code workers ran until now, kept in
 * src/workflows/legacy) move to the book at their next continue-as-new, the first wake-up of a new
 * year: what they owed and had not settled is open in the book, what they had sent is not sent
 * again, and their record carries over. A worker of today replays the legacy run as it was.
 */
const roster = readRosterFile(sampleRosterFile);
let env: TestWorkflowEnvironment;
let mail: MailHarness;

beforeAll(async () => {
  env = await createTimeSkippingEnv({ startAt: '2019-11-25T00:00:00Z' });
  mail = await startMailHarness(sampleRosterFile, { temporal: env.client });
});

afterAll(async () => {
  await mail?.close();
  await env?.teardown();
});

test('a legacy village and township continue into the obligation book at the new year', async () => {
  const taskQueue = uniqueId('migration');
  const [legacyBundle, productBundle] = await Promise.all([
    bundle(path.resolve(__dirname, '../fixtures/legacy-workflows.ts')),
    bundle(path.resolve(__dirname, '../../src/workflows')),
  ]);

  // Until 20 December 2019 the county's workers run the code from before the book.
  // Without a workflow cache the legacy worker takes no sticky queue: the time-skipping server would
  // otherwise keep the runs' next tasks on the stopped worker's sticky queue.
  const legacy = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: legacyBundle,
    activities: mail.activities,
    maxCachedWorkflows: 0,
  });
  // (A query needs a worker to answer it, so the legacy view is read while the legacy worker runs.)
  const [qs03, before] = await legacy.runUntil(async () => {
    const handle = await designateTarget(env.client, taskQueue, roster, 'QS03');
    await advanceTo(env, '2019-12-20T03:00:00Z');
    return [handle, await handle.query(stateQuery)] as const;
  });
  expect(before).not.toHaveProperty('open'); // the legacy view: upcoming duties from a window
  const sentBefore = mail.sink.received.length;
  expect(mail.sink.to('zzb-zhang@county.example.org').map((m) => m.subject)).toContain('【提醒】青石镇东风村：县委验收评价（2019年11月下旬）');

  // Then today's worker: it replays the legacy runs as they were, and they continue into the book.
  const today = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: productBundle, activities: mail.activities });
  await today.runUntil(async () => {
    await advanceTo(env, '2020-01-10T03:00:00Z');
    const runs = await runHistories(env, villageWorkflowId('QS03'), qs03.firstExecutionRunId);
    expect(runs).toHaveLength(2);

    const after = await qs03.query(stateQuery);
    // The late-November acceptance of 2019 was never recorded: it is open, the county's, overdue,
    // and counts as not transformed (五(四)).
    expect(after.open.find((o) => o.id === 'acceptance-evaluation/village:QS03/2019-11-late')).toMatchObject({ overdue: true, responsible: { role: 'org-department-staff' } });
    expect(after.acceptanceResults).toEqual([{ year: 2019, date: '2019-12-31', transformed: false, implied: true }]);
    expect(after.history.some((h) => h.type === 'migrated')).toBe(true);
    // Its record from before the move is kept.
    expect(after.history.filter((h) => h.type === 'notices-sent').length).toBeGreaterThan(0);
    // December's monthly duties stay open and overdue; nothing the legacy run had sent went out again.
    expect(after.open.filter((o) => o.periodLabel === '2019年12月').map((o) => [o.kind, o.overdue])).toEqual([
      ['first-secretary-visit', true],
      ['first-secretary-symposium', true],
    ]);
    const ids = mail.sink.received.map((m) => `${m.messageId}>${m.envelopeTo.join(',')}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(mail.sink.received.length).toBeGreaterThan(sentBefore);

    const township = env.client.workflow.getHandle(townshipWorkflowId('QS'));
    const tv = await township.query(townshipStateQuery);
    expect(tv.open.map((o) => o.id)).toContain('half-monthly-report/township:QS/2019-12-H2');
    expect(tv.history.some((h) => h.type === 'migrated')).toBe(true);

    await recordHistories(env, qs03.workflowId, qs03.firstExecutionRunId, 'qs03-migrated');
    // The township's continued run starts from the legacy state it carried: its replay takes the migration path.
    await recordHistories(env, township.workflowId, (await township.describe()).runId, 'qs-township-migrated');
  });
}, 300_000);
