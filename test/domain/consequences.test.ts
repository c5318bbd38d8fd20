import { describe, expect, test } from 'vitest';
import {
  awardIneligibility,
  blockedFromPromotion,
  ineligibleForAwards,
  acceptanceResults,
  pairedDepartmentConsequences,
  promotionBlocks,
  removability,
  consecutiveFailureStarts,
} from '../../src/domain/consequences';

describe('award ineligibility (六(四))', () => {
  test('an inquiry letter or a talk makes the person ineligible for that calendar year only', () => {
    const ledger = awardIneligibility([
      { type: 'inquiry', person: 'T1-sec', date: '2019-03-12', caseId: 'inquiry:2019-001' },
      { type: 'talk', person: 'T1-org', date: '2019-12-30', caseId: 'inquiry:2019-001' },
      { type: 'inquiry', person: 'T2-sec', date: '2020-01-02', caseId: 'inquiry:2020-001' },
    ]);
    expect(ineligibleForAwards(ledger, 2019).map((c) => [c.subject, c.from, c.until, c.clause, c.cause, c.reason])).toEqual([
      [{ type: 'person', id: 'T1-sec' }, '2019-01-01', '2019-12-31', '六(四)', 'inquiry:2019-001', '2019-03-12被函询，2019年度不得评先选优'],
      [{ type: 'person', id: 'T1-org' }, '2019-01-01', '2019-12-31', '六(四)', 'inquiry:2019-001', '2019-12-30被约谈，2019年度不得评先选优'],
    ]);
    expect(ineligibleForAwards(ledger, 2020).map((c) => c.subject)).toEqual([{ type: 'person', id: 'T2-sec' }]);
    expect(ineligibleForAwards(ledger, 2021)).toEqual([]);
  });
});

describe('promotion (六(五), 五(四))', () => {
  test('whoever is held accountable may not be promoted for two years', () => {
    const ledger = promotionBlocks([{ person: 'T1-org', date: '2019-03-10', caseId: 'acc:1', ground: '确定整顿对象时弄虚作假' }]);
    expect(ledger[0]).toMatchObject({ from: '2019-03-10', until: '2021-03-09', clause: '六(五)', reason: '2019-03-10因确定整顿对象时弄虚作假被问责，两年内不得提拔使用' });
    expect(blockedFromPromotion(ledger, '2019-03-09')).toEqual([]);
    expect(blockedFromPromotion(ledger, '2021-03-09')).toHaveLength(1);
    expect(blockedFromPromotion(ledger, '2021-03-10')).toEqual([]);
  });

  test("three consecutive failed acceptances block the paired department's leader in post that day, and keep the work team until transformed", () => {
    const target = { village: 'T1-V1', pairedDepartment: 'D-agri', caseId: 'village:T1-V1', leaders: { '2021-11-23': 'agri-lead' } };
    const results = [
      { year: 2019, date: '2019-11-25', transformed: false },
      { year: 2020, date: '2020-11-24', transformed: false },
      { year: 2021, date: '2021-11-23', transformed: false },
      { year: 2022, date: '2022-11-22', transformed: true },
    ];
    expect(consecutiveFailureStarts(results)).toEqual(['2021-11-23']);
    const ledger = pairedDepartmentConsequences(target, results);
    // The text lifts nothing on the leader: the block outlasts the transformation; the work team stays only "直至转化".
    expect(ledger.map((c) => [c.kind, c.subject, c.from, c.until, c.clause])).toEqual([
      ['work-team-continues', { type: 'village', code: 'T1-V1' }, '2021-11-23', '2022-11-21', '五(四)'],
      ['paired-leader-promotion-blocked', { type: 'person', id: 'agri-lead' }, '2021-11-23', undefined, '五(四)'],
    ]);
    expect(blockedFromPromotion(ledger, '2022-01-01').map((c) => c.subject)).toEqual([{ type: 'person', id: 'agri-lead' }]);
    expect(blockedFromPromotion(ledger, '2030-01-01').map((c) => c.subject)).toEqual([{ type: 'person', id: 'agri-lead' }]);
    // A county whose policy lifts it on transformation.
    const lifted = pairedDepartmentConsequences({ ...target, liftOnTransformation: true }, results);
    expect(lifted.map((c) => [c.kind, c.until])).toEqual([
      ['work-team-continues', '2022-11-21'],
      ['paired-leader-promotion-blocked', '2022-11-21'],
    ]);
    // Nobody in the post that day: the department is named; the leader not yet asked: no entry yet.
    expect(pairedDepartmentConsequences({ ...target, leaders: { '2021-11-23': null } }, results)[1]?.subject).toEqual({ type: 'department', code: 'D-agri' });
    expect(pairedDepartmentConsequences({ ...target, leaders: {} }, results).map((c) => c.kind)).toEqual(['work-team-continues']);
  });

  test('failures that are not consecutive, or fewer than three, have no such consequence; an open one lasts', () => {
    const target = { village: 'T1-V1', pairedDepartment: 'D-agri', caseId: 'village:T1-V1', leaders: { '2021-11-23': 'agri-lead' } };
    expect(
      pairedDepartmentConsequences(target, [
        { year: 2019, date: '2019-11-25', transformed: false },
        { year: 2020, date: '2020-11-24', transformed: true },
        { year: 2021, date: '2021-11-23', transformed: false },
        { year: 2022, date: '2022-11-22', transformed: false },
      ]),
    ).toEqual([]);
    const open = pairedDepartmentConsequences(target, [
      { year: 2019, date: '2019-11-25', transformed: false },
      { year: 2020, date: '2020-11-24', transformed: false },
      { year: 2021, date: '2021-11-23', transformed: false },
    ]);
    expect(open.map((c) => [c.kind, c.until])).toEqual([
      ['work-team-continues', undefined],
      ['paired-leader-promotion-blocked', undefined],
    ]);
    expect(blockedFromPromotion(open, '2030-01-01')).toHaveLength(1);
  });
});

describe('an acceptance never recorded (五(四))', () => {
  test('counts as not transformed once its year has ended; three such years give the block', () => {
    const target = { village: 'T1-V1', pairedDepartment: 'D-agri', caseId: 'village:T1-V1', leaders: { '2021-12-31': 'agri-lead' } };
    expect(acceptanceResults([], [2019], '2019-12-31')).toEqual([]);
    expect(acceptanceResults([], [2019], '2020-01-01')).toEqual([{ year: 2019, date: '2019-12-31', transformed: false, implied: true }]);
    const recorded = [{ year: 2020, date: '2020-11-25', transformed: false }];
    const results = acceptanceResults(recorded, [2019, 2020, 2021], '2022-01-01');
    expect(results.map((r) => [r.year, r.transformed, r.implied ?? false])).toEqual([
      [2019, false, true],
      [2020, false, false],
      [2021, false, true],
    ]);
    expect(pairedDepartmentConsequences(target, results).map((c) => [c.kind, c.from, c.until])).toEqual([
      ['work-team-continues', '2021-12-31', undefined],
      ['paired-leader-promotion-blocked', '2021-12-31', undefined],
    ]);
    // Recorded late as transformed, the year no longer counts against the target.
    expect(acceptanceResults([{ year: 2019, date: '2020-01-10', transformed: true }], [2019], '2020-02-01')).toEqual([{ year: 2019, date: '2020-01-10', transformed: true }]);
  });
});

describe('三会一课 (四(五)15)', () => {
  test('a gap of six months or more makes the village secretary removable from the day it reached six months', () => {
    const ledger = removability('T1-V1', '2019-01-01', ['2019-03-01', '2019-10-15'], '2020-04-14');
    expect(ledger.map((c) => [c.from, c.until, c.clause])).toEqual([['2019-09-01', '2019-10-14', '四(五)15']]);
    expect(ledger[0]?.reason).toBe('自2019-03-01起半年以上未落实“三会一课”制度，上级党委可对村党组织书记做免职处理');
  });

  test('the gap still open on the day asked about counts too', () => {
    const ledger = removability('T1-V1', '2019-01-01', ['2019-03-01', '2019-10-15'], '2020-04-15');
    expect(ledger.map((c) => [c.from, c.until])).toEqual([
      ['2019-09-01', '2019-10-14'],
      ['2020-04-15', undefined],
    ]);
  });

  test('regular sessions give no consequence', () => {
    expect(removability('T1-V1', '2019-01-01', ['2019-02-01', '2019-06-30', '2019-12-15'], '2020-06-01')).toEqual([]);
  });
});
