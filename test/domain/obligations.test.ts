import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addDays, dayNumber, fromDayNumber, isWorkingDay, periodsOverlapping } from '../../src/domain/calendar';
import { activeUntil, obligationsFor, type Obligation } from '../../src/domain/obligations';
import { evidence, testRoster } from '../support/roster';

const criteria = [{ criterion: 1 as const, evidence }];

describe('obligations of one target designated in October 2018', () => {
  const roster = testRoster({ designations: [{ village: 'T1-V1', date: '2018-10-15', criteria }] });
  const list = obligationsFor(roster, { from: '2018-10-01', to: '2019-12-31' });
  const of = (kind: Obligation['kind']): Obligation[] => list.filter((o) => o.kind === kind);

  test('the rectification plan is due on 2 January 2019, with the default ladder on working days', () => {
    const [plan] = of('rectification-plan');
    expect(plan).toMatchObject({
      id: 'rectification-plan/village:T1-V1/2018',
      clause: '五(一)',
      responsibleRole: 'township-party-secretary',
      responsiblePerson: 'T1-sec',
      subject: { type: 'village', code: 'T1-V1', township: 'T1' },
      due: { date: '2019-01-02', nominal: '2018-12-31', adjusted: true, provisional: false, instant: '2019-01-02T16:00:00.000Z' },
    });
    expect(plan!.steps).toEqual([
      { id: 'reminder', severity: 'reminder', date: '2018-12-27', at: '2018-12-27T01:00:00.000Z', notify: ['township-party-secretary'] },
      { id: 'due-day', severity: 'due', date: '2019-01-02', at: '2019-01-02T01:00:00.000Z', notify: ['township-party-secretary'] },
      { id: 'overdue', severity: 'overdue', date: '2019-01-03', at: '2019-01-03T01:00:00.000Z', notify: ['township-party-secretary'] },
      { id: 'red-warning', severity: 'red-warning', date: '2019-01-07', at: '2019-01-07T01:00:00.000Z', notify: ['org-department-staff'] },
    ]);
  });

  test('the acceptance evaluation falls in late November 2019; 30 November is a Saturday, so it is due on 2 December', () => {
    expect(of('acceptance-evaluation').map((o) => [o.period.start, o.period.end, o.due.date])).toEqual([['2019-11-21', '2019-11-30', '2019-12-02']]);
  });

  test('the township reports every half month from the designation on, due on the 15th and the last day', () => {
    const reports = of('half-monthly-report');
    expect(reports[0]).toMatchObject({ id: 'half-monthly-report/township:T1/2018-10-H1', due: { date: '2018-10-15' }, responsibleRole: 'organization-officer', responsiblePerson: 'T1-org' });
    expect(reports).toHaveLength(30); // Oct 2018 … Dec 2019: 15 months × 2
    expect(reports.find((r) => r.period.id === '2019-02-H1')?.due.date).toBe('2019-02-15');
    expect(reports.find((r) => r.period.id === '2019-09-H1')?.due.date).toBe('2019-09-16'); // Mid-Autumn holiday until Sunday 15th
    expect(list.some((o) => o.subject.code === 'T2')).toBe(false); // T2 has no targets
  });

  test("every ladder step of the target's own duties falls on one of the month-end days (one wake-up serves them all)", () => {
    const own = list.filter((o) => o.subject.type === 'village' && o.kind !== 'acceptance-evaluation');
    const monthEnds = new Set(of('first-secretary-visit').flatMap((o) => o.steps.map((s) => s.at)));
    expect(own.flatMap((o) => o.steps.map((s) => s.at)).filter((at) => !monthEnds.has(at))).toEqual([]);
  });

  test('first secretary, village secretary, township and county duties all appear with their clauses', () => {
    const kinds = new Map(list.map((o) => [o.kind, o.clause]));
    expect(Object.fromEntries(kinds)).toEqual({
      'rectification-plan': '五(一)',
      'acceptance-evaluation': '五(一)',
      'half-monthly-report': '六(三)',
      'township-quarterly-study': '五(三)',
      'standing-committee-study': '五(二)',
      'first-secretary-visit': '四(一)1',
      'first-secretary-symposium': '四(一)1',
      'first-secretary-annual-report': '四(一)1',
      'village-quarterly-debriefing': '四(一)3',
      'township-secretary-evaluation': '六(四)',
      'three-meetings-one-lesson': '四(五)15',
    });
    expect(of('first-secretary-visit')).toHaveLength(15);
    expect(of('standing-committee-study').map((o) => o.period.id)).toEqual(['2018-H2', '2019-H1', '2019-H2']);
    expect(of('township-secretary-evaluation').map((o) => [o.period.id, o.due.date])).toEqual([['2018', '2019-01-31']]);
    // Windows end at month ends, the first before the six-month mark (四(五)15).
    expect(of('three-meetings-one-lesson').map((o) => [o.period.start, o.period.end, o.due.date])).toEqual([
      ['2018-10-15', '2019-03-31', '2019-04-01'],
      ['2019-04-01', '2019-09-30', '2019-09-30'],
    ]);
  });
});

describe('how long a target has obligations', () => {
  test('a target transformed at its first acceptance keeps obligations through the third cycle year, then none', () => {
    const roster = testRoster({ designations: [{ village: 'T1-V1', date: '2018-10-15', criteria, transformedOn: '2019-11-28' }] });
    expect(activeUntil(roster.designations[0]!)).toBe('2021-12-31');
    const list = obligationsFor(roster, { from: '2018-10-01', to: '2023-12-31' });
    expect(list.filter((o) => o.kind === 'acceptance-evaluation').map((o) => o.period.id)).toEqual(['2019-11-late', '2020-11-late', '2021-11-late']);
    expect(list.filter((o) => o.kind === 'half-monthly-report').at(-1)?.period.id).toBe('2021-12-H2');
  });

  test('an untransformed target stays under rectification past three years (五(四))', () => {
    const roster = testRoster({ designations: [{ village: 'T1-V1', date: '2018-10-15', criteria }] });
    const list = obligationsFor(roster, { from: '2022-01-01', to: '2023-12-31' });
    expect(list.filter((o) => o.kind === 'acceptance-evaluation').map((o) => o.period.id)).toEqual(['2022-11-late', '2023-11-late']);
  });

  test('a withdrawn designation has no obligations from its withdrawal on', () => {
    const roster = testRoster({
      designations: [{ village: 'T1-V1', date: '2018-10-15', criteria, withdrawnOn: '2019-03-01', withdrawalReason: '经复核不符合认定标准' }],
    });
    const list = obligationsFor(roster, { from: '2018-10-01', to: '2019-12-31' });
    expect(list.filter((o) => o.period.start >= '2019-03-01')).toEqual([]);
    expect(list.filter((o) => o.kind === 'half-monthly-report').at(-1)?.period.id).toBe('2019-02-H2');
  });

  test('a village without a first secretary has no first-secretary duties', () => {
    const roster = testRoster({ designations: [{ village: 'T1-V1', date: '2018-10-15', criteria }], firstSecretaries: false });
    expect(obligationsFor(roster, { from: '2018-10-01', to: '2019-12-31' }).filter((o) => o.responsibleRole === 'first-secretary')).toEqual([]);
  });
});

describe('properties over random rosters and ranges', () => {
  const day = (from: string, to: string): fc.Arbitrary<string> => fc.integer({ min: dayNumber(from), max: dayNumber(to) }).map(fromDayNumber);
  const scenario = fc
    .record({
      designations: fc.uniqueArray(
        fc.record({
          village: fc.constantFrom('T1-V1', 'T1-V2', 'T2-V1', 'T2-V3', 'T3-V2'),
          date: day('2018-01-01', '2024-12-31'),
          withdrawAfter: fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }),
        }),
        { selector: (d) => d.village, minLength: 1, maxLength: 4 },
      ),
      from: day('2018-01-01', '2026-06-30'),
      length: fc.integer({ min: 0, max: 500 }),
    })
    .map(({ designations, from, length }) => ({
      roster: testRoster({
        townships: 3,
        designations: designations.map((d) => ({
          village: d.village,
          date: d.date,
          criteria,
          ...(d.withdrawAfter ? { withdrawnOn: addDays(d.date, d.withdrawAfter), withdrawalReason: '复核撤销' } : {}),
        })),
      }),
      range: { from, to: addDays(from, length) },
    }));

  test('obligations are ordered by due date, due on working days inside the range, with ascending working-day steps', () => {
    fc.assert(
      fc.property(scenario, ({ roster, range }) => {
        const list = obligationsFor(roster, range);
        list.slice(1).forEach((o, i) => expect(o.due.date >= list[i]!.due.date).toBe(true));
        for (const o of list) {
          expect(isWorkingDay(o.due.date)).toBe(true);
          expect(o.due.date >= range.from && o.due.date <= range.to).toBe(true);
          o.steps.forEach((s, i) => {
            expect(isWorkingDay(s.date)).toBe(true);
            if (i > 0) expect(s.date > o.steps[i - 1]!.date).toBe(true);
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  test('ids are unique and the same inputs always give the same ids', () => {
    fc.assert(
      fc.property(scenario, ({ roster, range }) => {
        const ids = obligationsFor(roster, range).map((o) => o.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(obligationsFor(structuredClone(roster), { ...range }).map((o) => o.id)).toEqual(ids);
      }),
      { numRuns: 60 },
    );
  });

  test('every half month of an active township has exactly one report obligation, and inactive ones none', () => {
    fc.assert(
      fc.property(scenario, ({ roster, range }) => {
        const reports = obligationsFor(roster, range).filter((o) => o.kind === 'half-monthly-report');
        for (const t of roster.townships) {
          const targets = roster.designations.filter((d) => d.village.startsWith(`${t.code}-`));
          // Exactly the active half months whose due date is inside the range, each once, in order.
          const expected = periodsOverlapping('half-month', addDays(range.from, -20), range.to).filter(
            (p) => targets.some((d) => d.date <= p.end && activeUntil(d) >= p.start),
          );
          const inRange = expected.filter((p) => {
            let due = p.end;
            while (!isWorkingDay(due)) due = addDays(due, 1);
            return due >= range.from && due <= range.to;
          });
          expect(reports.filter((r) => r.subject.code === t.code).map((r) => r.period.id)).toEqual(inRange.map((p) => p.id));
        }
      }),
      { numRuns: 60 },
    );
  });
});
