import { describe, expect, test, vi } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { designateVillage, InvalidDesignationError, villageInputFromRoster } from '../../src/client/village';
import { fulfilObligationUpdate } from '../../src/contracts/entity';
import {
  recordAcceptanceUpdate,
  recordProgressUpdate,
  reviewPlanUpdate,
  stateQuery,
  submitPlanUpdate,
  withdrawUpdate,
  type VillageInput,
} from '../../src/contracts/village';
import { localDateOf } from '../../src/domain/calendar';
import { sampleRosterFile } from '../support/mail';
import { recordHistories, stateOf, useVillageWorld, acceptanceOf } from '../support/village';
import { rejection } from '../support/temporal';

/** Updates and lists need the dev server; its clock is today's, so designations are dated this month. */
const roster = readRosterFile(sampleRosterFile);
const thisMonth = `${localDateOf(Date.now()).slice(0, 7)}-01`;

function input(village: string): VillageInput {
  const base = villageInputFromRoster(roster, village);
  return { ...base, designation: { ...base.designation, date: thisMonth } };
}

const world = useVillageWorld({ devServer: true });


describe('designation', () => {
  test('designating the same village twice returns the running workflow, listed for operators by its search attributes', async () => {
    const first = await designateVillage(world.env.client, world.taskQueue, input('QS07'));
    const again = await designateVillage(world.env.client, world.taskQueue, input('QS07'));
    expect(again.firstExecutionRunId).toBe(first.firstExecutionRunId);

    const found: string[] = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      for await (const wf of world.env.client.workflow.list({ query: `RectVillage = 'QS07' AND RectTownship = 'QS' AND RectStage = 'plan-due'` })) found.push(wf.workflowId);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toEqual(['village:QS07']);
  });

  test('bad input is refused before anything starts, naming the field', async () => {
    const bad = { ...input('QS07'), designation: { ...input('QS07').designation, village: 'QS08', criteria: [{ criterion: 7, evidence: '' }] } };
    const err = await designateVillage(world.env.client, world.taskQueue, bad as VillageInput).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidDesignationError);
    expect((err as InvalidDesignationError).problems).toEqual([
      'designation.criteria[0].criterion：应为方案第三部分所列认定标准1–6之一',
      'designation.criteria[0].evidence：认定依据不能为空',
    ]);
    await expect(world.env.client.workflow.getHandle('village:QS08').describe()).rejects.toThrow(/not found/i);
  });
});

describe('updates rejected by their validators change nothing', () => {
  test('plan, review, progress, acceptance and fulfilment', async () => {
    const handle = await designateVillage(world.env.client, world.taskQueue, input('LH02'));
    // Read once the first wake-up has loaded the holiday years and opened the duties; before it the view still changes.
    const before = await vi.waitFor(
      async () => {
        const s = await handle.query(stateQuery);
        expect(s.calendarYears.length).toBeGreaterThan(0);
        return s;
      },
      { timeout: 10_000, interval: 100 },
    );

    expect(await rejection(handle.executeUpdate(submitPlanUpdate, { args: [{ submittedBy: 'lh-sec', summary: '太短', measures: [] }] }))).toEqual({
      type: 'InvalidInput',
      message: 'summary：方案概要至少10个字；measures：方案至少列出一项整顿措施',
    });
    expect(await rejection(handle.executeUpdate(reviewPlanUpdate, { args: [{ reviewer: 'zzb-zhang', decision: 'approve' }] }))).toEqual({
      type: 'InvalidState',
      message: '没有待审核的整顿方案（方案状态：待报送）',
    });
    expect(await rejection(handle.executeUpdate(recordProgressUpdate, { args: [{ period: '2026-13-H1', reportedBy: 'lh-org', progress: '推进中推进中' }] }))).toEqual({
      type: 'InvalidInput',
      message: 'period：应为半月，如2019-03-H1（上半月）或2019-03-H2（下半月）',
    });
    const firstAcceptance = Number(thisMonth.slice(0, 4)) + 1;
    expect(
      await rejection(handle.executeUpdate(recordAcceptanceUpdate, { args: [acceptanceOf('LH02', { year: firstAcceptance - 1, evaluatedOn: thisMonth, transformed: true, evaluator: 'zzb-li', summary: '已经转化' })] })),
    ).toEqual({ type: 'InvalidInput', message: `year：首次验收评价在${firstAcceptance}年11月下旬（五(一)）` });
    const unknown = await rejection(handle.executeUpdate(fulfilObligationUpdate, { args: [{ obligationId: 'nope', fulfilledOn: thisMonth, by: 'lh-org' }] }));
    expect(unknown.message).toMatch(/^obligationId：没有待办事项nope；待办事项有：/);

    // Nothing changed: the same state, and no update was accepted into the history.
    expect(stateOf(await handle.query(stateQuery))).toEqual(stateOf(before));
    const history = await handle.fetchHistory();
    expect(history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);

    // A valid plan goes through; a return without a new deadline does not.
    expect((await handle.executeUpdate(submitPlanUpdate, { args: [{ submittedBy: 'lh-sec', summary: '规范“两会两票”，公开村务财务', measures: ['每季度公开村务财务'] }] })).stage).toBe('plan-submitted');
    expect(await rejection(handle.executeUpdate(reviewPlanUpdate, { args: [{ reviewer: 'zzb-zhang', decision: 'return', comments: '措施不具体' }] }))).toEqual({
      type: 'InvalidInput',
      message: 'revisionDue：退回修改须给出重新报送的期限',
    });
    expect((await handle.query(stateQuery)).stage).toBe('plan-submitted');
    await recordHistories(world.env, handle.workflowId, handle.firstExecutionRunId, 'village-updates-refused');
  });

  test('a withdrawn designation ends its workflow; later updates are refused', async () => {
    const handle = await designateVillage(world.env.client, world.taskQueue, input('JS04'));
    expect(await rejection(handle.executeUpdate(withdrawUpdate, { args: [{ by: 'zzb-zhang', reason: '' }] }))).toEqual({
      type: 'InvalidInput',
      message: 'reason：撤销理由至少4个字',
    });
    const state = await handle.executeUpdate(withdrawUpdate, { args: [{ by: 'zzb-zhang', reason: '经复核，该村不符合认定标准' }] });
    expect(state.stage).toBe('withdrawn');
    expect(await handle.result()).toMatchObject({ village: 'JS04', stage: 'withdrawn' });
    await expect(handle.executeUpdate(submitPlanUpdate, { args: [{ submittedBy: 'js-sec', summary: '撤销后不应再受理方案', measures: ['无'] }] })).rejects.toThrow();
    await recordHistories(world.env, handle.workflowId, handle.firstExecutionRunId, 'village-withdrawn');
  });
});
