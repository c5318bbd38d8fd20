import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  WorkCalendar,
  addDays,
  addMonths,
  calendarYearSchema,
  cyclePosition,
  dayNumber,
  fromDayNumber,
  instantOf,
  isoInstant,
  lateNovember,
  localDateOf,
  periodById,
  periodOf,
  periodsOverlapping,
} from '../../src/domain/calendar';
import { LAST_SHIPPED_YEAR, calendar, official2027, shippedYears } from '../support/calendar';

const anyDate = fc.integer({ min: dayNumber('2010-01-01'), max: dayNumber('2035-12-31') }).map(fromDayNumber);

describe('working days (State Council arrangement, 调休)', () => {
  test('31 December 2018 is a holiday and Saturday 29 December a swapped working day', () => {
    expect(calendar.dayInfo('2018-12-31')).toMatchObject({ working: false, kind: 'holiday', holiday: '元旦' });
    expect(calendar.dayInfo('2018-12-29')).toMatchObject({ working: true, kind: 'swapped-workday', holiday: '元旦' });
    expect(calendar.dayInfo('2019-01-05')).toMatchObject({ working: false, kind: 'weekend' });
    expect(calendar.addWorkingDays('2019-02-01', 1)).toBe('2019-02-02'); // Saturday before Spring Festival 2019, worked
    expect(calendar.addWorkingDays('2019-02-03', 1)).toBe('2019-02-11'); // over the Spring Festival holiday
    expect(calendar.addWorkingDays('2019-01-02', -3)).toBe('2018-12-27'); // 1 Jan, 31 Dec, 30 Dec rest; 29 Dec worked
  });

  test('a deadline on a rest day: a period-bound one stays inside (last working day), a recurring report moves to the next', () => {
    // 五(一) "12月底": the plan stays in December.
    expect(calendar.deadline('2018-12-31', 'last-working-day')).toEqual({ date: '2018-12-29', nominal: '2018-12-31', adjusted: true, provisional: false });
    // 六(三) half-monthly report, county practice: the next working day.
    expect(calendar.deadline('2018-12-31', 'next-working-day')).toEqual({ date: '2019-01-02', nominal: '2018-12-31', adjusted: true, provisional: false });
    // 五(一) "11月下旬": 30 November 2019 is a Saturday.
    expect(calendar.deadline('2019-11-30', 'last-working-day').date).toBe('2019-11-29');
    expect(calendar.deadline('2019-03-15', 'next-working-day')).toEqual({ date: '2019-03-15', nominal: '2019-03-15', adjusted: false, provisional: false });
  });

  test('a year without an arrangement falls back to weekends only and is provisional; an official one replaces it', () => {
    const year = LAST_SHIPPED_YEAR + 1;
    expect(year).toBe(2027);
    expect(calendar.isProvisionalYear(year)).toBe(true);
    expect(calendar.dayInfo('2027-01-01')).toMatchObject({ working: true, kind: 'workday', provisional: true });
    expect(calendar.deadline('2027-02-10', 'next-working-day')).toMatchObject({ date: '2027-02-10', provisional: true });

    const published = new WorkCalendar([...shippedYears, official2027]);
    expect(published.dayInfo('2027-01-01')).toMatchObject({ working: false, kind: 'holiday', holiday: '元旦', provisional: false });
    expect(published.dayInfo('2027-02-13')).toMatchObject({ working: true, kind: 'swapped-workday' });
    expect(published.deadline('2027-02-10', 'next-working-day')).toEqual({ date: '2027-02-13', nominal: '2027-02-10', adjusted: true, provisional: false });
  });

  test('next and last working day: a working day, nothing working skipped', () => {
    fc.assert(
      fc.property(anyDate, (d) => {
        const next = calendar.nextWorkingDayOnOrAfter(d);
        const last = calendar.lastWorkingDayOnOrBefore(d);
        expect(next >= d && last <= d).toBe(true);
        expect(calendar.isWorkingDay(next) && calendar.isWorkingDay(last)).toBe(true);
        for (let x = d; x < next; x = addDays(x, 1)) expect(calendar.isWorkingDay(x)).toBe(false);
        for (let x = d; x > last; x = addDays(x, -1)) expect(calendar.isWorkingDay(x)).toBe(false);
      }),
    );
  });

  test('moving n working days and back returns to a working day; the count between them is n', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 30 }), (d, n) => {
        const start = calendar.nextWorkingDayOnOrAfter(d);
        const there = calendar.addWorkingDays(start, n);
        expect(calendar.isWorkingDay(there)).toBe(true);
        expect(there > start).toBe(true);
        expect(calendar.addWorkingDays(there, -n)).toBe(start);
        expect(calendar.workingDaysBetween(start, there)).toBe(n);
      }),
    );
  });
});

describe('an arrangement file', () => {
  const problems = (input: unknown): string[] => {
    const r = calendarYearSchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}：${i.message}`);
  };

  test('the shipped years and the fictional 2027 are valid', () => {
    for (const y of [...shippedYears, official2027]) expect(problems(y)).toEqual([]);
  });

  test('every date in its year, no day both holiday and worked, a swapped working day on a weekend, the notice named', () => {
    expect(
      problems({
        year: 2027,
        official: true,
        source: '国',
        holidays: { '2026-12-31': '元旦', '2027-02-30': '春节', '2027-02-13': '春节' },
        workdays: { '2027-02-13': '春节', '2027-02-10': '春节' },
      }),
    ).toEqual([
      'source：须写明所依据的通知文号',
      'holidays.2026-12-31：2026-12-31不在2027年内',
      'holidays.2027-02-30：2027-02-30不是有效日期（YYYY-MM-DD）',
      'workdays.2027-02-10：2027-02-10不是周末，无需调休上班',
      'workdays.2027-02-13：2027-02-13不能既是放假日又是调休上班日',
    ]);
    expect(problems({ year: 2027, source: '国办发明电〔2026〕1号', holidays: {} })).toEqual(['official：须写明是否为正式公布的安排（true/false）']);
  });
});

describe('China Standard Time, whatever the host time zone', () => {
  test('instants and civil dates convert at UTC+8', () => {
    expect(isoInstant(instantOf('2019-01-02', 9))).toBe('2019-01-02T01:00:00.000Z');
    expect(localDateOf(Date.parse('2018-12-31T15:59:59.999Z'))).toBe('2018-12-31');
    expect(localDateOf(Date.parse('2018-12-31T16:00:00Z'))).toBe('2019-01-01');
  });

  test('an instant is written as Date writes it, to the millisecond, from year 0000 to 9999, and anything else is refused', () => {
    for (const at of [0, 1, 999, 86_399_999, 86_400_000, Date.parse('2019-12-31T23:59:59.999Z'), Date.parse('2020-02-29T12:34:56.789Z'), -1, -62_167_219_200_000, 253_402_300_799_999]) {
      expect(isoInstant(at)).toBe(new Date(at).toISOString());
    }
    fc.assert(fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (at) => isoInstant(at) === new Date(at).toISOString()), { numRuns: 2_000 });
    for (const bad of [Number.NaN, Infinity, -62_167_219_200_001, 253_402_300_800_000]) expect(() => isoInstant(bad)).toThrow(RangeError);
  });

  test('the same answers with the host in another time zone', () => {
    const original = process.env.TZ;
    const answers = (): unknown => [
      new WorkCalendar(shippedYears).deadline('2018-12-31', 'last-working-day'),
      new WorkCalendar(shippedYears).dayInfo('2018-12-29'),
      new WorkCalendar(shippedYears).addWorkingDays('2019-02-03', 1),
      localDateOf(Date.parse('2018-12-31T16:00:00Z')),
      instantOf('2019-01-02', 9),
      periodOf('half-month', '2019-02-16'),
    ];
    try {
      process.env.TZ = 'Asia/Shanghai';
      const shanghai = answers();
      process.env.TZ = 'America/Los_Angeles';
      expect(new Date(0).getHours()).toBe(16); // the host really is elsewhere now
      expect(answers()).toEqual(shanghai);
    } finally {
      process.env.TZ = original;
    }
  });
});

describe('periods', () => {
  test('half months are the 1st–15th and the 16th–last day (六(三))', () => {
    expect(periodOf('half-month', '2019-02-15')).toEqual({ id: '2019-02-H1', start: '2019-02-01', end: '2019-02-15', label: '2019年2月上半月' });
    expect(periodOf('half-month', '2019-02-16')).toEqual({ id: '2019-02-H2', start: '2019-02-16', end: '2019-02-28', label: '2019年2月下半月' });
    expect(periodOf('half-month', '2020-02-20').end).toBe('2020-02-29');
  });

  test('quarters, half years, years and late November', () => {
    expect(periodOf('quarter', '2019-08-01')).toEqual({ id: '2019-Q3', start: '2019-07-01', end: '2019-09-30', label: '2019年第三季度' });
    expect(periodOf('half-year', '2019-08-01')).toMatchObject({ id: '2019-H2', start: '2019-07-01', end: '2019-12-31' });
    expect(periodOf('year', '2019-08-01')).toMatchObject({ id: '2019', start: '2019-01-01', end: '2019-12-31' });
    expect(lateNovember(2019)).toMatchObject({ start: '2019-11-21', end: '2019-11-30', label: '2019年11月下旬' });
  });

  test('periods overlapping a range tile it without gaps', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 0, max: 800 }), fc.constantFrom('half-month', 'month', 'quarter', 'half-year', 'year' as const), (from, len, unit) => {
        const to = addDays(from, len);
        const ps = periodsOverlapping(unit, from, to);
        expect(ps[0]!.start <= from).toBe(true);
        expect(ps.at(-1)!.end >= to).toBe(true);
        ps.slice(1).forEach((p, i) => expect(p.start).toBe(addDays(ps[i]!.end, 1)));
      }),
    );
  });

  test('adding months clamps to the end of a shorter month', () => {
    expect(addMonths('2019-08-31', 6)).toBe('2020-02-29');
    expect(addMonths('2019-01-15', -1)).toBe('2018-12-15');
  });

  test('a half month or quarter id names its period', () => {
    expect(periodById('2019-03-H2')).toEqual(periodOf('half-month', '2019-03-16'));
    expect(periodById('2019-Q4')).toMatchObject({ start: '2019-10-01', end: '2019-12-31', label: '2019年第四季度' });
    expect(() => periodById('2019-13')).toThrow('not a half month or quarter id: 2019-13');
  });
});

describe('the three-year cycle (五(二))', () => {
  test('a target designated in October 2018 rectifies through its first acceptance in 2019, consolidates in 2020, upgrades in 2021', () => {
    expect(cyclePosition('2018-10-15', '2018-12-01')).toEqual({ cycleYear: 1, phase: 'rectify' });
    expect(cyclePosition('2018-10-15', '2019-11-25')).toEqual({ cycleYear: 1, phase: 'rectify' });
    expect(cyclePosition('2018-10-15', '2020-03-01')).toEqual({ cycleYear: 2, phase: 'consolidate' });
    expect(cyclePosition('2018-10-15', '2021-12-31')).toEqual({ cycleYear: 3, phase: 'upgrade' });
    expect(cyclePosition('2018-10-15', '2022-01-01')).toEqual({ cycleYear: 4, phase: 'extended' });
  });

  test('a date before the designation, or no date at all, is refused with the value', () => {
    expect(() => cyclePosition('2018-10-15', '2018-10-14')).toThrow('2018-10-14 is before the designation date 2018-10-15');
    expect(() => cyclePosition('2018-02-30', '2018-10-14')).toThrow('not a calendar date (YYYY-MM-DD): "2018-02-30"');
  });
});
