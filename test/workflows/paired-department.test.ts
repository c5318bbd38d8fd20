import { expect, test } from 'vitest';
import { ensureLedger } from '../../src/client/supervision';
import { designateVillage, villageInputFromRoster } from '../../src/client/village';
import { ledgerWorkflowId, promotionBlockedQuery } from '../../src/contracts/ledger';
import { recordAcceptanceUpdate } from '../../src/contracts/village';
import { readRosterFile } from '../../src/activities/roster-file';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, recordHistories, useVillageWorld, acceptanceOf } from '../support/village';

/**
 * 五(四) in the ledger: 柳林村 (LH09) fails three acceptances in a row, so the leader of its paired
 * department (县交通运输局, D-JT) may not be promoted; the block ends when the target is
 * transformed. The server's clock starts in November 2019, after the designation.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2019-11-20T00:00:00Z' });

test("the ledger blocks the paired department's leader after three failed acceptances, until the target is transformed", async () => {
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
  expect(await settled('2022-06-01', 1)).toEqual([[{ type: 'department', code: 'D-JT' }, '五(四)', 'village:LH09', '2021-11-24', undefined]]);

  await acceptance(2022, '2022-11-23', true);
  expect(await settled('2022-11-23', 0)).toEqual([]);
  expect(await blocked('2022-11-22')).toEqual([[{ type: 'department', code: 'D-JT' }, '五(四)', 'village:LH09', '2021-11-24', '2022-11-22']]);
  expect(await blocked('2022-11-23')).toEqual([]);

  await recordHistories(world.env, handle.workflowId, handle.firstExecutionRunId, 'village-failed-acceptances');
  await recordHistories(world.env, ledger.workflowId, (await ledger.describe()).runId, 'ledger-paired-department');
}, 300_000);
