import { expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { recordAcceptanceUpdate, reviewPlanUpdate, stateQuery, submitPlanUpdate } from '../../src/contracts/village';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, historyLengths, startVillage, useVillageWorld, acceptanceOf } from '../support/village';

/**
 * 五(四): 柳林村 (LH09), paired with 县交通运输局, fails three acceptances in a row; it stays under
 * rectification, and its run goes on for ten years without nearing Temporal's history limits.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-16T00:00:00Z' });

test("three failed acceptances block the paired department's leader and keep the target in rectification for ten years", async () => {
  const handle = await startVillage(world.env, world.taskQueue, roster, 'LH09');
  await advanceTo(world.env, '2018-12-20T03:00:00Z');
  await handle.executeUpdate(submitPlanUpdate, { args: [{ submittedBy: 'lh-sec', summary: '整顿星级化创建，争取民族团结星', measures: ['开展民族团结进步创建活动'] }] });
  await handle.executeUpdate(reviewPlanUpdate, { args: [{ reviewer: 'zzb-li', decision: 'approve' }] });
  const fail = async (year: number, day: string): Promise<void> => {
    await advanceTo(world.env, `${day}T03:00:00Z`);
    await handle.executeUpdate(recordAcceptanceUpdate, {
      args: [acceptanceOf('LH09', { year, evaluatedOn: day, transformed: false, evaluator: 'zzb-li', summary: '班子仍不健全，群众满意度不足60%' })],
    });
  };
  await fail(2019, '2019-11-26');
  await fail(2020, '2020-11-25');
  expect((await handle.query(stateQuery)).consequences.filter((c) => c.clause === '五(四)')).toEqual([]);
  await fail(2021, '2021-11-24');

  // The block names the leader of 县交通运输局 in post that day, once the workflow has asked the roster.
  const fourFive = async () => (await handle.query(stateQuery)).consequences.filter((c) => c.clause === '五(四)').map((c) => [c.kind, c.subject, c.from, c.until]);
  let found = await fourFive();
  for (let i = 0; i < 50 && found.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 100));
    found = await fourFive();
  }
  expect(found).toEqual([
    ['work-team-continues', { type: 'village', code: 'LH09' }, '2021-11-24', undefined],
    ['paired-leader-promotion-blocked', { type: 'person', id: 'd-jt-lead' }, '2021-11-24', undefined],
  ]);

  await advanceTo(world.env, '2022-03-01T03:00:00Z');
  expect(await handle.query(stateQuery)).toMatchObject({ stage: 'rectifying', cycleYear: 4, phase: 'extended' });

  // Ten years on the target is still under rectification and its reminders still go out.
  await advanceTo(world.env, '2028-12-29T03:00:00Z');
  const last = await handle.query(stateQuery);
  // No acceptance was recorded for 2028: the target waits for it, overdue.
  expect(last).toMatchObject({ stage: 'acceptance', cycleYear: 10, overdue: true });
  expect(world.mail.sink.to('lh09-fs@county.example.org').map((m) => m.subject)).toContain('【提醒】柳河镇柳林村：第一书记每月到村开展服务（2028年12月）');

  const lengths = await historyLengths(world.env, handle.workflowId, handle.firstExecutionRunId);
  console.log(`history events per run of LH09, 2018–2028: ${lengths.join(', ')}; total ${lengths.reduce((a, b) => a + b, 0)}`);
  expect(lengths).toHaveLength(11);
  for (const n of lengths) expect(n).toBeLessThanOrEqual(600); // the target is 600 a target-year
}, 600_000); // ten years of month-end wake-ups: about 100 s alone on two cores, more beside other files
