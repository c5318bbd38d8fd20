import { describe, expect, test } from 'vitest';
import {
  acceptanceTargets,
  countyObligations,
  explanationDeadline,
  instantOf,
  quartersToPropose,
  reportLapses,
  supervisionPolicySchema,
  townshipObligations,
  type ReportDue,
} from '../../src/domain';

const due = (periodId: string, periodStart: string, dueDate: string): ReportDue => ({ periodId, periodStart, dueInstant: new Date(instantOf(dueDate) + 86_400_000).toISOString() });
const jan = [due('2019-01-H1', '2019-01-01', '2019-01-15'), due('2019-01-H2', '2019-01-16', '2019-01-31')];
const feb = due('2019-02-H1', '2019-02-01', '2019-02-15');

describe('reporting lapses (六(三))', () => {
  test('a report not in by the end of its due day is missing; one that came after it is late; one on the due day is on time', () => {
    const now = instantOf('2019-02-10');
    expect(reportLapses(jan, {}, now)).toEqual([
      { periodId: '2019-01-H1', quarter: '2019-Q1', kind: 'missing' },
      { periodId: '2019-01-H2', quarter: '2019-Q1', kind: 'missing' },
    ]);
    const received = { '2019-01-H1': new Date(instantOf('2019-01-15', 23, 59)).toISOString(), '2019-01-H2': new Date(instantOf('2019-02-01', 8)).toISOString() };
    expect(reportLapses(jan, received, now)).toEqual([{ periodId: '2019-01-H2', quarter: '2019-Q1', kind: 'late' }]);
  });

  test('nothing is a lapse before its due time has passed', () => {
    expect(reportLapses([feb], {}, instantOf('2019-02-15', 23))).toEqual([]);
    expect(reportLapses([feb], {}, instantOf('2019-02-16'))).toHaveLength(1);
  });

  test('a quarter is proposed once its lapses reach the threshold (default two), not before', () => {
    const one = [{ periodId: '2019-01-H1', quarter: '2019-Q1', kind: 'missing' as const }];
    const two = [...one, { periodId: '2019-03-H2', quarter: '2019-Q1', kind: 'late' as const }];
    const otherQuarter = [...one, { periodId: '2019-04-H1', quarter: '2019-Q2', kind: 'missing' as const }];
    expect(quartersToPropose(one)).toEqual([]);
    expect(quartersToPropose(otherQuarter)).toEqual([]);
    expect(quartersToPropose(two)).toEqual([{ quarter: '2019-Q1', lapses: two }]);
    expect(quartersToPropose(two, supervisionPolicySchema.parse({ lapsesPerQuarter: 3 }))).toEqual([]);
  });

  test('the policy rejects a threshold of zero, naming the field', () => {
    const r = supervisionPolicySchema.safeParse({ lapsesPerQuarter: 0 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['lapsesPerQuarter']);
  });
});

describe('inquiry deadlines (六(四))', () => {
  test('the explanation is due ten working days after the letter, counting around holidays', () => {
    expect(explanationDeadline('2019-03-01').date).toBe('2019-03-15');
    // Spring Festival 2019 (4–10 February); 2 and 3 February were swapped working days.
    expect(explanationDeadline('2019-01-30').date).toBe('2019-02-18');
    expect(explanationDeadline('2019-03-01', supervisionPolicySchema.parse({ explanationWorkingDays: 5 })).date).toBe('2019-03-08');
    expect(explanationDeadline('2019-03-01').instant).toBe('2019-03-15T16:00:00.000Z');
  });
});

describe('township and county duties', () => {
  const qs03 = { village: 'QS03', date: '2018-10-15' };
  test('a township reports each half month and studies each quarter while it has a target', () => {
    const list = townshipObligations('QS', [qs03], { from: '2019-01-03', to: '2019-04-01' });
    expect(list.filter((o) => o.kind === 'half-monthly-report').map((o) => [o.period.id, o.due.date])).toEqual([
      ['2019-01-H1', '2019-01-15'],
      ['2019-01-H2', '2019-01-31'],
      ['2019-02-H1', '2019-02-15'],
      ['2019-02-H2', '2019-02-28'],
      ['2019-03-H1', '2019-03-15'],
      ['2019-03-H2', '2019-04-01'], // 31 March 2019 is a Sunday
    ]);
    expect(list.find((o) => o.kind === 'township-quarterly-study')).toMatchObject({ id: 'township-quarterly-study/township:QS/2019-Q1', clause: '五(三)', due: { date: '2019-04-01' } });
    expect(townshipObligations('QS', [{ ...qs03, withdrawnOn: '2018-12-01' }], { from: '2019-01-03', to: '2019-04-01' })).toEqual([]);
  });

  test("the county's duties stay with the organization department: no township posts, no red warning to itself", () => {
    const list = countyObligations('YL', [qs03], { from: '2019-11-01', to: '2020-02-15' });
    expect(list.map((o) => [o.kind, o.period.id, o.due.date])).toEqual([
      ['acceptance-campaign', '2019-11-late', '2019-11-21'],
      ['standing-committee-study', '2019-H2', '2019-12-31'],
      ['township-secretary-evaluation', '2019', '2020-02-03'], // 31 January 2020 fell in the extended Spring Festival
    ]);
    for (const o of list) {
      expect(o.steps.map((s) => s.severity)).toEqual(['reminder', 'due', 'overdue']);
      for (const s of o.steps) expect(s.notify).toEqual(['org-department-staff']);
    }
  });

  test('the acceptance campaign of a year covers targets designated before it and under rectification then (五(一))', () => {
    const targets = [qs03, { village: 'LH02', date: '2019-03-01' }, { village: 'BT05', date: '2018-10-17', withdrawnOn: '2019-06-01' }];
    expect(acceptanceTargets(targets, 2019).map((t) => t.village)).toEqual(['QS03']);
    expect(acceptanceTargets(targets, 2020).map((t) => t.village)).toEqual(['QS03', 'LH02']);
  });
});
