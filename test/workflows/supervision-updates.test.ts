import { describe, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { designateTarget, InvalidInquiryError, issueInquiry } from '../../src/client/supervision';
import { inquiryStateQuery, submitExplanationUpdate } from '../../src/contracts/inquiry';
import { decideProposalUpdate, submitReportUpdate, townshipStateQuery, townshipWorkflowId, type SubmitReport, type TownshipView } from '../../src/contracts/township';
import { villageWorkflowId, withdrawUpdate } from '../../src/contracts/village';
import { addDays, localDateOf, periodById, periodOf } from '../../src/domain/calendar';
import { sampleRosterFile } from '../support/mail';
import { recordHistories, stateOf, useVillageWorld } from '../support/village';
import { rejection } from '../support/temporal';

/** Update validators of the township and the inquiry case, on the dev server (today's clock). */
const roster = readRosterFile(sampleRosterFile);
const today = localDateOf(Date.now());
const period = periodOf('half-month', today).id;
const world = useVillageWorld({ devServer: true });


const entry = (village: string): SubmitReport['entries'][number] => ({ village, progress: '召开村民代表会议，公开村务财务' });

describe('township reports', () => {
  test('a report missing a target, naming an unknown village or repeating a period is rejected and changes nothing', async () => {
    for (const v of ['QS03', 'QS07']) await designateTarget(world.env.client, world.taskQueue, roster, v);
    const qs = world.env.client.workflow.getHandle(townshipWorkflowId('QS'));
    const before = stateOf(await qs.query(townshipStateQuery));
    expect(before.targets.map((t) => t.village)).toEqual(['QS03', 'QS07']);
    const submit = (r: Partial<SubmitReport>): Promise<unknown> =>
      qs.executeUpdate(submitReportUpdate, { args: [{ period, reportedBy: 'qs-org', entries: [entry('QS03'), entry('QS07')], ...r }] });

    expect(await rejection(submit({ entries: [entry('QS03')] }))).toEqual({
      type: 'InvalidInput',
      message: 'entries：缺少QS07的进展（每个整顿对象一条）',
    });
    expect(await rejection(submit({ entries: [entry('QS03'), entry('QS07'), entry('LH02')] }))).toEqual({ type: 'InvalidInput', message: 'entries.2.village：LH02不是本乡镇的整顿对象' });
    expect((await rejection(submit({ entries: [entry('QS03'), entry('QS03')] }))).message).toBe('entries.1.village：QS03重复填报');
    expect((await rejection(submit({ entries: [{ village: 'QS07', progress: '' }, entry('QS03')] }))).message).toBe('entries.0.progress：工作进展至少4个字');
    expect((await rejection(submit({ period: periodOf('half-month', addDays(today, 40)).id }))).message).toMatch(/^period：\d{4}年\d{1,2}月[上下]半月尚未开始$/);
    // 六(三): a half month's report attests what was done in that half month.
    const { start, end, label } = periodById(period);
    const dayBefore = addDays(start, -1);
    expect((await rejection(submit({ entries: [{ ...entry('QS03'), duties: [{ kind: 'flag-raising', date: dayBefore }] }, entry('QS07')] }))).message).toBe(
      `entries.0.duties.0.date：${dayBefore}不在${label}（${start}至${end}）内：半月进展只报本半月完成的事项（六(三)），其他日期请在所在半月的进展中填报`,
    );
    expect((await rejection(submit({ amendment: true }))).message).toBe(`amendment：${periodById(period).label}尚未报送，无可更正`);
    expect(stateOf(await qs.query(townshipStateQuery))).toEqual(before);

    const accepted = (await submit({})) as TownshipView;
    expect(accepted.reports.map((r) => [r.period, r.amendments])).toEqual([[period, 0]]);
    const after = stateOf(await qs.query(townshipStateQuery));
    const duplicate = await rejection(submit({}));
    expect(duplicate.type).toBe('InvalidState');
    expect(duplicate.message).toMatch(new RegExp(`^${periodById(period).label}的进展已于\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}报送；如需替换，请标明为更正$`));
    expect(stateOf(await qs.query(townshipStateQuery))).toEqual(after);
    await submit({ amendment: true, entries: [entry('QS07'), { ...entry('QS03'), progress: '更正：已召开村民代表会议两次' }] });
    expect((await qs.query(townshipStateQuery)).reports.map((r) => [r.period, r.amendments])).toEqual([[period, 1]]);

    expect(await rejection(qs.executeUpdate(decideProposalUpdate, { args: [{ quarter: '2026-Q4', decision: 'decline', by: 'zzb-zhang', note: '已当面督促' }] }))).toEqual({
      type: 'InvalidInput',
      message: 'quarter：2026-Q4没有函询建议',
    });

    const history = await qs.fetchHistory();
    expect(history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(2);

    // A withdrawn designation reaches the township from the village's workflow.
    const qs07 = world.env.client.workflow.getHandle(villageWorkflowId('QS07'));
    await qs07.executeUpdate(withdrawUpdate, { args: [{ by: 'zzb-zhang', reason: '经复核不属于软弱涣散村党组织' }] });
    let target = (await qs.query(townshipStateQuery)).targets.find((t) => t.village === 'QS07');
    for (let i = 0; i < 50 && !target?.withdrawnOn; i++) {
      await new Promise((r) => setTimeout(r, 100));
      target = (await qs.query(townshipStateQuery)).targets.find((t) => t.village === 'QS07');
    }
    expect(target).toMatchObject({ village: 'QS07', withdrawnOn: today, active: false });
    expect((await qs.query(townshipStateQuery)).history.at(-1)?.text).toBe(`QS07撤销认定（${today}）`);

    await recordHistories(world.env, qs.workflowId, (await qs.describe()).runId, 'township-updates-refused');
    await recordHistories(world.env, qs07.workflowId, (await qs07.describe()).runId, 'township-target-withdrawn');
  });
});

describe('inquiry cases', () => {
  test('only an organization department member issues a letter', async () => {
    const err = await issueInquiry(world.env.client, world.taskQueue, roster, { township: 'QS', reason: '半月报告质量不高', issuedBy: 'qs-sec' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInquiryError);
    expect((err as InvalidInquiryError).problems).toEqual(['issuedBy：qs-sec不是县委组织部人员（是乡镇党委书记）']);
  });

  test('an explanation missing one of its three parts is rejected and changes nothing; a complete one is accepted', async () => {
    const handle = await issueInquiry(world.env.client, world.taskQueue, roster, { township: 'QS', reason: '半月报告内容空泛', issuedBy: 'zzb-li', caseId: `QS-updates-${Date.now()}` });
    // Once the letter is out, nothing else happens until the explanation is due.
    let before = await handle.query(inquiryStateQuery);
    for (let i = 0; i < 100 && !before.history.some((h) => h.type === 'notices-sent'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      before = await handle.query(inquiryStateQuery);
    }
    expect(before.stage).toBe('awaiting-explanation');
    expect(before.history.at(-1)?.text).toBe('已发送通知1条：函询函');
    const explain = (e: Record<string, unknown>): Promise<unknown> =>
      handle.executeUpdate(submitExplanationUpdate, { args: [{ by: 'qs-sec', rootCause: '对整顿工作重视不够', measures: '每周调度一次', timeLimit: addDays(today, 30), ...e } as never] });

    expect((await rejection(explain({ rootCause: undefined }))).message).toMatch(/^rootCause：/);
    expect((await rejection(explain({ measures: '' }))).message).toBe('measures：整顿措施至少4个字');
    expect((await rejection(explain({ timeLimit: undefined }))).message).toMatch(/^timeLimit：/);
    expect((await rejection(explain({ timeLimit: today }))).message).toBe(`timeLimit：整顿时限${today}须晚于今天（${today}）`);
    expect((await rejection(explain({ by: 'lh-sec' }))).message).toBe('by：lh-sec不是函询对象（qs-sec、qs-org）');
    expect(stateOf(await handle.query(inquiryStateQuery))).toEqual(stateOf(before));

    const view = (await explain({})) as typeof before;
    expect(view).toMatchObject({ stage: 'explained', explanation: { by: 'qs-sec', rootCause: '对整顿工作重视不够', measures: '每周调度一次', onTime: true } });
    expect((await rejection(explain({}))).type).toBe('InvalidState');
    const history = await handle.fetchHistory();
    // The update issuing waited for (the case opened), and the one explanation; none of the rejected ones.
    expect(history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.name)).toEqual(['caseOpened', 'submitExplanation']);

    // Operators find the case by its search attributes.
    const found: string[] = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      for await (const wf of world.env.client.workflow.list({ query: `WorkflowType = 'inquiryCase' AND RectTownship = 'QS' AND RectStage = 'explained'` })) found.push(wf.workflowId);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toEqual([handle.workflowId]);
    await recordHistories(world.env, handle.workflowId, (await handle.describe()).runId, 'case-updates-refused');
  });
});
