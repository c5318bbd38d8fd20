import { describe, expect, test } from 'vitest';
import { readRosterFile } from '../../src/activities/roster-file';
import { fulfilObligationUpdate } from '../../src/contracts/entity';
import { recordProgressUpdate, stateQuery, type VillageView } from '../../src/contracts/village';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, startVillage, useVillageWorld } from '../support/village';

/**
 * 四(五)15 "半年以上不落实'三会一课'制度的，上级党委可对村党组织书记做免职处理": a session counts
 * whichever way it was recorded, and the secretary is shown removable only where six months passed
 * without one. 东风村 (QS03) records its session by closing the duty (已完成), 团结村 (QS07) in
 * the township's half-monthly report, 柳林村 (LH02) holds none; all three designated in mid-October
 * 2018, so the first six months end in mid-April 2019.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-16T01:00:00Z' });

const removable = (v: VillageView): { from: string; until?: string }[] =>
  v.consequences.filter((c) => c.kind === 'village-secretary-removable').map((c) => ({ from: c.from, ...(c.until ? { until: c.until } : {}) }));

describe('三会一课 (四(五)15)', () => {
  test('a session closed with 已完成 counts like one attested in a report; the first window is six full months; 可免职 only where six months passed without one', async () => {
    const qs03 = await startVillage(world.env, world.taskQueue, roster, 'QS03');
    const qs07 = await startVillage(world.env, world.taskQueue, roster, 'QS07');
    const lh02 = await startVillage(world.env, world.taskQueue, roster, 'LH02');
    await advanceTo(world.env, '2019-01-25T02:00:00Z');

    // The first window runs from the designation for six full months.
    const window = (v: VillageView) => [...v.open, ...v.upcoming].find((o) => o.kind === 'three-meetings-one-lesson')!;
    const first = window(await qs03.query(stateQuery));
    expect([first.periodStart, first.dueDate]).toEqual(['2018-10-15', '2019-04-12']); // 14 April 2019 is a Sunday: the last working day before it
    expect(window(await lh02.query(stateQuery)).periodStart).toBe('2018-10-16');

    // QS03: the duty itself, closed with 已完成 on the day of the session.
    await qs03.executeUpdate(fulfilObligationUpdate, { args: [{ obligationId: first.id, fulfilledOn: '2019-01-20', by: 'qs03-vs', note: '召开支部党员大会' }] });
    // QS07: attested in the township's report of the half month.
    await qs07.executeUpdate(recordProgressUpdate, {
      args: [{ period: '2019-01-H2', reportedBy: 'qs-org', progress: '召开支部党员大会，上党课', duties: [{ kind: 'three-meetings-one-lesson', date: '2019-01-20' }] }],
    });

    // Past the first six months: LH02 held none and is removable from the day they were reached.
    await advanceTo(world.env, '2019-05-06T02:00:00Z');
    expect(removable(await qs03.query(stateQuery))).toEqual([]);
    expect(removable(await qs07.query(stateQuery))).toEqual([]);
    expect(removable(await lh02.query(stateQuery))).toEqual([{ from: '2019-04-16' }]);
    expect((await lh02.query(stateQuery)).consequences.find((c) => c.kind === 'village-secretary-removable')?.reason).toBe(
      '自2018-10-16起半年以上未落实“三会一课”制度，上级党委可对村党组织书记做免职处理',
    );

    // Six months after the session without another one, both ways count the same (as the view
    // stands at the month-end wake-up after those six months).
    await advanceTo(world.env, '2019-08-02T02:00:00Z');
    expect(removable(await qs03.query(stateQuery))).toEqual([{ from: '2019-07-20' }]);
    expect(removable(await qs07.query(stateQuery))).toEqual([{ from: '2019-07-20' }]);
  }, 240_000);
});
