import { describe, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { designateVillage, InvalidDesignationError, villageInputFromRoster } from '../../src/client/village';
import {
  fulfilObligationUpdate,
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
import { recordHistories, useVillageWorld } from '../support/village';
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
      'designation.criteria[0].criterion: must be one of the criteria 1–6 of 三',
      'designation.criteria[0].evidence: evidence must not be empty',
    ]);
    await expect(world.env.client.workflow.getHandle('village:QS08').describe()).rejects.toThrow(/not found/i);
  });
});

describe('updates rejected by their validators change nothing', () => {
  test('plan, review, progress, acceptance and fulfilment', async () => {
    const handle = await designateVillage(world.env.client, world.taskQueue, input('LH02'));
    const before = await handle.query(stateQuery);

    expect(await rejection(handle.executeUpdate(submitPlanUpdate, { args: [{ submittedBy: 'lh-sec', summary: '太短', measures: [] }] }))).toEqual({
      type: 'InvalidInput',
      message: 'summary: summary must be at least 10 characters; measures: a plan lists at least one measure',
    });
    expect(await rejection(handle.executeUpdate(reviewPlanUpdate, { args: [{ reviewer: 'zzb-zhang', decision: 'approve' }] }))).toEqual({
      type: 'InvalidState',
      message: 'there is no submitted plan to review (plan is due)',
    });
    expect(await rejection(handle.executeUpdate(recordProgressUpdate, { args: [{ period: '2026-13-H1', reportedBy: 'lh-org', progress: '推进中推进中' }] }))).toEqual({
      type: 'InvalidInput',
      message: 'period: must be a half month like 2019-03-H1',
    });
    const firstAcceptance = Number(thisMonth.slice(0, 4)) + 1;
    expect(
      await rejection(handle.executeUpdate(recordAcceptanceUpdate, { args: [{ year: firstAcceptance - 1, evaluatedOn: thisMonth, transformed: true, evaluator: 'zzb-li', summary: '已经转化' }] })),
    ).toEqual({ type: 'InvalidInput', message: `year: the first acceptance is in late November ${firstAcceptance} (五(一))` });
    const unknown = await rejection(handle.executeUpdate(fulfilObligationUpdate, { args: [{ obligationId: 'nope', fulfilledOn: thisMonth, by: 'lh-org' }] }));
    expect(unknown.message).toMatch(/^obligationId: no open obligation nope; open ones include /);

    // Nothing changed: the same state, and no update was accepted into the history.
    expect(await handle.query(stateQuery)).toEqual(before);
    const history = await handle.fetchHistory();
    expect(history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);

    // A valid plan goes through; a return without a new deadline does not.
    expect((await handle.executeUpdate(submitPlanUpdate, { args: [{ submittedBy: 'lh-sec', summary: '规范“两会两票”，公开村务财务', measures: ['每季度公开村务财务'] }] })).stage).toBe('plan-submitted');
    expect(await rejection(handle.executeUpdate(reviewPlanUpdate, { args: [{ reviewer: 'zzb-zhang', decision: 'return', comments: '措施不具体' }] }))).toEqual({
      type: 'InvalidInput',
      message: 'revisionDue: a returned plan needs a new deadline',
    });
    expect((await handle.query(stateQuery)).stage).toBe('plan-submitted');
    await recordHistories(world.env, handle.workflowId, handle.firstExecutionRunId, 'lh02-updates');
  });

  test('a withdrawn designation ends its workflow; later updates are refused', async () => {
    const handle = await designateVillage(world.env.client, world.taskQueue, input('JS04'));
    expect(await rejection(handle.executeUpdate(withdrawUpdate, { args: [{ by: 'zzb-zhang', reason: '' }] }))).toEqual({
      type: 'InvalidInput',
      message: 'reason: reason must be at least 4 characters',
    });
    const state = await handle.executeUpdate(withdrawUpdate, { args: [{ by: 'zzb-zhang', reason: '经复核，该村不符合认定标准' }] });
    expect(state.stage).toBe('withdrawn');
    expect(await handle.result()).toMatchObject({ village: 'JS04', stage: 'withdrawn' });
    await expect(handle.executeUpdate(submitPlanUpdate, { args: [{ submittedBy: 'js-sec', summary: '撤销后不应再受理方案', measures: ['无'] }] })).rejects.toThrow();
    await recordHistories(world.env, handle.workflowId, handle.firstExecutionRunId, 'js04-withdrawn');
  });
});
