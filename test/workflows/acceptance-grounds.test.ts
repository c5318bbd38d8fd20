import { expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { designateVillage, villageInputFromRoster } from '../../src/client/village';
import { recordAcceptanceUpdate, stateQuery, type RecordAcceptance } from '../../src/contracts/village';
import { sampleRosterFile } from '../support/mail';
import { rejection } from '../support/temporal';
import { advanceTo, recordHistories, useVillageWorld } from '../support/village';

/**
 * 五(一), 五(二): the acceptance against the grounds of designation and the stages it decides.
 * 东风村 (QS03) was designated on 三(一) and 三(三) in October 2018. In 2019 the county finds one
 * of them resolved: not transformed (and cannot be decided transformed). In 2020 both are: it is
 * transformed and moved to 巩固 by decision. In 2021 the county finds 三(三) back: the
 * transformation no longer stands, the target is under rectification again.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2019-11-20T00:00:00Z' });

const base = { evaluator: 'zzb-zhang', meeting: '县委常委会', summary: '对照认定情形逐项验收' };
const ground = (criterion: number, resolved: boolean) => ({ criterion, resolved, evidence: resolved ? '班子配齐配强，经核实' : '问题仍然存在' });

test('an acceptance lists every ground it was designated on; transformed only when each is resolved; a later failure reopens the target', async () => {
  const handle = await designateVillage(world.env.client, world.taskQueue, { ...villageInputFromRoster(roster, 'QS03'), county: 'YL' });
  const record = (a: Omit<RecordAcceptance, 'evaluator' | 'meeting' | 'summary'>) => handle.executeUpdate(recordAcceptanceUpdate, { args: [{ ...base, ...a }] });

  await advanceTo(world.env, '2019-11-25T03:00:00Z');
  // Refused, each naming its field, and nothing recorded.
  expect(await rejection(record({ year: 2019, evaluatedOn: '2019-11-25', grounds: [ground(1, true)], transformed: false }))).toEqual({ type: 'InvalidInput', message: 'grounds：还须评价认定时依据的三(三)' });
  expect(await rejection(record({ year: 2019, evaluatedOn: '2019-11-25', grounds: [ground(1, true), ground(2, true), ground(3, true)], transformed: false }))).toEqual({
    type: 'InvalidInput',
    message: 'grounds.1.criterion：QS03不是依据三(二)认定的',
  });
  expect(await rejection(record({ year: 2019, evaluatedOn: '2019-11-25', grounds: [ground(1, true), ground(3, false)], transformed: true }))).toEqual({
    type: 'InvalidInput',
    message: 'transformed：三(三)尚未解决，不能评定为转化提升',
  });
  expect(await rejection(record({ year: 2019, evaluatedOn: '2019-11-25', grounds: [ground(1, true), ground(3, false)], transformed: false, nextStage: 'consolidating' }))).toEqual({
    type: 'InvalidInput',
    message: 'nextStage：未转化的整顿对象继续整治，不进入巩固或提升阶段（五(二)）',
  });
  expect((await handle.query(stateQuery)).acceptances).toEqual([]);

  let v = await record({ year: 2019, evaluatedOn: '2019-11-25', grounds: [ground(3, false), ground(1, true)], sixHas: ['leadership'], transformed: false });
  expect(v.acceptances).toEqual([
    {
      year: 2019,
      date: '2019-11-25',
      grounds: [ground(1, true), ground(3, false)],
      sixHas: ['leadership'],
      transformed: false,
      meeting: '县委常委会',
      evaluator: 'zzb-zhang',
      summary: '对照认定情形逐项验收',
    },
  ]);
  expect(v.designation.transformedOn).toBeUndefined();
  expect(v.history.at(-1)?.text).toBe('2019年验收评价（县委常委会）：未转化；认定情形2项，已解决1项。对照认定情形逐项验收');

  await advanceTo(world.env, '2020-11-25T03:00:00Z');
  v = await record({ year: 2020, evaluatedOn: '2020-11-25', grounds: [ground(1, true), ground(3, true)], transformed: true, nextStage: 'consolidating', nextFocus: '巩固班子建设成果，发展村集体经济' });
  expect(v).toMatchObject({ stage: 'consolidating', designation: { transformedOn: '2020-11-25' } });
  expect(v.acceptances.at(-1)).toMatchObject({ transformed: true, nextStage: 'consolidating', nextFocus: '巩固班子建设成果，发展村集体经济' });

  // 2021: a transformed target found wanting again is reopened: no longer transformed, rectifying until it is (五(四)).
  await advanceTo(world.env, '2021-11-24T03:00:00Z');
  v = await record({ year: 2021, evaluatedOn: '2021-11-24', grounds: [ground(1, true), ground(3, false)], transformed: false });
  expect(v.designation.transformedOn).toBeUndefined();
  expect(v.stage).not.toBe('consolidating');
  expect(v.acceptances.at(-1)).toMatchObject({ year: 2021, transformed: false, reopened: true });
  expect(v.history.some((h) => h.type === 'reopened' && h.text === '2021年验收评价未通过：此前的转化提升不再成立，重新进入整治，直至转化（五(二)、五(四)）')).toBe(true);
  // Still under rectification after the cycle's third year: no end while it is not transformed.
  await advanceTo(world.env, '2022-02-01T03:00:00Z');
  v = await handle.query(stateQuery);
  expect(v.stage).not.toBe('closed');
  expect(v.cycleYear).toBe(4);

  await recordHistories(world.env, handle.workflowId, handle.firstExecutionRunId, 'village-acceptance-grounds', 3);
}, 300_000);
