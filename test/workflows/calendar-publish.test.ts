import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { calendarStore } from '../../src/activities/calendar-store';
import { designateTarget } from '../../src/client/supervision';
import { calendarPublishedSignal } from '../../src/contracts/entity';
import { townshipStateQuery, townshipWorkflowId } from '../../src/contracts/township';
import { stateQuery } from '../../src/contracts/village';
import { official2027 } from '../support/calendar';
import { sampleRosterFile } from '../support/mail';
import { bundle } from '../support/temporal';
import { advanceTo, recordHistories, runHistories, useVillageWorld } from '../support/village';

/**
 * A target running in January 2027, before the State Council's arrangement for 2027 reached the
 * worker: its 2027 deadlines are provisional (weekends only). The arrangement is published; the
 * deadlines move where it says, the people responsible are told, and the histories replay the
 * same with the new data installed. The bundled data covers years up to 2026.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2026-12-20T00:00:00Z' });
const fs = 'qs03-fs@county.example.org';
const org = 'qs-org@township.example.org';

test('a newly published arrangement re-dates provisional deadlines and says so; histories still replay', async () => {
  const qs03 = await designateTarget(world.env.client, world.taskQueue, roster, 'QS03', { redesignate: '2026-12-20' });
  const township = world.env.client.workflow.getHandle(townshipWorkflowId('QS'));
  await advanceTo(world.env, '2027-01-20T03:00:00Z');

  const visit = 'first-secretary-visit/village:QS03/2027-01';
  const report = 'half-monthly-report/township:QS/2027-01-H2';
  // Sunday 31 January: the visit comes forward to Friday the 29th, the report goes to Monday 1 February.
  expect((await qs03.query(stateQuery)).open.find((o) => o.id === visit)).toMatchObject({ dueDate: '2027-01-29', provisional: true });
  expect((await township.query(townshipStateQuery)).open.find((o) => o.id === report)).toMatchObject({ dueDate: '2027-02-01', provisional: true });

  // `cli calendar publish`: installed where the worker reads it, and every running workflow told.
  calendarStore(world.mail.calendarDir).install(official2027);
  for (const h of [qs03, township]) await h.signal(calendarPublishedSignal, official2027);
  await advanceTo(world.env, '2027-01-21T03:00:00Z');

  // In the arrangement, Sunday 31 January is a working day (调休).
  const village = await qs03.query(stateQuery);
  expect(village.open.find((o) => o.id === visit)).toMatchObject({ dueDate: '2027-01-31', provisional: false });
  expect(village.calendarYears.find((y) => y.year === 2027)).toMatchObject({ official: true, source: official2027.source });
  expect(village.history.map((h) => h.text)).toContain(`第一书记每月到村开展服务（2027年1月）截止日期由2027-01-29调整为2027-01-31：2027年节假日安排（${official2027.source}）`);
  const tv = await township.query(townshipStateQuery);
  expect(tv.open.find((o) => o.id === report)).toMatchObject({ dueDate: '2027-01-31', provisional: false });

  const moved = (to: string) => world.mail.sink.to(to).filter((m) => m.subject.startsWith('【截止日期调整】'));
  // The first secretary's monthly duties move to the 31st; the annual report due on 31 December
  // (county practice) comes forward to the 30th, 31 December being a holiday in the arrangement.
  expect(moved(fs).map((m) => m.subject).sort()).toEqual(
    [
      '【截止日期调整】青石镇东风村：第一书记每月到村开展服务（2027年1月）',
      '【截止日期调整】青石镇东风村：第一书记每月与村民座谈交流（2027年1月）',
      '【截止日期调整】青石镇东风村：第一书记年度履职报告（2027年）',
    ].sort(),
  );
  expect(moved(fs).find((m) => m.subject.includes('到村开展服务'))!.text).toContain(`截止日期由2027-01-29调整为2027-01-31（2027年节假日安排（${official2027.source}））`);
  expect(moved(fs).find((m) => m.subject.includes('年度履职报告'))!.text).toContain('截止日期由2027-12-31调整为2027-12-30');
  expect(moved(org).map((m) => m.subject)).toEqual(['【截止日期调整】青石镇：每半月上报整顿工作进展（2027年1月下半月）']);
  expect(moved(org)[0]!.text).toContain('原截止日期：2027-02-01');
  // A duty whose date did not move (the plan, due in 2026) is not mentioned.
  const allMoved = world.mail.sink.received.filter((m) => m.subject.startsWith('【截止日期调整】')).length;
  expect(world.mail.sink.received.some((m) => m.subject.startsWith('【截止日期调整】') && m.subject.includes('整顿方案'))).toBe(false);

  // The arrangement published again changes nothing and sends nothing.
  await qs03.signal(calendarPublishedSignal, official2027);
  await advanceTo(world.env, '2027-01-22T03:00:00Z');
  expect(world.mail.sink.received.filter((m) => m.subject.startsWith('【截止日期调整】'))).toHaveLength(allMoved);

  // The recorded runs replay with the 2027 file installed: a replay takes the years its history recorded.
  const workflowBundle = await bundle(path.resolve(__dirname, '../../src/workflows'));
  for (const [id, run] of [
    [qs03.workflowId, qs03.firstExecutionRunId],
    [township.workflowId, (await township.describe()).runId],
  ] as const) {
    for (const history of await runHistories(world.env, id, run)) {
      await Worker.runReplayHistory({ workflowBundle }, history, id);
    }
  }
  await recordHistories(world.env, qs03.workflowId, qs03.firstExecutionRunId, 'village-calendar-published');
}, 300_000);
