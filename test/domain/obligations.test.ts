import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addDays, dayNumber, fromDayNumber, localDateOf, periodsOverlapping } from '../../src/domain/calendar';
import { isRoutine } from '../../src/domain/kinds';
import { activeOn, activeUntil, countyDuties, openEntry, townshipDuties, villageDuties, type Duty, type VillageFacts } from '../../src/domain/obligations';
import { deadlineOf, builtinPolicy, type Policy } from '../../src/domain/policy';
import { calendar, layout } from '../support/calendar';

const qs03: VillageFacts = { village: 'QS03', township: 'QS', designation: { village: 'QS03', date: '2018-10-15' }, hasFirstSecretary: true };
const ctx = layout();
const lay = (d: Duty, at = '2018-10-15T00:00:00Z'): ReturnType<typeof openEntry> => openEntry(d, ctx, Date.parse(at));

describe('a target designated in October 2018 (五(一), 四(一), 四(五))', () => {
  const duties = villageDuties(qs03, builtinPolicy(), '2018-10-15', '2019-12-31');
  const of = (kind: Duty['kind']): Duty[] => duties.filter((d) => d.kind === kind);

  test('the plan is due by the end of December: 31 December 2018 is a holiday, so Saturday 29 December, a worked day', () => {
    const plan = lay(of('rectification-plan')[0]!);
    expect(plan).toMatchObject({
      id: 'rectification-plan/village:QS03/2018',
      subject: { type: 'village', code: 'QS03', township: 'QS' },
      due: { date: '2018-12-29', nominal: '2018-12-31', adjusted: true, provisional: false, instant: '2018-12-29T16:00:00.000Z' },
    });
    expect(plan.steps).toEqual([
      { id: 'reminder', severity: 'reminder', at: '2018-12-26T01:00:00.000Z', notify: ['township-party-secretary'] },
      { id: 'due-day', severity: 'due', at: '2018-12-29T01:00:00.000Z', notify: ['township-party-secretary'] },
      { id: 'overdue', severity: 'overdue', at: '2019-01-02T01:00:00.000Z', notify: ['township-party-secretary', 'township-liaison', 'village-contact-cadre', 'party-building-instructor', 'paired-department-leader'] },
      { id: 'red-warning', severity: 'red-warning', at: '2019-01-04T01:00:00.000Z', notify: ['org-department-staff', 'county-leader'] },
    ]);
  });

  test("the acceptance is the county's own duty: due within late November, escalated to the department's head, never to a township", () => {
    const [acceptance] = of('acceptance-evaluation');
    const e = lay(acceptance!);
    expect(e).toMatchObject({ period: { start: '2019-11-21', end: '2019-11-30' }, due: { date: '2019-11-29' } }); // 30 November 2019: Saturday
    expect(e.steps.map((s) => [s.id, s.notify])).toEqual([
      ['reminder', ['org-department-staff']],
      ['due-day', ['org-department-staff']],
      ['overdue', ['org-department-staff', 'org-department-head']],
      ['red-warning', ['org-department-head']],
    ]);
    expect(e.steps.flatMap((s) => s.notify).some((r) => r.startsWith('township') || r === 'organization-officer')).toBe(false);
  });

  test('visits, symposia, annual report, debriefings and 三会一课 windows, each with its clause', () => {
    expect(of('first-secretary-visit')).toHaveLength(15);
    expect(of('first-secretary-annual-report').map((d) => [d.period.id, d.nominalDue])).toEqual([
      ['2018', '2018-12-31'],
      ['2019', '2019-12-31'],
    ]);
    // Six full months each, the first from the designation: due the day before six months without a session would be reached.
    expect(of('three-meetings-one-lesson').map((d) => [d.period.start, d.period.end])).toEqual([
      ['2018-10-15', '2019-04-14'],
      ['2019-04-15', '2019-10-14'],
      ['2019-10-15', '2020-04-14'],
    ]);
    expect(of('village-quarterly-debriefing').map((d) => d.period.id)).toEqual(['2018-Q4', '2019-Q1', '2019-Q2', '2019-Q3', '2019-Q4']);
  });

  test("every ladder step of the target's monthly and period duties falls on a month-end wake-up (三会一课 keeps the six months of the text instead)", () => {
    // 四(五)15 counts six months from the designation or the last session: its windows end where the six months do, not at a month end.
    const own = duties.filter((d) => d.kind !== 'acceptance-evaluation' && d.kind !== 'three-meetings-one-lesson' && d.nominalDue <= '2019-12-31').map((d) => lay(d));
    const monthEnds = new Set(own.filter((e) => e.kind === 'first-secretary-visit').flatMap((e) => e.steps.map((s) => s.at)));
    // A routine activity's 未落实 notice comes after its half month instead (四(四)12, 四(五)17): checked below.
    const steps = own.flatMap((e) => e.steps.filter((s) => !(isRoutine(e.kind) && s.id === 'overdue')).map((s) => s.at));
    expect(steps.filter((at) => !monthEnds.has(at))).toEqual([]);
  });

  test('the 1st\'s flag-raising and 惠民服务日 are due on the day, a rest day or not; their notice comes the working morning on or before it, their 未落实 the first working morning after the half month', () => {
    const flags = of('flag-raising').map((d) => lay(d));
    expect(flags.map((e) => e.due.date).slice(0, 3)).toEqual(['2018-11-01', '2018-12-01', '2019-01-01']);
    expect(of('service-day').map((d) => d.nominalDue)).toEqual(flags.map((e) => e.due.nominal));
    const dec = flags[1]!; // Saturday 1 December 2018
    expect(dec.steps.map((s) => [s.id, s.at])).toEqual([
      ['due-day', '2018-11-30T01:00:00.000Z'],
      ['overdue', '2018-12-17T01:00:00.000Z'], // the 15th is a Saturday: Monday the 17th
    ]);
    expect(dec.steps.map((s) => s.notify)).toEqual([['village-party-secretary'], ['village-party-secretary', 'township-party-secretary', 'organization-officer']]);
    // 1 January 2019 is New Year's Day: the notice on Saturday 29 December, a working day (调休).
    expect(flags[2]!.steps[0]!.at).toBe('2018-12-29T01:00:00.000Z');
    // The quarter's 集中落实, by the quarter's last working day.
    expect(of('concentrated-service').map((d) => lay(d).due.date).slice(0, 2)).toEqual(['2018-12-29', '2019-03-29']);
  });

  test("四(四)13's monthly religious contacts are owed only where the county's policy keeps them: by the month's last working day, on the routine ladder", () => {
    expect(of('religious-contact')).toEqual([]);
    const kept = { ...builtinPolicy(), villageDuties: { religiousContacts: { value: true, basis: '四(四)13' as const } } };
    const contacts = villageDuties(qs03, kept, '2018-10-15', '2019-03-31').filter((d) => d.kind === 'religious-contact').map((d) => lay(d));
    // Designated on 15 October: owed from October (under rectification during the month), to March.
    expect(contacts.map((e) => [e.period.id, e.due.date])).toEqual([
      ['2018-10', '2018-10-31'],
      ['2018-11', '2018-11-30'],
      ['2018-12', '2018-12-29'], // 31 December 2018 is a holiday, the 29th a worked Saturday
      ['2019-01', '2019-01-31'],
      ['2019-02', '2019-02-28'],
      ['2019-03', '2019-03-29'], // the 31st is a Sunday
    ]);
    expect(contacts[1]!.steps.map((s) => [s.id, s.notify])).toEqual([
      ['due-day', ['village-party-secretary']],
      ['overdue', ['village-party-secretary', 'township-party-secretary', 'organization-officer']],
    ]);
    // A policy recorded before the choice existed keeps no such duty.
    const { villageDuties: _omitted, ...older } = builtinPolicy();
    expect(villageDuties(qs03, older as Policy, '2018-10-15', '2019-03-31').some((d) => d.kind === 'religious-contact')).toBe(false);
  });

  test('a step that fell before the duty was opened is skipped, not sent late', () => {
    const plan = lay(of('rectification-plan')[0]!, '2018-12-28T00:00:00Z');
    expect(plan.steps.map((s) => [s.id, s.skipped ?? false])).toEqual([
      ['reminder', true],
      ['due-day', false],
      ['overdue', false],
      ['red-warning', false],
    ]);
  });

  test('a village without a first secretary owes no first-secretary duty', () => {
    expect(villageDuties({ ...qs03, hasFirstSecretary: false }, builtinPolicy(), '2018-10-15', '2019-12-31').filter((d) => d.kind.startsWith('first-secretary'))).toEqual([]);
  });
});

describe('how long a target is under rectification', () => {
  test('transformed at its first acceptance: through the third cycle year, then no duty', () => {
    const d = { village: 'QS03', date: '2018-10-15', transformedOn: '2019-11-28' };
    expect(activeUntil(d)).toBe('2021-12-31');
    const list = villageDuties({ ...qs03, designation: d }, builtinPolicy(), '2018-10-15', '2023-12-31');
    expect(list.filter((x) => x.kind === 'acceptance-evaluation').map((x) => x.period.id)).toEqual(['2019-11-late', '2020-11-late', '2021-11-late']);
    expect(list.filter((x) => x.period.start > '2021-12-31')).toEqual([]);
  });

  test('never transformed: still under rectification years later (五(四))', () => {
    const list = villageDuties(qs03, builtinPolicy(), '2027-01-01', '2027-12-31');
    expect(list.filter((x) => x.kind === 'acceptance-evaluation').map((x) => x.period.id)).toEqual(['2027-11-late']);
  });

  test('withdrawn: no duty whose period begins after the withdrawal', () => {
    const d = { village: 'QS03', date: '2018-10-15', withdrawnOn: '2019-03-01' };
    expect(villageDuties({ ...qs03, designation: d }, builtinPolicy(), '2019-03-01', '2019-12-31').filter((x) => x.period.start >= '2019-03-01')).toEqual([]);
  });
});

describe("a township's duties (六(三), 五(三)): owed when a target is under rectification on the period's last day", () => {
  test('a target designated on the 10th: its township owes that half month\'s report', () => {
    const list = townshipDuties('QS', [{ village: 'QS03', date: '2019-01-10' }], '2019-01-10', '2019-01-10');
    expect(list.map((d) => d.id)).toEqual(['half-monthly-report/township:QS/2019-01-H1', 'township-quarterly-study/township:QS/2019-Q1']);
    expect(lay(list[0]!, '2019-01-10T00:00:00Z').due).toMatchObject({ date: '2019-01-15' });
  });

  test('its only target withdrawn on the 5th: nothing owed for that half month or quarter', () => {
    expect(townshipDuties('QS', [{ village: 'QS03', date: '2018-10-15', withdrawnOn: '2018-12-05' }], '2018-12-01', '2018-12-31')).toEqual([]);
  });

  test('a recurring report on a rest day moves to the next working day (county practice)', () => {
    const list = townshipDuties('QS', [{ village: 'QS03', date: '2018-10-15' }], '2019-03-01', '2019-09-30').filter((d) => d.kind === 'half-monthly-report');
    const due = Object.fromEntries(list.map((d) => [d.period.id, lay(d).due.date]));
    expect(due['2019-03-H2']).toBe('2019-04-01'); // 31 March 2019: Sunday
    expect(due['2019-09-H1']).toBe('2019-09-16'); // Mid-Autumn festival until Sunday 15th
  });
});

describe("the county's duties (五(二), 四(一)4, 六(四), 五(一))", () => {
  test('standing committee twice a year, the 联席会 each quarter, the evaluation in January, the campaign opening on 21 November', () => {
    const list = countyDuties('YL', [{ village: 'QS03', date: '2018-10-15' }], builtinPolicy(), '2019-11-01', '2019-12-31');
    expect(list.map((d) => [d.kind, d.period.id, lay(d).due.date])).toEqual([
      ['standing-committee-study', '2019-H2', '2019-12-31'],
      ['joint-meeting', '2019-Q4', '2019-12-31'],
      ['township-secretary-evaluation', '2019', '2020-02-03'], // 31 January 2020 fell in the extended Spring Festival
      ['county-course', '2019', '2019-11-29'], // 四(一)5, by 30 November (a Saturday in 2019)
      ['acceptance-campaign', '2019-11-late', '2019-11-21'],
    ]);
    // Escalated inside the county: the joint meeting's member departments are reminded, the department's head told when it is late.
    for (const d of list) expect(lay(d).steps.flatMap((s) => s.notify).every((r) => r.startsWith('org-department') || (d.kind === 'joint-meeting' && r === 'joint-meeting-member'))).toBe(true);
  });
});

describe('the yearly 会诊 (五(二))', () => {
  test('once a year by the policy day, 15 June (Friday the 14th in 2019), when a target is under rectification that day', () => {
    const list = (from: string, to: string, targets = [{ village: 'QS03', date: '2018-10-15' }]) => countyDuties('YL', targets, builtinPolicy(), from, to).filter((d) => d.kind === 'annual-diagnosis');
    expect(list('2019-01-01', '2019-12-31').map((d) => [d.period.id, d.period.start, d.period.end, lay(d).due.date])).toEqual([['2019', '2019-01-01', '2019-06-15', '2019-06-14']]);
    // Designated in October 2018: nothing was under rectification on 15 June 2018; after the 15th, that year is past.
    expect(list('2018-01-01', '2018-12-31')).toEqual([]);
    expect(list('2019-07-01', '2019-12-31')).toEqual([]);
    // A target designated on 1 July 2019 is first diagnosed in 2020.
    expect(list('2019-01-01', '2020-12-31', [{ village: 'LH02', date: '2019-07-01' }]).map((d) => d.period.id)).toEqual(['2020']);
  });
});

describe('training days (四(一)5)', () => {
  test('the county’s course and a township’s members’ training once a year by 30 November, owed from the first full year of a target', () => {
    const county = (targets: { village: string; date: string }[], from = '2018-01-01', to = '2020-12-31') => countyDuties('YL', targets, builtinPolicy(), from, to).filter((d) => d.kind === 'county-course');
    const township = (targets: { village: string; date: string; withdrawnOn?: string }[], from = '2018-01-01', to = '2020-12-31') => townshipDuties('QS', targets, from, to).filter((d) => d.kind === 'member-training');
    // Designated in October 2018: nothing owed for 2018; 2019 and 2020 by the last working day up to 30 November.
    const qs03 = [{ village: 'QS03', date: '2018-10-15' }];
    expect(county(qs03).map((d) => [d.period.id, d.period.start, d.period.end, lay(d).due.date])).toEqual([
      ['2019', '2019-01-01', '2019-11-30', '2019-11-29'],
      ['2020', '2020-01-01', '2020-11-30', '2020-11-30'],
    ]);
    expect(township(qs03).map((d) => [d.period.id, lay(d).due.date])).toEqual([
      ['2019', '2019-11-29'],
      ['2020', '2020-11-30'],
    ]);
    // A target withdrawn in June owes nothing that year; one designated on 2 January owes from the next.
    expect(township([{ village: 'QS03', date: '2018-10-15', withdrawnOn: '2019-06-10' }]).map((d) => d.period.id)).toEqual([]);
    expect(county([{ village: 'LH02', date: '2019-01-02' }]).map((d) => d.period.id)).toEqual(['2020']);
  });
});

describe('properties', () => {
  const day = (from: string, to: string): fc.Arbitrary<string> => fc.integer({ min: dayNumber(from), max: dayNumber(to) }).map(fromDayNumber);
  const target = fc.record({ date: day('2018-01-01', '2024-12-31'), withdrawAfter: fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }) }).map((t, ) => ({
    village: 'V',
    date: t.date,
    ...(t.withdrawAfter ? { withdrawnOn: addDays(t.date, t.withdrawAfter) } : {}),
  }));

  test('laid-out duties are due on working days, ids unique and stable, steps ascending and on working days', () => {
    fc.assert(
      fc.property(target, day('2018-01-01', '2026-06-30'), fc.integer({ min: 0, max: 400 }), (t, from, len) => {
        const to = addDays(from, len);
        const list = [
          ...villageDuties({ village: 'V', township: 'T', designation: t, hasFirstSecretary: true }, builtinPolicy(), from, to),
          ...townshipDuties('T', [t], from, to),
          ...countyDuties('C', [t], builtinPolicy(), from, to),
        ];
        const ids = list.map((d) => d.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const d of list) {
          const e = lay(d, `${from}T00:00:00Z`);
          // A day the plan fixes (每月1日) stays on the day; every other deadline is a working day.
          if (deadlineOf(builtinPolicy(), d.kind).rule !== 'on-the-day') expect(calendar.isWorkingDay(e.due.date)).toBe(true);
          for (const st of e.steps) expect(calendar.isWorkingDay(localDateOf(Date.parse(st.at)))).toBe(true);
          e.steps.forEach((s, i) => {
            if (i > 0) expect(s.at > e.steps[i - 1]!.at).toBe(true);
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  test('a township owes exactly the half months on whose last day its target is under rectification', () => {
    fc.assert(
      fc.property(target, day('2018-01-01', '2026-06-30'), fc.integer({ min: 0, max: 400 }), (t, from, len) => {
        const to = addDays(from, len);
        const expected = periodsOverlapping('half-month', from, to).filter((p) => activeOn(t, p.end));
        expect(townshipDuties('T', [t], from, to).filter((d) => d.kind === 'half-monthly-report').map((d) => d.period.id)).toEqual(expected.map((p) => p.id));
      }),
      { numRuns: 60 },
    );
  });
});
