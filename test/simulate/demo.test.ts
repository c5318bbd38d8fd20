import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { afterAll, expect, test } from 'vitest';
import { townshipStateQuery, townshipWorkflowId } from '../../src/contracts/township';
import { stateQuery, villageWorkflowId } from '../../src/contracts/village';
import { localDateOf } from '../../src/domain/calendar';
import { demoRoster } from '../../src/demo';
import { playDemo, startHandedOver } from '../../simulate/demo';
import { startMailHarness, type MailHarness } from '../support/mail';
import { bundle, createDevServerEnv, uniqueId } from '../support/temporal';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

/**
 * `npm start -- --demo` shows a county at work: the sample county designated last autumn is played
 * forward on the time-skipping server to yesterday, then its workflows carry on on the dev server
 * where they stood — plans approved, reports in, some duties overdue — in real time.
 */
let env: TestWorkflowEnvironment | undefined;
let mail: MailHarness | undefined;
let worker: { shutdown(): void; running: Promise<void> } | undefined;
afterAll(async () => {
  worker?.shutdown();
  await worker?.running;
  await mail?.close();
  await env?.teardown();
});

test('the demo county, played to yesterday, carries on on the dev server where it stood', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'demo-'));
  const rosterFile = path.join(dir, 'roster.json');
  const { roster } = demoRoster(path.resolve(__dirname, '../../roster/sample-county.json'), Date.now(), 1);
  writeFileSync(rosterFile, JSON.stringify(roster));
  const played = await playDemo(rosterFile);
  // Every action of the simulated officials was taken (a talk is scheduled in the simulated future, not the machine's).
  expect(played.problems).toEqual([]);
  const today = localDateOf(Date.now());
  // Designated last autumn: more than a year of work played.
  expect(Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - (Number(played.start.slice(0, 4)) * 12 + Number(played.start.slice(5, 7)))).toBeGreaterThanOrEqual(12);
  // Every target, township, the programme and the ledger are handed over.
  const ids = played.handover.map((h) => h.workflowId);
  for (const d of roster.designations) expect(ids).toContain(villageWorkflowId(d.village));
  expect(ids).toContain('programme:YL');

  const taskQueue = uniqueId('demo');
  env = await createDevServerEnv();
  mail = await startMailHarness(rosterFile, { temporal: env.client });
  const w = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await bundle(path.resolve(__dirname, '../../src/workflows')), activities: mail.activities });
  worker = { shutdown: () => w.shutdown(), running: w.run() };
  expect(await startHandedOver(env.client, taskQueue, played.handover)).toBe(played.handover.length);

  // On the dev server, as they stood: designated last autumn, their records kept, plans through.
  const views = await Promise.all(roster.designations.map((d) => env!.client.workflow.getHandle(villageWorkflowId(d.village)).query(stateQuery)));
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
  for (const v of views) {
    expect(v.designation.date < today).toBe(true);
    expect(v.history.some((h) => h.at < monthAgo)).toBe(true);
  }
  expect(views.filter((v) => v.plan.status === 'approved').length).toBeGreaterThanOrEqual(roster.designations.length / 2);
  // Some duties are overdue, others not: the dashboard shows red beside green.
  const open = views.flatMap((v) => v.open);
  expect(open.some((o) => o.overdue)).toBe(true);
  expect(open.some((o) => !o.overdue)).toBe(true);
  // The townships' half-monthly reports came in through the year.
  const qs = await env.client.workflow.getHandle(townshipWorkflowId('QS')).query(townshipStateQuery);
  expect(qs.reports.length).toBeGreaterThan(10);
  // And a handed-over workflow answers a second start where it is (npm start again): nothing twice.
  expect(await startHandedOver(env.client, taskQueue, played.handover)).toBe(0);
}, 600_000);
