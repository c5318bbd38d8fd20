import { expect, test } from 'vitest';
import { ensureLedger } from '../../src/client/supervision';
import { designateVillage, villageInputFromRoster } from '../../src/client/village';
import { ledgerWorkflowId, promotionBlockedQuery } from '../../src/contracts/ledger';
import { recordAcceptanceUpdate, stateQuery } from '../../src/contracts/village';
import { readRosterFile } from '../../src/activities/roster-file';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, recordHistories, useVillageWorld, acceptanceOf } from '../support/village';

/**
 * 五(四) in the ledger: 柳林村 (LH09) fails three acceptances in a row, so the leader of its paired
 * department (县交通运输局, D-JT) in post that day may not be promoted; the block outlasts the
 * target's transformation, the work team's stay does not. The server's clock starts in November 2019, after the designation.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2019-11-20T00:00:00Z' });

test("the ledger blocks the paired department's leader in post after three failed acceptances, and a later transformation does not lift it", async () => {
  await ensureLedger(world.env.client, world.taskQueue, 'YL');
  const handle = await designateVillage(world.env.client, world.taskQueue, { ...villageInputFromRoster(roster, 'LH09'), county: 'YL' });
  const acceptance = async (year: number, day: string, transformed: boolean): Promise<void> => {
    await advanceTo(world.env, `${day}T03:00:00Z`);
    await handle.executeUpdate(recordAcceptanceUpdate, { args: [acceptanceOf('LH09', { year, evaluatedOn: day, transformed, evaluator: 'zzb-li', summary: transformed ? '各项指标达到转化标准' : '班子仍不健全' })] });
  };
  const ledger = world.env.client.workflow.getHandle(ledgerWorkflowId('YL'));
  await acceptance(2019, '2019-11-26', false);
  await acceptance(2020, '2020-11-25', false);
  expect(await ledger.query(promotionBlockedQuery, '2021-01-01')).toEqual([]);
  await acceptance(2021, '2021-11-24', false);

  const blocked = async (date: string): Promise<unknown[]> => {
    const list = await ledger.query(promotionBlockedQuery, date);
    return list.map((c) => [c.subject, c.clause, c.cause, c.from, c.until]);
  };
  // The village tells the ledger by signal, after the update has returned.
  const settled = async (date: string, count: number): Promise<unknown[]> => {
    for (let i = 0; i < 50 && (await blocked(date)).length !== count; i++) await new Promise((r) => setTimeout(r, 100));
    return blocked(date);
  };
  // The leader of 县交通运输局 in post at the third failure, by name (五(四) "联建部门主要领导不得晋升重用").
  expect(await settled('2022-06-01', 1)).toEqual([[{ type: 'person', id: 'd-jt-lead' }, '五(四)', 'village:LH09', '2021-11-24', undefined]]);

  // Transformed in 2022: the work team's stay ends ("直至转化"), the block on the leader does not
  // (the text lifts nothing; the county's policy here does not either).
  await acceptance(2022, '2022-11-23', true);
  const workTeam = async (): Promise<unknown> => (await handle.query(stateQuery)).consequences.find((c) => c.kind === 'work-team-continues')?.until;
  for (let i = 0; i < 50 && (await workTeam()) === undefined; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await workTeam()).toBe('2022-11-22');
  expect(await blocked('2030-01-01')).toEqual([[{ type: 'person', id: 'd-jt-lead' }, '五(四)', 'village:LH09', '2021-11-24', undefined]]);

  await recordHistories(world.env, handle.workflowId, handle.firstExecutionRunId, 'village-failed-acceptances');
  await recordHistories(world.env, ledger.workflowId, (await ledger.describe()).runId, 'ledger-paired-department');
}, 300_000);
