import { describe, expect, test } from 'vitest';
import {
  recordAcceptanceUpdate,
  recordProgressUpdate,
  reassignUpdate,
  reviewPlanUpdate,
  stateQuery,
  submitPlanUpdate,
  type VillageView,
} from '../../src/contracts/village';
import { readRosterFile } from '../../src/activities/roster-file';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, historyLengths, recordHistories, startVillage, useVillageWorld, acceptanceOf } from '../support/village';

/**
 * 东风村 (QS03) in 青石镇, designated on 15 October 2018, through its whole cycle (五(一), 五(二)).
 * Mail is read from a real SMTP server; the Temporal server's clock starts in 2018.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-15T00:00:00Z' });

const subjects = (address: string): string[] => world.mail.sink.to(address).map((m) => m.subject);

describe('a target designated in October 2018', () => {
  test('gets its whole cycle: plan reminders, escalation, revision, approval, progress, acceptance, consolidation, upgrade', async () => {
    const handle = await startVillage(world.env, world.taskQueue, roster, 'QS03');
    const view = (): Promise<VillageView> => handle.query(stateQuery);
    expect((await view()).stage).toBe('plan-due');

    // 五(一): plan due by the end of December; 31 Dec 2018 is a holiday, so the last working day
    // before it, Saturday 29 December (a swapped working day).
    await advanceTo(world.env, '2018-12-27T02:00:00Z');
    const secretary = 'qs-sec@township.example.org';
    expect(subjects(secretary)).toContain('【提醒】青石镇东风村：报送整顿方案（2018年整顿方案）');
    const reminder = world.mail.sink.to(secretary).find((m) => m.subject.includes('报送整顿方案'))!;
    expect(reminder.text).toContain('截止日期：2018-12-29（2018-12-31为休息日，截止日期提前至此前最后一个工作日）');
    expect(reminder.text).toContain('依据：《云岭县软弱涣散农村基层党组织整顿提升两年行动工作方案》（云组通字〔2018〕21号）五(一)');
    expect(reminder.text).toContain('办理入口：http://rect.county.example.org/villages/QS03/obligations/rectification-plan%2Fvillage%3AQS03%2F2018');
    expect(reminder.html).toContain('<th align="left">截止日期</th>');

    // No plan: the due-day reminder, the overdue notice, then a red warning to the organization department.
    await advanceTo(world.env, '2019-01-07T02:00:00Z');
    expect(subjects(secretary).filter((s) => s.includes('报送整顿方案'))).toEqual([
      '【提醒】青石镇东风村：报送整顿方案（2018年整顿方案）',
      '【到期提醒】青石镇东风村：报送整顿方案（2018年整顿方案）',
      '【逾期通知】青石镇东风村：报送整顿方案（2018年整顿方案）',
    ]);
    for (const staff of ['zzb-zhang@county.example.org', 'zzb-li@county.example.org']) {
      expect(subjects(staff)).toContain('【红色预警】青石镇东风村：报送整顿方案（2018年整顿方案）');
    }
    expect((await view()).overdue).toBe(true);

    // The plan comes, is returned for revision with a new deadline, comes again and is approved.
    await handle.executeUpdate(submitPlanUpdate, { args: [{ submittedBy: 'qs-sec', summary: '调整村党支部书记，建立坐班制度，清理集体土地发包合同', measures: ['调整充实村两委班子', '公开2017年以来村务财务'] }] });
    let state = await handle.executeUpdate(reviewPlanUpdate, { args: [{ reviewer: 'zzb-zhang', decision: 'return', comments: '措施缺少时限和责任人', revisionDue: '2019-01-25' }] });
    expect(state.stage).toBe('plan-returned');
    expect(state.open.filter((o) => o.kind === 'rectification-plan')).toEqual([expect.objectContaining({ id: 'rectification-plan/village:QS03/2018-r1', dueDate: '2019-01-25' })]);
    // The first plan came after its due date: it is closed as late, not forgotten.
    expect(state.recentlyClosed.find((o) => o.id === 'rectification-plan/village:QS03/2018')?.closed).toMatchObject({ how: 'late', on: '2019-01-07', by: 'qs-sec' });
    await advanceTo(world.env, '2019-01-22T02:00:00Z');
    expect(subjects(secretary)).toContain('【提醒】青石镇东风村：报送整顿方案（2018年整顿方案（第1次修改））');
    await handle.executeUpdate(submitPlanUpdate, { args: [{ submittedBy: 'qs-sec', summary: '按审核意见补充了每项措施的时限和责任人', measures: ['2019年3月底前调整村两委班子（镇党委书记负责）'] }] });
    state = await handle.executeUpdate(reviewPlanUpdate, { args: [{ reviewer: 'zzb-zhang', decision: 'approve' }] });
    expect(state.stage).toBe('rectifying');
    expect(state.plan).toMatchObject({ status: 'approved', revisions: 1 });

    // 六(三): the half-monthly report attests the first secretary's visit and symposium (四(一)1):
    // no reminder about them follows for January.
    const firstSecretary = 'qs03-fs@county.example.org';
    state = await handle.executeUpdate(recordProgressUpdate, {
      args: [{ period: '2019-01-H2', reportedBy: 'qs-org', progress: '村两委班子调整方案已报镇党委', duties: [{ kind: 'first-secretary-visit', date: '2019-01-21' }, { kind: 'first-secretary-symposium', date: '2019-01-22' }] }],
    });
    expect(state.history.at(-1)?.text).toBe('2019年1月下半月进展：村两委班子调整方案已报镇党委');
    await advanceTo(world.env, '2019-02-02T02:00:00Z');
    expect(subjects(firstSecretary).filter((s) => s.includes('2019年1月'))).toEqual([]);
    expect(subjects(firstSecretary)).toContain('【提醒】青石镇东风村：第一书记每月到村开展服务（2018年12月）');

    // 六(一): the first secretary is replaced; the next reminder goes to the successor.
    await handle.executeUpdate(reassignUpdate, { args: [{ role: 'first-secretary', person: 'spare-fs', effectiveOn: '2019-02-10', by: 'zzb-zhang' }] });
    const before = world.mail.sink.to(firstSecretary).length;
    await advanceTo(world.env, '2019-02-26T02:00:00Z');
    expect(subjects('spare-fs@county.example.org')).toContain('【提醒】青石镇东风村：第一书记每月到村开展服务（2019年2月）');
    expect(world.mail.sink.to(firstSecretary)).toHaveLength(before);

    // 五(一): acceptance in late November 2019 (30 November is a Saturday: due Friday 29 November).
    await advanceTo(world.env, '2019-11-21T02:00:00Z');
    expect((await view()).stage).toBe('acceptance');
    await advanceTo(world.env, '2019-11-27T02:00:00Z');
    expect(subjects('zzb-zhang@county.example.org')).toContain('【提醒】青石镇东风村：县委验收评价（2019年11月下旬）');
    state = await handle.executeUpdate(recordAcceptanceUpdate, { args: [acceptanceOf('QS03', { year: 2019, evaluatedOn: '2019-11-27', transformed: true, evaluator: 'zzb-zhang', summary: '班子健全，制度落实，群众满意度88%' })] });
    expect(state).toMatchObject({ stage: 'consolidating', cycleYear: 1 });

    // 五(二): consolidation in 2020, upgrade in 2021, then the cycle closes.
    await advanceTo(world.env, '2020-06-10T02:00:00Z');
    expect(await view()).toMatchObject({ stage: 'consolidating', cycleYear: 2, phase: 'consolidate' });
    await advanceTo(world.env, '2021-06-10T02:00:00Z');
    expect(await view()).toMatchObject({ stage: 'upgrading', cycleYear: 3, phase: 'upgrade' });
    await advanceTo(world.env, '2022-01-02T02:00:00Z');
    expect(await handle.result()).toMatchObject({ village: 'QS03', stage: 'closed', acceptances: [{ year: 2019, transformed: true }] });

    // Idempotent: every notice reached the SMTP server exactly once.
    const ids = world.mail.sink.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);

    const lengths = await historyLengths(world.env, handle.workflowId, handle.firstExecutionRunId);
    console.log(`history events per run (one run per calendar year) of QS03: ${lengths.join(', ')}`);
    expect(lengths).toHaveLength(4); // 2018, 2019, 2020, 2021
    for (const n of lengths) expect(n).toBeLessThanOrEqual(600); // the target: 600 a target-year
  await recordHistories(world.env, handle.workflowId, handle.firstExecutionRunId, 'village-cycle-every-ladder-step');
  }, 600_000); // three years and more of wake-ups: slow beside the other workflow files on two cores
});
